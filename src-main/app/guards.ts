import type { Session, WebContents } from 'electron';
import { APP_ORIGIN } from './protocol.js';

/**
 * True for the only URLs the app may load: its own files on app://certdesk, and data: images the
 * CSP allows. Everything else (http, https, file, ws, ftp, other app hosts) is refused: Certdesk
 * works offline and must never call out. devtools:// is allowed only while devtools are allowed.
 */
export function isAllowedRequestUrl(raw: string, devtools: boolean): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === 'data:') return true;
  if (devtools && (url.protocol === 'devtools:' || url.protocol === 'chrome-extension:')) return true;
  return `${url.protocol}//${url.host}` === APP_ORIGIN && url.username === '' && url.password === '';
}

/** Cancels every request outside the app's own files, refuses every permission. */
export function hardenSession(ses: Session, devtools: boolean): void {
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequestUrl(details.url, devtools) });
  });
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_req, callback) => callback({}));
  // Downloads never happen in Electron (saves go through main's dialogs): refuse any attempt.
  ses.on('will-download', (event) => event.preventDefault());
}

/**
 * Every navigation, redirect, new window and <webview> is refused: the window shows app://certdesk
 * and nothing else, whatever a compromised or confused page tries.
 */
export function guardWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
