import { summarizeRequest, type RequestSummary } from '../../src-main/common/request-summary.js';
import type { RequestRecord, RequestStatus } from '../../src-main/common/requests.js';

/** Columns the requests table sorts by. */
export type SortKey = 'friendlyName' | 'subject' | 'sanCount' | 'status' | 'createdAt' | 'expires';
/** Sort direction. */
export type SortDir = 'asc' | 'desc';

/** What the table needs of a request: the requests.summaries row (`expires` from the issued certificate, when there is one). */
export type RequestRow = RequestSummary;

/** Flattens records the way requests.summaries does (the view's tests build rows from records). */
export function toRows(records: readonly RequestRecord[]): RequestRow[] {
  return records.map(summarizeRequest);
}

/**
 * Every whitespace-separated search word must occur in the row's precomputed lowercase search text;
 * status 'all' keeps every status. One pass that keeps the order, so the view sorts once (when the
 * rows or the sort change) and filters the sorted rows per keystroke.
 */
export function filterRows(rows: readonly RequestRow[], search: string, status: RequestStatus | 'all'): RequestRow[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0 && status === 'all') return rows as RequestRow[];
  return rows.filter((r) => (status === 'all' || r.status === status) && words.every((w) => r.search.includes(w)));
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function compare(a: RequestRow, b: RequestRow, key: SortKey): number {
  switch (key) {
    case 'sanCount':
      return a.sanCount - b.sanCount;
    case 'createdAt':
      // ISO-8601 strings order chronologically as text.
      return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0;
    case 'expires': {
      // Pending requests (no certificate) sort after every issued one in ascending order.
      if (a.expires === b.expires) return 0;
      if (a.expires === null) return 1;
      if (b.expires === null) return -1;
      return a.expires < b.expires ? -1 : 1;
    }
    default:
      return collator.compare(a[key], b[key]);
  }
}

/** A stable sort (ties keep the previous order, then fall back to the id so pages never shuffle). */
export function sortRows(rows: readonly RequestRow[], key: SortKey, dir: SortDir): RequestRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => sign * compare(a, b, key) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** One page of rows, with the page clamped into range (the filter may shrink the list under the user). */
export interface Page<T> {
  items: T[];
  page: number;
  pageCount: number;
  total: number;
  /** 1-based index of the first item shown, 0 when empty. */
  from: number;
  to: number;
}

/** Slices `rows` into pages of `size`; an out-of-range page lands on the nearest valid one. */
export function paginate<T>(rows: readonly T[], page: number, size: number): Page<T> {
  const pageCount = Math.max(1, Math.ceil(rows.length / size));
  const p = Math.min(Math.max(0, Math.floor(page)), pageCount - 1);
  const items = rows.slice(p * size, p * size + size);
  return { items, page: p, pageCount, total: rows.length, from: items.length ? p * size + 1 : 0, to: p * size + items.length };
}

/** The next focused row index for a key press in the table (roving focus), or null when the key is not ours. */
export function nextRowIndex(key: string, current: number, count: number, pageSize: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowDown':
      return Math.min(count - 1, current + 1);
    case 'ArrowUp':
      return Math.max(0, current - 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'PageDown':
      return Math.min(count - 1, current + pageSize);
    case 'PageUp':
      return Math.max(0, current - pageSize);
    default:
      return null;
  }
}
