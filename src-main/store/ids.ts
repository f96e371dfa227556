import { randomInt } from 'node:crypto';
import { CertdeskError } from '../common/errors.js';

// Crockford-style base32 in ASCII order, so ids sort like their creation times; no i, l, o, u.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** `yyyymmdd-` (UTC) + 4 chars of second-of-day + 4 random chars: short, file-safe, creation-sortable. */
export const REQUEST_ID_PATTERN = /^[0-9]{8}-[0-9a-hjkmnp-tv-z]{8}$/;

/** What may be typed as an id prefix on the command line. */
const PREFIX_PATTERN = /^[0-9]{1,8}(-[0-9a-hjkmnp-tv-z]{0,8})?$/;

function base32(n: number, width: number): string {
  let s = '';
  for (let i = 0; i < width; i++) {
    s = (ALPHABET[n % 32] as string) + s;
    n = Math.floor(n / 32);
  }
  return s;
}

/** A fresh request id for `now`. Uniqueness is checked by the store (under its lock) on creation. */
export function newRequestId(now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  const secondOfDay = now.getUTCHours() * 3600 + now.getUTCMinutes() * 60 + now.getUTCSeconds();
  return `${day}-${base32(secondOfDay, 4)}${base32(randomInt(32 ** 4), 4)}`;
}

/** True when `id` is a well-formed request id (and therefore a safe single path segment). */
export function isRequestId(id: string): boolean {
  return REQUEST_ID_PATTERN.test(id);
}

/** Throws NOT_FOUND for anything that is not a well-formed id, so a path never leaves requests/. */
export function assertRequestId(id: string): void {
  if (!isRequestId(id)) {
    throw new CertdeskError('NOT_FOUND', `no request "${printable(id)}" (request ids look like 20260315-3f2kx9ab)`);
  }
}

/** True when `prefix` could start a request id (digits, then optionally a dash and id characters). */
export function isRequestIdPrefix(prefix: string): boolean {
  return PREFIX_PATTERN.test(prefix.toLowerCase());
}

/** Echo user input safely in a one-line message: control characters escaped, long input cut. */
export function printable(s: string): string {
  const cut = s.length > 80 ? `${s.slice(0, 80)}...` : s;
  return JSON.stringify(cut).slice(1, -1);
}
