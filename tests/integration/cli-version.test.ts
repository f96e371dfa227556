import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, requireBuiltCli } from './cli-requests-helpers.js';

// `certdesk --version` reads package.json, like the web server: a copy of the built CLI under a
// package.json with another version must print that version (a hard-coded string cannot).
const dir = mkdtempSync(join(tmpdir(), 'certdesk-version-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('certdesk --version', () => {
  it('prints the version of the package.json it ships with', () => {
    requireBuiltCli();
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(spawnSync(process.execPath, [join(REPO, 'bin', 'certdesk.js'), '--version'], { encoding: 'utf8' }).stdout).toBe(`${pkg.version as string}\n`);
    cpSync(join(REPO, 'bin'), join(dir, 'bin'), { recursive: true });
    cpSync(join(REPO, 'dist', 'cli'), join(dir, 'dist', 'cli'), { recursive: true });
    symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, version: '9.8.7-probe' }));
    const r = spawnSync(process.execPath, [join(dir, 'bin', 'certdesk.js'), '--version'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('9.8.7-probe\n');
  });
});
