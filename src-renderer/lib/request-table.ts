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

/** The search box's words: lowercased (the rows' search text is lowercase too), split on whitespace. */
function searchWords(search: string): string[] {
  return search.toLowerCase().split(/\s+/).filter(Boolean);
}

/** One filtering: its inputs and its rows, kept by the view so the next keystroke can narrow from it. */
export interface Filtered {
  /** The rows filtered (the sorted rows): narrowing only applies to the same ones. */
  source: readonly RequestRow[];
  words: readonly string[];
  status: RequestStatus | 'all';
  rows: RequestRow[];
}

/**
 * The rows of `source` whose lowercase search text holds every whitespace-separated search word, with
 * the status asked for ('all' keeps every status), in the order of `source`: the view sorts once (when
 * the rows or the sort change) and filters the sorted rows per keystroke. With no previous filtering
 * every row is scanned. When every row the new search keeps must also have been kept by `previous`
 * (the admin typed on: each previous word is part of a new word, the status is the same or was 'all',
 * the same source), only the previous result is scanned, which is in the same order: the same rows,
 * found in a fraction of the time. Anything else (a deleted character, a new sort) scans `source`.
 */
export function narrowRows(previous: Filtered | null, source: readonly RequestRow[], search: string, status: RequestStatus | 'all'): Filtered {
  const words = searchWords(search);
  // Tested on the lowercased words, not the typed text: lowercasing is not always letter by letter
  // (a Greek capital sigma lowercases to a final sigma at the end of a word only), so "the new search
  // starts with the old one" could miss rows that containment of the lowercased words cannot.
  const narrows = previous !== null && previous.source === source && (previous.status === 'all' || previous.status === status) && previous.words.every((p) => words.some((w) => w.includes(p)));
  return { source, words, status, rows: matchRows(narrows ? previous.rows : source, words, status) };
}

/** The rows whose search text holds every word, with the status asked for, in their order. */
function matchRows(rows: readonly RequestRow[], words: readonly string[], status: RequestStatus | 'all'): RequestRow[] {
  if (words.length === 0 && status === 'all') return rows as RequestRow[];
  // Plain loops: this runs over 10,000 rows per keystroke, without a closure per row and word.
  const kept: RequestRow[] = [];
  for (const r of rows) {
    if (status !== 'all' && r.status !== status) continue;
    let all = true;
    for (const w of words) {
      if (!r.search.includes(w)) {
        all = false;
        break;
      }
    }
    if (all) kept.push(r);
  }
  return kept;
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
