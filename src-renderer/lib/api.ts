/**
 * The one door to main. Electron: the preload's `window.certdesk`. Browser mode (`certdesk ui`):
 * POST /rpc with the per-launch token from the URL fragment. The rest of the renderer calls
 * `call('area.name', params)` and never knows which shell it runs in.
 */
import { RPC_PATH, type ApiMethod, type ApiParams, type ApiValue, type CertdeskClient, type RpcRequest } from '../../src-main/common/api.js';
import type { ErrorCode, Result } from '../../src-main/common/errors.js';
import { ERROR_CODES } from '../../src-main/common/errors.js';
import { access } from './access.svelte.js';
import { ApiError } from './errors.js';

type Transport = (method: ApiMethod, params: unknown) => Promise<Result<unknown>>;

declare global {
  interface Window {
    certdesk?: CertdeskClient;
  }
}

/** How often browser mode tells the server the page is still open (it stops when the pings cease). */
const HEARTBEAT_MS = 5000;

/** Where this tab keeps browser mode's token after it leaves the address bar (see takeToken). */
export const TOKEN_STORAGE_KEY = 'certdesk.token';

/**
 * Reads `#token=...` and removes it from the address bar and history, so the token is not left on
 * screen, in a bookmark or in a screenshot. It is kept in this tab's sessionStorage so F5 and a
 * reopened view keep working: sessionStorage belongs to this tab and this origin only, and browser
 * mode gets a new origin (port) and a new token on every launch, so a kept token never outlives
 * the server it was made for in any way that matters, and other tabs and sites cannot read it.
 */
function takeToken(): string | null {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromUrl = params.get('token');
  if (fromUrl !== null) {
    history.replaceState(null, '', location.pathname + location.search);
    try {
      sessionStorage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // No session storage (a locked-down profile): this page still works until it is reloaded.
    }
    return fromUrl;
  }
  try {
    return sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

function isResult(v: unknown): v is Result<unknown> {
  if (!v || typeof v !== 'object' || !('ok' in v)) return false;
  const r = v as { ok: unknown; error?: unknown };
  if (r.ok === true) return true;
  return r.ok === false && !!r.error && typeof r.error === 'object' && 'code' in r.error && 'message' in r.error;
}

function electronTransport(bridge: CertdeskClient): Transport {
  return async (method, params) => {
    const [area, name] = method.split('.') as [string, string];
    const fn = (bridge as unknown as Record<string, Record<string, ((p?: unknown) => Promise<unknown>) | undefined> | undefined>)[area]?.[name];
    if (!fn) return { ok: false, error: { code: 'INTERNAL', message: `this Certdesk shell does not offer ${method}` } };
    const r = await fn(params);
    return isResult(r) ? r : { ok: false, error: { code: 'INTERNAL', message: `malformed reply from ${method}` } };
  };
}

const connectionListeners = new Set<(alive: boolean) => void>();
let alive = true;
function setAlive(next: boolean): void {
  if (next === alive) return;
  alive = next;
  for (const l of connectionListeners) l(next);
}

/** Browser mode: tells `listener` when the server stops answering the heartbeat (and when it is back). */
export function onConnectionChange(listener: (alive: boolean) => void): () => void {
  connectionListeners.add(listener);
  return () => connectionListeners.delete(listener);
}

function startHeartbeat(token: string, transport: Transport): void {
  try {
    const worker = new Worker(new URL('./heartbeat.worker.ts', import.meta.url), { type: 'module', name: 'certdesk-heartbeat' });
    worker.onmessage = (e: MessageEvent<{ alive: boolean }>) => setAlive(e.data.alive);
    worker.postMessage({ token, path: RPC_PATH, intervalMs: HEARTBEAT_MS });
  } catch {
    // No worker (a locked-down browser): the page's own timer still works while the tab is visible.
    setInterval(() => void transport('app.ping', undefined).then((r) => setAlive(r.ok)), HEARTBEAT_MS);
  }
}

function browserTransport(token: string | null): Transport {
  const transport: Transport = async (method, params) => {
    if (!token) {
      access.problem = 'missing';
      return { ok: false, error: { code: 'UNAUTHORIZED', message: 'this page was opened without its access token: open the address certdesk ui printed' } };
    }
    const body: RpcRequest = params === undefined ? { method } : { method, params };
    let res: Response;
    try {
      res = await fetch(RPC_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
    } catch {
      return { ok: false, error: { code: 'IO_ERROR', message: 'cannot reach Certdesk: is certdesk ui still running?' } };
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      return { ok: false, error: { code: 'INTERNAL', message: `unreadable reply from Certdesk (HTTP ${res.status})` } };
    }
    if (!isResult(json)) return { ok: false, error: { code: 'INTERNAL', message: `unexpected reply from Certdesk (HTTP ${res.status})` } };
    if (res.status === 401) access.problem = 'rejected';
    return json;
  };
  if (token) startHeartbeat(token, transport);
  else access.problem = 'missing';
  return transport;
}

const transport: Transport = window.certdesk ? electronTransport(window.certdesk) : browserTransport(takeToken());

function toCode(code: unknown): ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'INTERNAL';
}

/** Calls one contract method; resolves to its value or rejects with an ApiError (code + plain message). */
export async function call<M extends ApiMethod>(method: M, ...params: ApiParams<M> extends undefined ? [] : [ApiParams<M>]): Promise<ApiValue<M>> {
  const r = await transport(method, params[0]);
  if (!r.ok) {
    const reason = typeof r.error.reason === 'string' ? r.error.reason : undefined;
    throw new ApiError(toCode(r.error.code), r.error.message, Array.isArray(r.error.details) ? r.error.details : [], reason);
  }
  return r.value as ApiValue<M>;
}
