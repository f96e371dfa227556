import { API_METHODS, type CertdeskClient } from '../common/api.js';

/** Sends one call to main; in the preload it is ipcRenderer.invoke on the Certdesk channel. */
export type Invoke = (method: string, params: unknown) => Promise<unknown>;

/**
 * Builds `window.certdesk` mechanically from the contract's method list: one function per method,
 * each passing exactly one params value (anything more the page adds is dropped). Frozen, so the
 * page cannot swap a method for another.
 */
export function buildBridge(invoke: Invoke): CertdeskClient {
  const areas: Record<string, Record<string, (params?: unknown) => Promise<unknown>>> = {};
  for (const method of API_METHODS) {
    const [area, name] = method.split('.') as [string, string];
    const fns = (areas[area] ??= {});
    fns[name] = (params?: unknown) => invoke(method, params);
  }
  for (const fns of Object.values(areas)) Object.freeze(fns);
  return Object.freeze(areas) as unknown as CertdeskClient;
}
