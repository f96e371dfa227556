import type { ShellMode } from '../common/api.js';

/**
 * The Content-Security-Policy of the renderer, identical in both shells except connect-src: only
 * browser mode talks to main over HTTP (its one POST /rpc, same origin); Electron uses IPC and may
 * connect nowhere. No 'unsafe-inline', no 'unsafe-eval': the build emits external JS and CSS only.
 */
export function contentSecurityPolicy(mode: ShellMode): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${mode === 'browser' ? "'self'" : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every browser-mode response carries, besides the CSP. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=()',
};
