import { CertdeskError } from '../common/errors.js';
import { daysLeft, listedForExpiry } from '../common/expiry.js';
import type { ExpiryEntry } from '../common/farms.js';
import { FarmStore } from '../store/farm-store.js';
import { nowOf, openStoreIfExists, type ServiceContext } from './context.js';

/**
 * Issued certificates, soonest expiry first, with the farms they serve. With `withinDays`, only those
 * with at most that many days left (expired ones included: they need action most). A superseded
 * certificate (its renewal is rolled out) needs no action and is listed only with `all`.
 */
export async function listExpiry(ctx: ServiceContext, opts: { withinDays?: number; all?: boolean } = {}): Promise<ExpiryEntry[]> {
  const within = opts.withinDays;
  if (within !== undefined && (!Number.isInteger(within) || within < 0 || within > 36_500)) {
    throw new CertdeskError('INVALID_INPUT', '--within takes a whole number of days from 0 to 36500');
  }
  const store = await openStoreIfExists(ctx);
  if (!store) return [];
  const records = await store.listRequests();
  const farms = await new FarmStore(store).list();
  const now = nowOf(ctx);
  const entries: ExpiryEntry[] = [];
  for (const r of records) {
    const cert = r.certificate;
    if (!cert || !listedForExpiry(r.status, opts.all === true)) continue;
    const left = daysLeft(cert.notAfter, now);
    if (within !== undefined && left > within) continue;
    entries.push({
      requestId: r.id,
      subject: r.subject,
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      daysLeft: left,
      thumbprint: cert.thumbprint,
      farms: farms.filter((f) => f.requestIds.includes(r.id)).map((f) => f.name),
      status: r.status,
    });
  }
  return entries.sort((a, b) => a.notAfter.localeCompare(b.notAfter) || a.requestId.localeCompare(b.requestId));
}
