import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
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

/** The cached entries by id; an empty map when the index is missing, damaged or of another format. */
export async function readIndex(storeDir: string): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  let bytes: Buffer;
  try {
    bytes = await readFile(join(storeDir, REQUEST_INDEX_FILE));
  } catch {
    return entries;
  }
  try {
    const nl = bytes.indexOf(0x0a);
    if (nl < 0) return entries;
    const head = JSON.parse(bytes.subarray(0, nl).toString('utf8')) as { format?: unknown; sha256?: unknown };
    const body = bytes.subarray(nl + 1);
    if (head.format !== INDEX_FORMAT || head.sha256 !== createHash('sha256').update(body).digest('hex')) return entries;
    const list = JSON.parse(body.toString('utf8')) as unknown;
    if (!Array.isArray(list)) return entries;
    for (const e of list as unknown[]) {
      // The checksum proves the file is what Certdesk wrote; the shape check guards against a
      // different build's writer. The records were validated when read from their request.json.
      if (!Array.isArray(e) || e.length !== 3 || typeof e[0] !== 'string' || typeof e[1] !== 'string') return new Map();
      const record = e[2] as RequestRecord | null;
      if (record === null || typeof record !== 'object' || record.id !== e[0]) return new Map();
      entries.set(e[0], e as Entry);
    }
    return entries;
  } catch {
    return new Map();
  }
}

/** Writes the index durably; a failure is swallowed (it is only a cache). */
export async function writeIndex(storeDir: string, entries: Entry[]): Promise<void> {
  const body = JSON.stringify(entries);
  const head = JSON.stringify({ format: INDEX_FORMAT, sha256: createHash('sha256').update(body).digest('hex') });
  try {
    crashPoint('index:before-write');
    await writeFileDurable(join(storeDir, REQUEST_INDEX_FILE), `${head}\n${body}`);
  } catch {
    // Read-only folder, full disk...: the next listing reads the request files again.
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
