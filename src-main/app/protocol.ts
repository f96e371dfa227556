import { protocol } from 'electron';
import { contentSecurityPolicy, SECURITY_HEADERS } from '../web/csp.js';
import { readStaticFile } from '../web/static.js';

/** The app's own scheme and host: every renderer file is `app://certdesk/...`. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'certdesk';
/** The app origin the IPC sender check and the request filter compare against. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window loads. */
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * Registers app:// as a standard, secure scheme before `ready` (a requirement of Electron): standard
 * gives it real origins and relative URL resolution, secure makes it a secure context, fetch and
 * CORS support let ES module scripts load. Never bypassCSP.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } }]);
}

/** The response for one app:// request: a file of the built renderer with the CSP, or 404. */
export async function appProtocolResponse(rendererDir: string, requestUrl: string, method: string): Promise<Response> {
  const headers = { 'content-security-policy': contentSecurityPolicy('electron'), ...SECURITY_HEADERS };
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return new Response('not found', { status: 404, headers });
  }
  if (url.host !== APP_HOST || (method !== 'GET' && method !== 'HEAD')) return new Response('not found', { status: 404, headers });
  const file = await readStaticFile(rendererDir, url.pathname);
  if (!file) return new Response('not found', { status: 404, headers });
  return new Response(method === 'HEAD' ? null : new Uint8Array(file.body), { status: 200, headers: { ...headers, 'content-type': file.contentType } });
}

/** Serves dist/renderer on app:// (call after `ready`). */
export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(rendererDir, request.url, request.method));
}
