import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { API_METHODS } from '../../../src-main/common/api.js';
import { isAllowedRequestUrl } from '../../../src-main/app/guards.js';
import { appProtocolResponse } from '../../../src-main/app/protocol.js';
import { secureWebPreferences } from '../../../src-main/app/window.js';
import { buildBridge } from '../../../src-main/preload/bridge.js';

// The real electron module is a binary launcher; these tests need only its shapes.
vi.mock('electron', () => ({ protocol: {}, BrowserWindow: class {}, clipboard: {}, dialog: {} }));

const root = join(__dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('the Electron shell', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'certdesk-app-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('opens windows sandboxed, isolated, without Node, with web security and without devtools when packaged', () => {
    const prefs = secureWebPreferences('/app/preload.cjs', false);
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
      preload: '/app/preload.cjs',
    });
  });

  it.each([
    ['app://certdesk/index.html', true],
    ['app://certdesk/assets/index-abc.js', true],
    ['data:image/png;base64,iVBORw0KGgo=', true],
    ['https://example.com/', false],
    ['http://127.0.0.1:8080/rpc', false],
    ['ws://127.0.0.1/', false],
    ['file:///etc/passwd', false],
    ['app://evil/index.html', false],
    ['app://certdesk.evil/x.js', false],
    ['app://user@certdesk/index.html', false],
    ['devtools://devtools/bundled/inspector.html', false],
    ['not a url', false],
  ])('lets the renderer load %s: %s', (url, allowed) => {
    expect(isAllowedRequestUrl(url, false)).toBe(allowed);
  });

  it('allows devtools:// only while devtools are allowed', () => {
    expect(isAllowedRequestUrl('devtools://devtools/bundled/inspector.html', true)).toBe(true);
  });

  it('serves the built renderer on app://certdesk with the CSP, and nothing else', async () => {
    const dir = join(tmp, 'renderer');
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Certdesk</title>');
    writeFileSync(join(dir, 'assets', 'a.js'), 'export {}');
    writeFileSync(join(tmp, 'secret.txt'), 'secret');
    const ok = await appProtocolResponse(dir, 'app://certdesk/index.html', 'GET');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('<title>Certdesk</title>');
    const csp = ok.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).not.toMatch(/unsafe-(eval|inline)/);
    expect((await appProtocolResponse(dir, 'app://certdesk/assets/a.js', 'GET')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    for (const url of ['app://certdesk/../secret.txt', 'app://certdesk/%2e%2e/secret.txt', 'app://other/index.html', 'app://certdesk/missing.js']) {
      expect((await appProtocolResponse(dir, url, 'GET')).status).toBe(404);
    }
    expect((await appProtocolResponse(dir, 'app://certdesk/index.html', 'POST')).status).toBe(404);
  });

  it('has exactly one ipcMain.handle site in the whole main code', () => {
    const sites = sourceFiles(join(root, 'src-main')).flatMap((f) =>
      (readFileSync(f, 'utf8').match(/ipcMain\.handle(Once)?\(/g) ?? []).map(() => relative(root, f)),
    );
    expect(sites).toEqual(['src-main/ipc/electron-binding.ts']);
  });

  it('imports electron only in app/, ipc/ and preload/ (the dispatcher core stays electron-free)', () => {
    const importers = sourceFiles(join(root, 'src-main'))
      .filter((f) => /from 'electron'/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    expect(importers.length).toBeGreaterThan(0);
    for (const f of importers) expect(f).toMatch(/^src-main\/(app|preload)\/|^src-main\/ipc\/electron-binding\.ts$/);
  });
});

describe('the preload bridge', () => {
  it('exposes every contract method, generated from the method list, passing exactly one params value', async () => {
    const calls: [string, unknown][] = [];
    const bridge = buildBridge((method, params) => {
      calls.push([method, params]);
      return Promise.resolve({ ok: true, value: method });
    });
    for (const m of API_METHODS) {
      const [area, name] = m.split('.') as [string, string];
      const fn = (bridge as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>)[area]?.[name];
      expect(typeof fn).toBe('function');
      await expect(fn?.({ p: m }, 'smuggled', 'more')).resolves.toEqual({ ok: true, value: m });
    }
    expect(calls).toEqual(API_METHODS.map((m) => [m, { p: m }]));
  });

  it('is frozen, so the page cannot swap a method', () => {
    const bridge = buildBridge(() => Promise.resolve(null)) as unknown as Record<string, Record<string, unknown>>;
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.isFrozen(bridge.requests)).toBe(true);
  });
});
