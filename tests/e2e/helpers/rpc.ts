import { rawRequest } from './http.js';
import type { UiProcess } from './ui-server.js';

/** Calls the running UI's /rpc as the page does (token, loopback host): for setting up a test's data. */
export function rpcOf(ui: UiProcess): <T>(method: string, params?: unknown) => Promise<T> {
  return async <T>(method: string, params?: unknown): Promise<T> => {
    const res = await rawRequest({
      port: ui.port,
      method: 'POST',
      path: '/rpc',
      headers: { host: `127.0.0.1:${ui.port}`, 'content-type': 'application/json', authorization: `Bearer ${ui.token}` },
      body: JSON.stringify(params === undefined ? { method } : { method, params }),
    });
    const r = JSON.parse(res.body) as { ok: boolean; value?: T; error?: { message: string } };
    if (!r.ok) throw new Error(`${method}: ${r.error?.message}`);
    return r.value as T;
  };
}
