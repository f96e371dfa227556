import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import { runUi } from '../../../src-main/web/ui.js';

const root = join(__dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'certdesk-ui-'));
const rendererDir = join(dir, 'renderer');
mkdirSync(rendererDir);
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Certdesk</title>');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ctx = { storeDir: join(dir, 'store'), secrets: createMemorySecretStore() };

describe('certdesk ui (browser mode runner)', () => {
  it('prints the URL first, serves the app, and stops once the page stops calling', async () => {
    const urls: string[] = [];
    const notes: string[] = [];
    let firstCall: Promise<unknown> = Promise.resolve();
    const started = Date.now();
    await runUi({
      ctx,
      open: false,
      rendererDir,
      idleTimeoutMs: 400,
      printUrl: (url) => {
        urls.push(url);
        const origin = url.slice(0, url.indexOf('/#'));
        const token = url.slice(url.indexOf('token=') + 6);
        firstCall = fetch(`${origin}/rpc`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ method: 'app.info' }) }).then((r) => r.json());
      },
      note: (line) => notes.push(line),
    });
    expect(urls).toHaveLength(1);
    expect(await firstCall).toMatchObject({ ok: true, value: { mode: 'browser', storeDir: ctx.storeDir } });
    expect(notes.at(-1)).toBe('Certdesk stopped: the page was closed.');
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('stops on request (as on Ctrl+C) and frees its port', async () => {
    let stop: () => void = () => undefined;
    let port = 0;
    const running = runUi({
      ctx,
      open: false,
      rendererDir,
      printUrl: (url) => {
        port = Number(new URL(url).port);
        stop();
      },
      note: () => undefined,
      stopSignal: new Promise<void>((resolve) => {
        stop = resolve;
      }),
    });
    await running;
    await new Promise<void>((resolve, reject) => {
      const probe = createServer().once('error', reject);
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
    });
  });

  it('refuses to start without the built renderer, saying how to build it', async () => {
    await expect(runUi({ ctx, open: false, rendererDir: join(dir, 'nothing'), printUrl: () => undefined, note: () => undefined })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/run npm run build$/) as unknown,
    });
  });

  it('exits 1 with one line for a bad or busy --port (built CLI)', async () => {
    const bad = spawnSync(process.execPath, [join(root, 'bin', 'certdesk.js'), '--store', ctx.storeDir, 'ui', '--no-open', '--port', '99999'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe('error: --port must be a number from 0 to 65535, not "99999"\n');
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      // Async spawn: the busy listener lives in this process's event loop.
      const r = await new Promise<{ status: number; stderr: string }>((resolve) => {
        execFile(process.execPath, [join(root, 'bin', 'certdesk.js'), '--store', ctx.storeDir, 'ui', '--no-open', '--port', String(port)], (e, _o, stderr) =>
          resolve({ status: e ? Number(e.code) : 0, stderr }),
        );
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`error: port ${port} is already in use: choose another with --port, or leave it out\n`);
    } finally {
      busy.close();
    }
  });
});
