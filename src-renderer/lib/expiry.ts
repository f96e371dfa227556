import type { ExpiryEntry } from '../../src-main/common/farms.js';

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
