import * as crypto from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../../src-main/common/errors.js';
import { startUiServer, tokenMatches, type UiServer } from '../../../src-main/web/server.js';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw HTTP, so tests can send any Host, Origin or body (fetch would normalise them). */
function http(server: UiServer, opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, method: opts.method ?? 'GET', path: opts.path ?? '/', headers: { host: `127.0.0.1:${server.port}`, ...opts.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined && opts.chunked) {
      const b = Buffer.from(opts.body);
      for (let i = 0; i < b.length; i += 64 * 1024) req.write(b.subarray(i, i + 64 * 1024));
    } else if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

function rpc(server: UiServer, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const text = JSON.stringify(body);
  return http(server, {
    method: 'POST',
    path: '/rpc',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}`, origin: server.origin, 'content-length': String(Buffer.byteLength(text)), ...headers },
    body: text,
  });
}

describe('browser mode server', () => {
  let dir: string;
  let server: UiServer;
  const dispatch = vi.fn((method: unknown): Promise<Result<unknown>> => Promise.resolve({ ok: true, value: { method } }));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'certdesk-web-'));
    await mkdir(join(dir, 'renderer', 'assets'), { recursive: true });
    await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Certdesk</title><script type="module" src="./assets/app.js"></script>');
    await writeFile(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(dir, 'renderer', '.secret.js'), 'hidden');
    await writeFile(join(dir, 'outside.js'), 'outside');
    server = await startUiServer({ rendererDir: join(dir, 'renderer'), dispatch, maxBodyBytes: 256 * 1024 });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('listens on loopback only, on a random port, and puts a fresh 256-bit token in the URL fragment', async () => {
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.url).toBe(`${server.origin}/#token=${server.token}`);
    expect(Buffer.from(server.token, 'base64url')).toHaveLength(32);
    const other = await startUiServer({ rendererDir: join(dir, 'renderer'), dispatch });
    try {
      expect(other.token).not.toBe(server.token);
      expect(other.port).not.toBe(server.port);
    } finally {
      await other.close();
    }
  });

  it('serves the built renderer with the CSP and hardening headers', async () => {
    const r = await http(server, { path: '/' });
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Certdesk</title>');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-inline');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    const js = await http(server, { path: '/assets/app.js' });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['content-security-policy']).toBe(csp);
  });

  it.each(['/index.htm', '/etc/passwd', '/../outside.js', '/assets/../../outside.js', '/%2e%2e/outside.js', '/assets%2f..%2f..%2foutside.js', '/.secret.js', '/rpc/x', '/api', '/assets/', '/%00'])(
    'answers 404 for %s',
    async (path) => {
      const r = await http(server, { path });
      expect(r.status).toBe(404);
      expect(r.headers['content-security-policy']).toContain("default-src 'none'");
    },
  );

  it('refuses a POST anywhere but /rpc', async () => {
    expect((await http(server, { method: 'POST', path: '/', body: '{}' })).status).toBe(404);
  });

  it('answers GET /rpc with 405', async () => {
    expect((await http(server, { path: '/rpc' })).status).toBe(405);
  });

  it('dispatches a call that carries the token, our Host and our Origin', async () => {
    dispatch.mockClear();
    const r = await rpc(server, { method: 'requests.list', params: { search: 'web' } });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: true, value: { method: 'requests.list' } });
    expect(dispatch).toHaveBeenCalledWith('requests.list', { search: 'web' });
  });

  it('accepts localhost as the Host and a matching Origin', async () => {
    const host = `localhost:${server.port}`;
    const r = await rpc(server, { method: 'app.info' }, { host, origin: `http://${host}` });
    expect(r.status).toBe(200);
  });

  it.each([
    ['no token', { authorization: '' }],
    ['a wrong token', { authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
    ['the token with a suffix', { authorization: 'Bearer TOKENx' }],
    ['the token in another scheme', { authorization: 'Basic TOKEN' }],
  ])('refuses a call with %s (401) and dispatches nothing', async (_what, headers) => {
    dispatch.mockClear();
    const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('TOKEN', server.token)]));
    const r = await rpc(server, { method: 'app.info' }, h);
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('compares the token in constant time (timingSafeEqual over equal-length digests)', async () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    await rpc(server, { method: 'app.info' }, { authorization: 'Bearer short' });
    expect(spy).toHaveBeenCalledTimes(1);
    const [a, b] = spy.mock.calls[0] as [Buffer, Buffer];
    expect(a.length).toBe(32);
    expect(b.length).toBe(32);
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('', 'abc')).toBe(false);
  });

  it.each([
    ['a rebinding host name', { host: 'evil.example' }],
    ['a rebinding host name with our port', { host: 'evil.example:PORT' }],
    ['another loopback port', { host: '127.0.0.1:1' }],
    ['no port', { host: '127.0.0.1' }],
  ])('refuses a wrong Host header (%s) even with the token', async (_what, headers) => {
    dispatch.mockClear();
    const host = headers.host.replace('PORT', String(server.port));
    const r = await rpc(server, { method: 'app.info' }, { host });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(dispatch).not.toHaveBeenCalled();
    expect((await http(server, { path: '/', headers: { host } })).status).toBe(403);
  });

  it.each([
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['a null Origin', { origin: 'null' }],
    ['our origin on another port', { origin: 'http://127.0.0.1:1' }],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }],
    ['a same-site fetch', { 'sec-fetch-site': 'same-site' }],
  ])('refuses %s (403) even with the token', async (_what, headers) => {
    dispatch.mockClear();
    const r = await rpc(server, { method: 'app.info' }, headers);
    expect(r.status).toBe(403);
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('refuses a body that is not JSON, not an object, or has extra members', async () => {
    const post = (body: string, type = 'application/json') =>
      http(server, { method: 'POST', path: '/rpc', headers: { 'content-type': type, authorization: `Bearer ${server.token}` }, body });
    expect((await post('{"method":')).status).toBe(400);
    expect((await post('[1]')).status).toBe(400);
    expect((await post('{"method":"app.info","extra":1}')).status).toBe(400);
    expect((await post('method=app.info', 'application/x-www-form-urlencoded')).status).toBe(415);
  });

  it('refuses an oversize body, declared or streamed, with 413', async () => {
    dispatch.mockClear();
    const big = JSON.stringify({ method: 'plans.fromText', params: { text: 'x'.repeat(300 * 1024) } });
    expect((await rpc(server, JSON.parse(big) as unknown)).status).toBe(413);
    const streamed = await http(server, {
      method: 'POST',
      path: '/rpc',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}`, 'transfer-encoding': 'chunked' },
      body: big,
      chunked: true,
    });
    expect(streamed.status).toBe(413);
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('reports the page gone once calls stop after it was first seen (heartbeat)', async () => {
    const onIdle = vi.fn();
    // Generous margins: a loaded CI machine must not make a live page look gone.
    const s = await startUiServer({ rendererDir: join(dir, 'renderer'), dispatch, idleTimeoutMs: 1000, onIdle });
    try {
      await new Promise((r) => setTimeout(r, 1300));
      expect(onIdle).not.toHaveBeenCalled();
      await rpc(s, { method: 'app.ping' });
      await new Promise((r) => setTimeout(r, 300));
      await rpc(s, { method: 'app.ping' });
      expect(onIdle).not.toHaveBeenCalled();
      await new Promise((r) => setTimeout(r, 2500));
      expect(onIdle).toHaveBeenCalledTimes(1);
    } finally {
      await s.close();
    }
  });

  it('does not count unauthenticated calls as the page being alive', async () => {
    const onIdle = vi.fn();
    const s = await startUiServer({ rendererDir: join(dir, 'renderer'), dispatch, idleTimeoutMs: 200, onIdle });
    try {
      await rpc(s, { method: 'app.ping' }, { authorization: 'Bearer nope' });
      await new Promise((r) => setTimeout(r, 500));
      expect(onIdle).not.toHaveBeenCalled();
    } finally {
      await s.close();
    }
  });
});
