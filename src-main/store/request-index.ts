import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RequestRecord } from '../common/requests.js';
import { crashPoint } from './crash-point.js';
import { writeFileDurable } from './durable.js';

/**
 * The request index: a cache of every request.json, so listing 10,000 requests reads one file instead
 * of 10,000 (issue 15). The requests/ folder stays the only source of truth:
 * - every entry carries the stamp of its request.json (inode, size, mtime and ctime in nanoseconds),
 *   taken BEFORE the file was read; each listing stats every request.json and re-reads any whose stamp
 *   differs or that the index lacks, so requests copied in by hand, restored from a backup, edited,
 *   or changed by a Certdesk without this index all show as they are on disk. Entries of folders that
 *   are gone are dropped. (A rename always makes a new inode; ctime cannot be set back by `touch`.)
 * - the file starts with a line holding the SHA-256 of the rest: a torn, truncated or edited index
 *   fails the check and is ignored (and rebuilt), never half-trusted.
 * - it lives in the store root, not in requests/: writing it there would change the folder it checks.
 * - it is written like everything else (temp file, fsync, rename, fsync the folder), but without the
 *   store lock: readers never lock. Two listings may race to write it; each writes a complete index
 *   whose stamps predate what it read, so the loser's entries are at worst re-read next time.
 * - it is a cache: failing to write it (a read-only store folder, a full disk) only costs speed.
 */
export const REQUEST_INDEX_FILE = 'request-index.json';
const INDEX_FORMAT = 1;
/** request.json files stat'ed between two yields to the event loop. */
const STAT_SLICE = 256;
/** Request files read at once when the index misses them. */
const READ_BATCH = 64;

/** One cached record and the stamp of the request.json it was read from. */
type Entry = [id: string, stamp: string, record: RequestRecord];

/** What a listing got: the records in id order, and the ids whose request.json could not be used. */
export interface IndexedScan {
  records: RequestRecord[];
  failures: { id: string; error: unknown }[];
  /** How many records came from the index (the rest were read from their request.json). */
  cached: number;
}

function stampOf(path: string): string | null {
  // Synchronous on purpose: 10,000 promise-based stats cost 2-4 times as long as plain ones (one
  // promise and thread-pool round trip each); stampsOf yields between slices instead.
  const s = statSync(path, { bigint: true, throwIfNoEntry: false });
  // Missing: the reader reports why (damaged request, deleted meanwhile...).
  return s ? `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : null;
}

async function stampsOf(requestsDir: string, ids: string[], jsonName: string): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for (let i = 0; i < ids.length; i++) {
    try {
      out.push(stampOf(join(requestsDir, ids[i] as string, jsonName)));
    } catch {
      out.push(null); // unreadable: the reader says why
    }
    // A slice takes a few milliseconds: the app's event loop (and the browser-mode server) stays responsive.
    if (i % STAT_SLICE === STAT_SLICE - 1) await new Promise<void>((r) => setImmediate(r));
  }
  return out;
}

/**
 * The index as last read or written by this process, per store folder, with the first line of
 * request-index.json it came from (format and the SHA-256 of the rest). Long-running processes
 * (Electron main, the browser-mode server) list again and again: while that line is unchanged they
 * skip reading, hashing and parsing the file's megabytes (about a third of a 10,000-request
 * listing's CPU). Each request.json is still stat'ed and compared on every listing, exactly as with
 * the file, so the folder stays the truth. The first line rather than the file's mtime decides,
 * because file timestamps tick only every few milliseconds. The records are frozen, because the
 * same objects are handed to every listing.
 */
const memo = new Map<string, { identity: string; entries: Map<string, Entry> }>();
/** Off in one-shot processes (the CLI lists once: remembering would only cost the freezing). */
let memoEnabled = false;

/** Turns the in-memory index on for this process (Electron main and the browser-mode server do). */
export function keepRequestIndexInMemory(): void {
  memoEnabled = true;
}
/** Store folders remembered at once: the app has one; tests and tools may open a few. */
const MEMO_STORES = 4;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

function remember(storeDir: string, identity: string | null, entries: Map<string, Entry>): void {
  memo.delete(storeDir);
  if (!memoEnabled || identity === null || entries.size === 0) return;
  for (const e of entries.values()) deepFreeze(e);
  memo.set(storeDir, { identity, entries });
  if (memo.size > MEMO_STORES) memo.delete(memo.keys().next().value as string);
}

/** Longer than any first line Certdesk writes ({"format":1,"sha256":"<64 hex>"}). */
const HEAD_MAX = 256;

/**
 * What identifies the index file's content without reading it all: its stamp (as for request.json)
 * and its first line (format and SHA-256 of the rest). Either alone can miss a change: timestamps
 * tick only every few milliseconds, and a damaged body may keep its first line.
 */
function identityOf(path: string): string | null {
  let stamp: string | null;
  try {
    stamp = stampOf(path);
  } catch {
    return null;
  }
  const head = headOf(path);
  return stamp === null || head === null ? null : `${stamp}\n${head}`;
}

/** The first line of the index file, or null when it is missing or has none. */
function headOf(path: string): string | null {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(HEAD_MAX);
    const n = readSync(fd, buf, 0, HEAD_MAX, 0);
    const nl = buf.subarray(0, n).indexOf(0x0a);
    return nl < 0 ? null : buf.subarray(0, nl).toString('utf8');
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The cached entries by id; an empty map when the index is missing, damaged or of another format. */
export async function readIndex(storeDir: string): Promise<Map<string, Entry>> {
  const path = join(storeDir, REQUEST_INDEX_FILE);
  // Identity before content: a file replaced in between is remembered under the old identity, so
  // the next listing sees a different one and reads the file again.
  const identity = identityOf(path);
  const known = memo.get(storeDir);
  if (identity !== null && known?.identity === identity) return known.entries;
  const parsed = await parseIndexFile(path);
  remember(storeDir, parsed.head !== null && identity?.endsWith(`\n${parsed.head}`) === true ? identity : null, parsed.entries);
  return parsed.entries;
}

async function parseIndexFile(path: string): Promise<{ head: string | null; entries: Map<string, Entry> }> {
  const none = { head: null, entries: new Map<string, Entry>() };
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    return none;
  }
  try {
    const nl = bytes.indexOf(0x0a);
    if (nl < 0) return none;
    const headText = bytes.subarray(0, nl).toString('utf8');
    const head = JSON.parse(headText) as { format?: unknown; sha256?: unknown };
    const body = bytes.subarray(nl + 1);
    if (head.format !== INDEX_FORMAT || head.sha256 !== createHash('sha256').update(body).digest('hex')) return none;
    const list = JSON.parse(body.toString('utf8')) as unknown;
    if (!Array.isArray(list)) return none;
    const entries = new Map<string, Entry>();
    for (const e of list as unknown[]) {
      // The checksum proves the file is what Certdesk wrote; the shape check guards against a
      // different build's writer. The records were validated when read from their request.json.
      if (!Array.isArray(e) || e.length !== 3 || typeof e[0] !== 'string' || typeof e[1] !== 'string') return none;
      const record = e[2] as RequestRecord | null;
      if (record === null || typeof record !== 'object' || record.id !== e[0]) return none;
      entries.set(e[0], e as Entry);
    }
    return { head: headText, entries };
  } catch {
    return none;
  }
}

/** Writes the index durably; a failure is swallowed (it is only a cache). */
export async function writeIndex(storeDir: string, entries: Entry[]): Promise<void> {
  const body = JSON.stringify(entries);
  const head = JSON.stringify({ format: INDEX_FORMAT, sha256: createHash('sha256').update(body).digest('hex') });
  const path = join(storeDir, REQUEST_INDEX_FILE);
  try {
    crashPoint('index:before-write');
    await writeFileDurable(path, `${head}\n${body}`);
    // What this process wrote is what the file holds, until its identity changes. Should another
    // writer's rename land first, its first line differs from ours and the next listing reads it.
    const identity = identityOf(path);
    remember(storeDir, identity?.endsWith(`\n${head}`) === true ? identity : null, new Map(entries.map((e) => [e[0], e])));
  } catch {
    // Read-only folder, full disk...: the next listing reads the request files again.
    memo.delete(storeDir);
  }
}

/**
 * The records of `ids` (committed request folders, sorted), from the index where its stamp still
 * matches the request.json on disk, otherwise through `read` (which validates the file). Rewrites the
 * index when anything differed from it.
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
  const out: (RequestRecord | null)[] = new Array<RequestRecord | null>(ids.length).fill(null);
  const failures: { id: string; error: unknown }[] = [];
  const fresh: (Entry | null)[] = new Array<Entry | null>(ids.length).fill(null);
  const misses: number[] = [];
  let cached = 0;
  for (let i = 0; i < ids.length; i++) {
    const stamp = stamps[i] ?? null;
    const hit = stamp === null ? undefined : index.get(ids[i] as string);
    if (hit && hit[1] === stamp) {
      out[i] = hit[2];
      fresh[i] = hit;
      cached++;
    } else {
      misses.push(i);
    }
  }
  let reread = 0;
  for (let b = 0; b < misses.length; b += READ_BATCH) {
    await Promise.all(
      misses.slice(b, b + READ_BATCH).map(async (i) => {
        const id = ids[i] as string;
        try {
          const record = await read(id);
          out[i] = record;
          const stamp = stamps[i] ?? null;
          if (stamp !== null) {
            fresh[i] = [id, stamp, record];
            reread++;
          }
        } catch (error) {
          failures.push({ id, error });
        }
      }),
    );
  }
  // Rewrite when something was read anew or the index holds entries that are gone or outdated;
  // a damaged request (never cached) alone does not cause a rewrite on every listing.
  if (reread > 0 || index.size !== cached) await writeIndex(storeDir, fresh.filter((e): e is Entry => e !== null));
  const records = out.filter((r): r is RequestRecord => r !== null);
  failures.sort((a, b) => a.id.localeCompare(b.id));
  return { records, failures, cached };
}
