import type { RequestStatus } from './requests.js';

const DAY_MS = 86_400_000;

/** Whole days from `now` to `notAfter`, rounded down (a certificate expiring in 20 hours has 0 days left). */
export function daysLeft(notAfter: string, now: Date): number {
  return Math.floor((Date.parse(notAfter) - now.getTime()) / DAY_MS);
}

/**
 * Whether a certificate of a request in `status` belongs in the expiry overview: a revoked one never,
 * a superseded one (its renewal is rolled out, nothing to do) only when `all` are asked for. One rule
 * for `expiry`/expiry.list in main and the Requests view's expiring line, which derives it from its rows.
 */
export function listedForExpiry(status: RequestStatus, all = false): boolean {
  return status !== 'revoked' && (status !== 'superseded' || all);
}
