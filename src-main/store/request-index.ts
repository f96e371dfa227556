import type { RequestRecord } from '../common/requests.js';
import { type RequestSummary, summarizeRequest } from '../common/request-summary.js';
import { type CacheFile, keepCachesInMemory, readCache, scanStamped, type Stamped, stampsOf, writeCache } from './stamped-cache.js';

/**
 * The request index: every request.json's record, so listing 10,000 requests reads one file instead
 * of 10,000 (issue 15); and the summary index beside it: every request's row of the Requests view
 * (common/request-summary.ts), so the view's listing reads about a fifth of the bytes and never
 * parses a full record. Both are caches checked against the requests/ folder on every listing, the
 * folder staying the only source of truth: see stamped-cache.ts for the stamps, checksum,
 * durability and the in-memory copy of long-running processes.
 */
export const REQUEST_INDEX_FILE = 'request-index.json';
export const SUMMARY_INDEX_FILE = 'request-summaries.json';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

const RECORD_INDEX: CacheFile<RequestRecord> = {
  name: REQUEST_INDEX_FILE,
  format: 1,
  crashStep: 'index:before-write',
  // The records were validated when read from their request.json.
  valid: (v, id): v is RequestRecord => v !== null && typeof v === 'object' && (v as { id?: unknown }).id === id,
  freeze: deepFreeze,
};

const SUMMARY_INDEX: CacheFile<RequestSummary> = {
  name: SUMMARY_INDEX_FILE,
  // 2: one entry a line (format 1, one JSON array, was written for an hour of development).
  format: 2,
  lines: true,
  crashStep: 'summaries:before-write',
  valid: (v, id): v is RequestSummary => {
    const s = v as Partial<Record<keyof RequestSummary, unknown>> | null;
    return (
      s !== null && typeof s === 'object' && s.id === id && typeof s.friendlyName === 'string' && typeof s.subject === 'string' && typeof s.sanCount === 'number' &&
      typeof s.status === 'string' && typeof s.createdAt === 'string' && (s.expires === null || typeof s.expires === 'string') && typeof s.search === 'string'
    );
  },
  // Flat: every field is a string, a number or null.
  freeze: (s) => Object.freeze(s),
};

/** Turns the in-memory indexes on for this process (Electron main and the browser-mode server do). */
export function keepRequestIndexInMemory(): void {
  keepCachesInMemory();
}

/** The cached records by id; an empty map when the index is missing, damaged or of another format. */
export function readIndex(storeDir: string): Promise<Map<string, Stamped<RequestRecord>>> {
  return readCache(storeDir, RECORD_INDEX);
}

/** What a listing got: the records in id order, and the ids whose request.json could not be used. */
export interface IndexedScan {
  records: RequestRecord[];
  failures: { id: string; error: unknown }[];
  /** How many records came from the index (the rest were read from their request.json). */
  cached: number;
}

/**
 * The records of `ids` (committed request folders, sorted), from the index where its stamp still
 * matches the request.json on disk, otherwise through `read` (which validates the file). Rewrites the
 * index when anything differed from it, and then the summary index too (the same stamps, so the
 * Requests view's next listing finds its rows ready).
 */
export async function scanWithIndex(
  storeDir: string,
  requestsDir: string,
  jsonName: string,
  ids: string[],
  read: (id: string) => Promise<RequestRecord>,
): Promise<IndexedScan> {
  // Stamps first, then the contents: a file that changes in between carries an older stamp than its
  // content, so it is simply read again next time.
  const [stamps, index] = await Promise.all([stampsOf(requestsDir, ids, jsonName), readIndex(storeDir)]);
  const scan = await scanStamped(storeDir, RECORD_INDEX, ids, stamps, index, read);
  if (scan.rewritten) await writeCache(storeDir, SUMMARY_INDEX, scan.fresh.map(([id, stamp, r]) => [id, stamp, summarizeRequest(r)]));
  return { records: scan.values, failures: scan.failures, cached: scan.cached };
}

/** Reading this many request.json files costs more than parsing the request index once. */
const FROM_RECORDS_ABOVE = 200;

/**
 * The summaries of `ids`, from the summary index where its stamp still matches the request.json on
 * disk, otherwise from the request index under the same rule (when many are missing: a store whose
 * summary index is missing or damaged), otherwise through `read`. Rewrites the summary index when
 * anything differed from it; the request index is left to the next full listing.
 */
export async function scanSummariesWithIndex(
  storeDir: string,
  requestsDir: string,
  jsonName: string,
  ids: string[],
  read: (id: string) => Promise<RequestRecord>,
): Promise<{ summaries: RequestSummary[]; failures: { id: string; error: unknown }[]; cached: number }> {
  const [stamps, index] = await Promise.all([stampsOf(requestsDir, ids, jsonName), readCache(storeDir, SUMMARY_INDEX)]);
  let missing = 0;
  for (let i = 0; i < ids.length; i++) if (stamps[i] == null || index.get(ids[i] as string)?.[1] !== stamps[i]) missing++;
  const records = missing > FROM_RECORDS_ABOVE ? await readIndex(storeDir) : null;
  const scan = await scanStamped(storeDir, SUMMARY_INDEX, ids, stamps, index, async (id, stamp) => {
    const hit = stamp === null ? undefined : records?.get(id);
    return summarizeRequest(hit && hit[1] === stamp ? hit[2] : await read(id));
  });
  return { summaries: scan.values, failures: scan.failures, cached: scan.cached };
}
