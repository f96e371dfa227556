/**
 * Start-up loads only what a command needs: help and usage errors never load the PKI, the store,
 * zod schemas, node-forge or the keychain module. Checked by what the BUILT CLI actually required
 * (a --require hook lists require.cache at exit), not by timing. The CLI is a bundle (dist/cli): each
 * file it loaded is mapped back to the source modules it holds through dist/cli/modules.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleModules, REPO, requireBuiltCli } from './cli-requests-helpers.js';

let dir: string;
let hook: string;

beforeAll(() => {
  requireBuiltCli();
  dir = mkdtempSync(join(tmpdir(), 'certdesk-startup-'));
  hook = join(dir, 'hook.cjs');
  writeFileSync(hook, "process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_OUT, Object.keys(require.cache).join('\\n')));\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs the CLI and returns its exit code and the modules it loaded: source modules (src-main/...,
 * node_modules/...) for files of the bundle, other files as they are (repo-relative).
 */
function loaded(args: string[]): { status: number | null; stderr: string; modules: string[] } {
  const out = join(dir, 'loaded.txt');
  rmSync(out, { force: true });
  const r = spawnSync(process.execPath, ['--require', hook, join(REPO, 'bin', 'certdesk.js'), ...args], {
    cwd: dir,
    env: { ...process.env, LOADED_OUT: out, CERTDESK_HOME: join(dir, 'no-store') },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const bundle = bundleModules();
  const modules = readFileSync(out, 'utf8')
    .split('\n')
    .map((f) => (f.startsWith(REPO) ? f.slice(REPO.length) : f))
    .flatMap((f) => {
      if (!f.startsWith('dist/cli/')) return [f];
      const held = bundle[f.slice('dist/cli/'.length)];
      // A bundle file the manifest does not know could hold anything: never let it pass unseen.
      if (!held) throw new Error(`${f} is not in dist/cli/modules.json: rebuild with npm run build:main`);
      return held;
    });
  return { status: r.status, stderr: r.stderr, modules };
}

const HEAVY = [/node_modules\/node-forge\//, /node_modules\/zod\//, /node_modules\/keytar\//, /src-main\/pki\//, /src-main\/services\//, /src-main\/store\/store\.ts/, /src-main\/web\//];

function heavyIn(modules: string[]): string[] {
  return modules.filter((m) => HEAVY.some((h) => h.test(m)));
}

describe('CLI start-up', () => {
  it.each([
    ['the command list', ['--help'], 0],
    ["a command's help", ['request', 'new', '--help'], 0],
    ['an unknown command', ['frobnicate'], 2],
    ['an unknown flag', ['request', 'new', '--subject', 'a.contoso.com', '--bogus'], 2],
    ['a missing argument', ['request', 'show'], 2],
  ])('%s loads no PKI, store, schema or keychain module', (_what, args, code) => {
    const r = loaded(args);
    expect(r.status).toBe(code);
    // The CLI's own modules were loaded (the hook works)...
    expect(r.modules).toContain('src-main/cli/main.ts');
    // ...and nothing heavy.
    expect(heavyIn(r.modules)).toEqual([]);
  });

  it('request list loads the store but neither node-forge nor the keychain', () => {
    const r = loaded(['request', 'list']);
    expect(r.status).toBe(0);
    expect(r.modules).toContain('src-main/services/requests.ts');
    expect(r.modules.filter((m) => /node_modules\/(node-forge|keytar)\//.test(m))).toEqual([]);
  });
});
