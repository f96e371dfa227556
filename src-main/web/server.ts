import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RPC_PATH } from '../common/api.js';
import type { ErrorInfo, Result } from '../common/errors.js';
import type { Dispatch } from '../ipc/dispatcher.js';
import { contentSecurityPolicy, SECURITY_HEADERS } from './csp.js';
import { readStaticFile } from './static.js';

/** Browser mode listens on loopback only: nothing on the network can reach it. */
export const UI_HOST = '127.0.0.1';
/** Largest /rpc body: ten 1 MiB files in base64 plus JSON framing. */
export const MAX_RPC_BODY_BYTES = 16 * 1024 * 1024;
/**
 * The page pings every 5 s; this long without a call after it was first seen means it is gone.
 * Chromium throttles timers of a tab hidden for 5 minutes to about one wake-up a minute, so anything
 * shorter than that would stop the server under an admin who merely switched tabs.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 90_000;

export interface UiServerOptions {
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  dispatch: Dispatch;
  /** 0 (default) picks a free port. */
  port?: number;
  maxBodyBytes?: number;
  idleTimeoutMs?: number;
  /** Called once when the page stopped calling (the heartbeat ceased). */
  onIdle?: () => void;
}

/** A running browser-mode server. */
export interface UiServer {
  port: number;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** The page URL with the token in its fragment: the only place the token is ever shown. */
  url: string;
  /** The per-launch token (256 bits, base64url). */
  token: string;
  close(): Promise<void>;
}

/** Constant-time token comparison: both sides are hashed first, so neither length nor content leaks. */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

function send(res: ServerResponse, status: number, body: string | Buffer, contentType: string, extra: Record<string, string> = {}): void {
  // Encoded once: a string would be measured (Buffer.byteLength) and then encoded again by end(),
  // two passes over the Requests view's megabytes of rows.
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, {
    'content-security-policy': contentSecurityPolicy('browser'),
    ...SECURITY_HEADERS,
    'content-type': contentType,
    'content-length': String(bytes.length),
    ...extra,
  });
  res.end(bytes);
}

function sendResult(res: ServerResponse, status: number, result: Result<unknown>): void {
  send(res, status, JSON.stringify(result), 'application/json; charset=utf-8');
}

function refuse(res: ServerResponse, status: number, error: ErrorInfo, extra: Record<string, string> = {}): void {
  res.setHeader('connection', 'close');
  send(res, status, JSON.stringify({ ok: false, error }), 'application/json; charset=utf-8', extra);
}

class BodyTooLarge extends Error {}

/**
 * Reads the body up to `cap` bytes. Past the cap the rest is drained and dropped (the refusal is
 * sent once the client has finished, so it reads it instead of a reset), up to a hard limit where
 * the connection is cut.
 */
function readBody(req: IncomingMessage, cap: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= cap) chunks.push(chunk);
      else if (size > cap * 4) req.destroy();
    });
    req.on('end', () => (size > cap ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new BodyTooLarge());
    });
  });
}

/**
 * Starts browser mode's server: the built renderer as static files and one POST /rpc endpoint over
 * the shared dispatcher. Every request must carry our own Host (DNS rebinding: a foreign name that
 * resolves to 127.0.0.1 is refused); /rpc also a same-origin Origin when a browser sends one, and
 * the per-launch token as `Authorization: Bearer`. The token reaches the page only in the URL
 * fragment, which browsers never send to servers or logs.
 */
export async function startUiServer(opts: UiServerOptions): Promise<UiServer> {
  const token = randomBytes(32).toString('base64url');
  const cap = opts.maxBodyBytes ?? MAX_RPC_BODY_BYTES;
  const idleTimeoutMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  let port = 0;
  let lastCall: number | null = null;
  let idleFired = false;

  const allowedHosts = (): string[] => [`${UI_HOST}:${port}`, `localhost:${port}`];

  async function handleRpc(req: IncomingMessage, res: ServerResponse, host: string): Promise<void> {
    if (req.method !== 'POST') {
      refuse(res, 405, { code: 'INVALID_INPUT', message: 'use POST for /rpc' }, { allow: 'POST' });
      return;
    }
    const origin = req.headers.origin;
    const fetchSite = req.headers['sec-fetch-site'];
    if ((origin !== undefined && origin !== `http://${host}`) || (fetchSite !== undefined && fetchSite !== 'same-origin')) {
      refuse(res, 403, { code: 'UNAUTHORIZED', message: 'calls from another web site are refused' });
      return;
    }
    const auth = req.headers.authorization ?? '';
    const given = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
    if (!tokenMatches(given, token)) {
      refuse(res, 401, { code: 'UNAUTHORIZED', message: 'missing or wrong access token: open the address certdesk ui printed' });
      return;
    }
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      refuse(res, 415, { code: 'INVALID_INPUT', message: 'send the call as application/json' });
      return;
    }
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > cap) {
      refuse(res, 413, { code: 'INVALID_INPUT', message: `the call is larger than ${cap / 1024 / 1024} MiB` });
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, cap);
    } catch (e) {
      if (e instanceof BodyTooLarge) refuse(res, 413, { code: 'INVALID_INPUT', message: `the call is larger than ${cap / 1024 / 1024} MiB` });
      return;
    }
    lastCall = Date.now();
    let call: unknown;
    try {
      call = JSON.parse(body.toString('utf8'));
    } catch {
      refuse(res, 400, { code: 'INVALID_INPUT', message: 'the call is not valid JSON' });
      return;
    }
    if (!call || typeof call !== 'object' || Array.isArray(call)) {
      refuse(res, 400, { code: 'INVALID_INPUT', message: 'the call must be a JSON object { method, params }' });
      return;
    }
    const { method, params, ...rest } = call as Record<string, unknown>;
    if (Object.keys(rest).length > 0) {
      refuse(res, 400, { code: 'INVALID_INPUT', message: 'the call may carry only method and params' });
      return;
    }
    sendResult(res, 200, await opts.dispatch(method, params));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (!allowedHosts().includes(host)) {
      refuse(res, 403, { code: 'UNAUTHORIZED', message: 'unexpected Host header: Certdesk answers only to its own loopback address' });
      return;
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === RPC_PATH) {
      await handleRpc(req, res, host);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 404, 'not found\n', 'text/plain; charset=utf-8');
      return;
    }
    const file = await readStaticFile(opts.rendererDir, path);
    if (!file) {
      send(res, 404, 'not found\n', 'text/plain; charset=utf-8');
      return;
    }
    if (req.method === 'HEAD') {
      res.writeHead(200, { 'content-security-policy': contentSecurityPolicy('browser'), ...SECURITY_HEADERS, 'content-type': file.contentType });
      res.end();
      return;
    }
    send(res, 200, file.body, file.contentType);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) refuse(res, 500, { code: 'INTERNAL', message: 'unexpected failure in the Certdesk server' });
      else res.destroy();
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, UI_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  const timer = setInterval(
    () => {
      if (!idleFired && lastCall !== null && Date.now() - lastCall > idleTimeoutMs) {
        idleFired = true;
        opts.onIdle?.();
      }
    },
    Math.max(50, Math.min(1000, idleTimeoutMs / 4)),
  );
  timer.unref();

  const origin = `http://${UI_HOST}:${port}`;
  return {
    port,
    origin,
    url: `${origin}/#token=${token}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
