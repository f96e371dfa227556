import { daysLeft, listedForExpiry } from '../../src-main/common/expiry.js';
import type { ExpiryEntry, Farm } from '../../src-main/common/farms.js';
import type { RequestSummary } from '../../src-main/common/request-summary.js';

/** How urgent a certificate is, from its days left and the two thresholds (settings). */
export type ExpiryLevel = 'expired' | 'critical' | 'warning' | 'ok';

/** The level for `daysLeft`: expired below 0, critical up to `critical` days, warning up to `warning`. */
export function expiryLevel(daysLeft: number, critical: number, warning: number): ExpiryLevel {
  if (daysLeft < 0) return 'expired';
  if (daysLeft <= critical) return 'critical';
  if (daysLeft <= warning) return 'warning';
  return 'ok';
}

/** The columns the expiry table sorts by. */
export type ExpirySortKey = 'subject' | 'notAfter' | 'farms';

/** Sorted copy; `notAfter` ascending puts what expires first on top. */
export function sortExpiry(entries: readonly ExpiryEntry[], key: ExpirySortKey, ascending: boolean): ExpiryEntry[] {
  const by: Record<ExpirySortKey, (a: ExpiryEntry, b: ExpiryEntry) => number> = {
    subject: (a, b) => a.subject.localeCompare(b.subject),
    notAfter: (a, b) => a.notAfter.localeCompare(b.notAfter),
    farms: (a, b) => a.farms.join(',').localeCompare(b.farms.join(',')),
  };
  const sorted = [...entries].sort((a, b) => by[key](a, b) || a.requestId.localeCompare(b.requestId));
  return ascending ? sorted : sorted.reverse();
}

/** Entries of one farm; `''` keeps those without a farm, null keeps all. */
export function filterByFarm(entries: readonly ExpiryEntry[], farm: string | null): ExpiryEntry[] {
  if (farm === null) return [...entries];
  return entries.filter((e) => (farm === '' ? e.farms.length === 0 : e.farms.includes(farm)));
}

/** The time axis of the timeline: from the earliest notBefore (or today) to the latest notAfter (or today + window). */
export interface TimelineScale {
  start: number;
  end: number;
  /** x in [0, width] for a time. */
  x(time: number, width: number): number;
}

const DAY = 86_400_000;

/** A scale covering every bar, today and the warning window after today, with a little margin. */
export function timelineScale(entries: readonly ExpiryEntry[], now: number, windowDays: number): TimelineScale {
  const times = entries.flatMap((e) => [Date.parse(e.notBefore), Date.parse(e.notAfter)]);
  let start = Math.min(now, ...times);
  let end = Math.max(now + windowDays * DAY, ...times);
  const pad = (end - start) * 0.02 || DAY;
  start -= pad;
  end += pad;
  return { start, end, x: (time, width) => ((time - start) / (end - start)) * width };
}

/** Lines of the Requests view's expiring card: the most urgent; the Expiry view has them all (a large store may have hundreds). */
export const EXPIRING_SHOWN = 5;

/** One line of the Requests view's expiring card. */
export interface ExpiringRow {
  requestId: string;
  subject: string;
  notAfter: string;
  daysLeft: number;
  /** Farms serving the certificate, in farms.list order. */
  farms: string[];
}

/**
 * The Requests view's expiring card from the rows it already has (requests.summaries) and the farms
 * (farms.list): each certificate expiry.list({ withinDays }) would list, soonest first, under the same
 * rule (common/expiry.ts). Derived with the rows instead of asked of main afterwards: that second
 * listing scanned all 10,000 requests again, and its answer (hundreds of lines) used to land while
 * the admin was already typing into the filter, stalling that keystroke for 100-280 ms.
 */
export function expiringRows(rows: readonly RequestSummary[], farms: readonly Pick<Farm, 'name' | 'requestIds'>[], now: Date, withinDays: number): ExpiringRow[] {
  const farmsOf = new Map<string, string[]>();
  for (const f of farms) for (const id of f.requestIds) farmsOf.set(id, [...(farmsOf.get(id) ?? []), f.name]);
  const out: ExpiringRow[] = [];
  for (const r of rows) {
    if (r.expires === null || !listedForExpiry(r.status)) continue;
    const left = daysLeft(r.expires, now);
    if (left > withinDays) continue;
    out.push({ requestId: r.id, subject: r.subject, notAfter: r.expires, daysLeft: left, farms: farmsOf.get(r.id) ?? [] });
  }
  // expiry.list's order: ISO-8601 UTC strings order chronologically as text.
  return out.sort((a, b) => (a.notAfter < b.notAfter ? -1 : a.notAfter > b.notAfter ? 1 : a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : 0));
}
