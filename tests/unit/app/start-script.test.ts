/**
 * `npm start` (scripts/start.mjs): Electron where its runtime exists, else one line and browser mode.
 * Spawns the real script over the built app (`npm run build` first, as CI does).
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'certdesk-start-'));

function startScript(env: NodeJS.ProcessEnv, args: string[]) {
  return spawn(process.execPath, [join(root, 'scripts', 'start.mjs'), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('npm start', () => {
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('says in one line that Electron is unavailable and serves browser mode instead', async () => {
    const child = startScript({ ELECTRON_OVERRIDE_DIST_PATH: join(tmp, 'no-electron-here') }, ['--no-open', '--port', '0', '--store', join(tmp, 'store')]);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`start.mjs exited (${code}) before printing the URL: ${stderr}`)));
      });
      expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
      const notices = stderr.split('\n').filter((l) => l.includes('Electron'));
      expect(notices).toEqual([expect.stringMatching(/^Electron runtime unavailable: ELECTRON_OVERRIDE_DIST_PATH has no electron; starting browser mode instead/) as unknown]);
      const origin = firstLine.slice(0, firstLine.indexOf('/#'));
      const token = firstLine.slice(firstLine.indexOf('token=') + 'token='.length);
      const page = await fetch(`${origin}/`);
      expect(page.status).toBe(200);
      const info = await fetch(`${origin}/rpc`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ method: 'app.info' }) });
      expect(await info.json()).toMatchObject({ ok: true, value: { mode: 'browser', storeDir: join(tmp, 'store') } });
    } finally {
      child.kill('SIGINT');
    }
  });

  it.skipIf(process.platform === 'win32')('runs the Electron binary on the app folder when one is there', async () => {
    const fake = join(tmp, 'fake-electron');
    mkdirSync(fake, { recursive: true });
    // A stand-in for the Electron executable: it reports how it was started.
    writeFileSync(join(fake, 'electron'), `#!/bin/sh\necho "electron-started cwd=$(pwd) args=$*"\n`);
    chmodSync(join(fake, 'electron'), 0o755);
    const child = startScript({ ELECTRON_OVERRIDE_DIST_PATH: fake }, ['--store', '/x']);
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(out.trim()).toBe(`electron-started cwd=${root} args=. --store /x`);
  });
});
