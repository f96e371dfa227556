import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { crashPoint } from './crash-point.js';
import { writeFileDurable } from './durable.js';

/**
 * A cache file in the store root of values derived from the request.json files, each entry with the
 * stamp of the request.json it came from: the request index (full records, request-index.ts) and the
 * summary index (the Requests view's rows, request-summary-index.ts). What they share:
 * - a stamp is inode, size, mtime and ctime in nanoseconds, taken BEFORE the file was read; a
 *   listing stats every request.json and uses an entry only while its stamp is unchanged, so
 *   requests copied in by hand, restored, edited in place or changed by another build are seen.
 * - the file starts with a line holding its format and the SHA-256 of the rest: a torn, truncated
 *   or edited file, or one of another format, fails the check and is ignored (and rebuilt).
 * - it lives in the store root, not in requests/, whose folder it would otherwise change.
 * - it is written durably (temp file, fsync, rename, fsync the folder) but without the store lock:
 *   readers never lock. Racing writers each write a complete file whose stamps predate what they
 *   read, so the loser's entries are at worst read again next time.
 * - failing to write it (read-only folder, full disk) only costs speed.
 */
export type Stamped<V> = [id: string, stamp: string, value: V];

export interface CacheFile<V> {
  /** File name in the store root. */
  name: string;
  format: number;
  /** The crash tests' name for the moment before the file is written. */
  crashStep: string;
  /**
   * Whether a parsed value is one this build writes for `id`. The checksum proves Certdesk wrote
   * the file; this guards against another build's writer of the same format.
   */
  valid(value: unknown, id: string): value is V;
  /** Makes a value safe to hand to every listing of a long-running process. */
  freeze(value: V): void;
  /**
   * One entry a line instead of one JSON array, parsed a slice of lines at a time with a yield to
   * the event loop between slices: a long-running process reads the file while it also serves the
   * page's own files, which a single parse of megabytes would hold up.
   */
  lines?: true;
}

/** request.json files stat'ed between two yields to the event loop. */
const STAT_SLICE = 256;

export function stampOf(path: string): string | null {
  // Synchronous on purpose: 10,000 promise-based stats cost 2-4 times as long as plain ones (one
  // promise and thread-pool round trip each); stampsOf yields between slices instead.
  const s = statSync(path, { bigint: true, throwIfNoEntry: false });
  // Missing: the reader reports why (damaged request, deleted meanwhile...).
  return s ? `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : null;
}

/** The stamp of every `requestsDir/<id>/<jsonName>`, null where it cannot be stat'ed. */
export async function stampsOf(requestsDir: string, ids: string[], jsonName: string): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for (let i = 0; i < ids.length; i++) {
    try {
      // Joined by hand: ids are request ids and jsonName a fixed name, so path.join's normalizing
      // (a few milliseconds over 10,000) has nothing to do.
      out.push(stampOf(`${requestsDir}${sep}${ids[i] as string}${sep}${jsonName}`));
    } catch {
      out.push(null); // unreadable: the reader says why
    }
    // A slice takes a few milliseconds: the app's event loop (and the browser-mode server) stays responsive.
    if (i % STAT_SLICE === STAT_SLICE - 1) await new Promise<void>((r) => setImmediate(r));
  }
  return out;
}

/**
 * Cache files as last read or written by this process, by path, with the identity of the file they
 * came from (its stamp and first line: format and SHA-256 of the rest). Long-running processes
 * (Electron main, the browser-mode server) list again and again: while the identity is unchanged
 * they skip reading, hashing and parsing the file. Every request.json is still stat'ed and compared
 * on every listing, so the folder stays the truth. The stamp alone could miss a change (timestamps
 * tick only every few milliseconds), the first line alone a damaged body. The values are frozen,
 * because the same objects are handed to every listing.
 */
const memo = new Map<string, { identity: string; entries: Map<string, Stamped<unknown>> }>();
/** Off in one-shot processes (the CLI lists once: remembering would only cost the freezing). */
let memoEnabled = false;

/** Turns the in-memory caches on for this process (Electron main and the browser-mode server do). */
export function keepCachesInMemory(): void {
  memoEnabled = true;
}
/** Files remembered at once: the app has one store (two cache files); tests and tools may open a few. */
const MEMO_FILES = 8;

function remember<V>(file: CacheFile<V>, path: string, identity: string | null, entries: Map<string, Stamped<V>>): void {
  memo.delete(path);
  if (!memoEnabled || identity === null || entries.size === 0) return;
  for (const e of entries.values()) {
    file.freeze(e[2]);
    Object.freeze(e);
  }
  memo.set(path, { identity, entries });
  if (memo.size > MEMO_FILES) memo.delete(memo.keys().next().value as string);
}

/** Longer than any first line Certdesk writes ({"format":1,"sha256":"<64 hex>"}). */
const HEAD_MAX = 256;

/** What identifies the file's content without reading it all (see memo). */
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

/** The first line of the file, or null when it is missing or has none. */
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

/**
 * Reads under way, by path and identity: a listing that comes while the same file is being read
 * (the app's listing at launch and the page's first one) waits for that read instead of parsing it again.
 */
const reading = new Map<string, { identity: string; entries: Promise<Map<string, Stamped<unknown>>> }>();

/** The cached entries by id; an empty map when the file is missing, damaged or of another format. */
export async function readCache<V>(storeDir: string, file: CacheFile<V>): Promise<Map<string, Stamped<V>>> {
  const path = join(storeDir, file.name);
  // Identity before content: a file replaced in between is remembered under the old identity, so
  // the next listing sees a different one and reads the file again.
  const identity = identityOf(path);
  const known = memo.get(path);
  if (identity !== null && known?.identity === identity) return known.entries as Map<string, Stamped<V>>;
  const under = reading.get(path);
  if (identity !== null && under?.identity === identity) return (await under.entries) as Map<string, Stamped<V>>;
  const entries = parseCacheFile(path, file).then((parsed) => {
    remember(file, path, parsed.head !== null && identity?.endsWith(`\n${parsed.head}`) === true ? identity : null, parsed.entries);
    return parsed.entries;
  });
  if (identity === null) return entries;
  const read = { identity, entries: entries as Promise<Map<string, Stamped<unknown>>> };
  reading.set(path, read);
  try {
    return await entries;
  } finally {
    if (reading.get(path) === read) reading.delete(path);
  }
}

/** Bytes hashed, or lines parsed, between two yields of a sliced read. */
const HASH_SLICE = 1 << 20;
const LINE_SLICE = 500;
const yieldToLoop = (): Promise<void> => new Promise<void>((r) => setImmediate(r));

async function parseCacheFile<V>(path: string, file: CacheFile<V>): Promise<{ head: string | null; entries: Map<string, Stamped<V>> }> {
  const none = { head: null, entries: new Map<string, Stamped<V>>() };
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
    if (head.format !== file.format) return none;
    const body = bytes.subarray(nl + 1);
    const hash = createHash('sha256');
    for (let at = 0; at < body.length; at += HASH_SLICE) {
      hash.update(body.subarray(at, at + HASH_SLICE));
      if (file.lines) await yieldToLoop();
    }
    if (head.sha256 !== hash.digest('hex')) return none;
    const list = file.lines ? await parseLines(body) : (JSON.parse(body.toString('utf8')) as unknown);
    if (!Array.isArray(list)) return none;
    const entries = new Map<string, Stamped<V>>();
    for (const e of list as unknown[]) {
      if (!Array.isArray(e) || e.length !== 3 || typeof e[0] !== 'string' || typeof e[1] !== 'string' || !file.valid(e[2], e[0])) return none;
      entries.set(e[0], e as Stamped<V>);
    }
    return { head: headText, entries };
  } catch {
    return none;
  }
}

/** The JSON value of every line (JSON.stringify escapes newlines in strings, so a line is one value). */
async function parseLines(body: Buffer): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let start = 0; start < body.length; ) {
    const end = body.indexOf(0x0a, start);
    const stop = end < 0 ? body.length : end;
    out.push(JSON.parse(body.toString('utf8', start, stop)));
    start = stop + 1;
    if (out.length % LINE_SLICE === 0) await yieldToLoop();
  }
  return out;
}

/** Writes the file durably; a failure is swallowed (it is only a cache). */
export async function writeCache<V>(storeDir: string, file: CacheFile<V>, entries: Stamped<V>[]): Promise<void> {
  const body = file.lines ? entries.map((e) => JSON.stringify(e)).join('\n') : JSON.stringify(entries);
  const head = JSON.stringify({ format: file.format, sha256: createHash('sha256').update(body).digest('hex') });
  const path = join(storeDir, file.name);
  try {
    crashPoint(file.crashStep);
    await writeFileDurable(path, `${head}\n${body}`);
    // What this process wrote is what the file holds, until its identity changes. Should another
    // writer's rename land first, its first line differs from ours and the next listing reads it.
    const identity = identityOf(path);
    remember(file, path, identity?.endsWith(`\n${head}`) === true ? identity : null, new Map(entries.map((e) => [e[0], e])));
  } catch {
    // Read-only folder, full disk...: the next listing reads the request files again.
    memo.delete(path);
  }
}

/** What a listing through a cache file got, in the order of the ids it was given. */
export interface StampedScan<V> {
  values: V[];
  /** The ids whose request.json could not be used, and why. */
  failures: { id: string; error: unknown }[];
  /** How many values came from the cache (the rest were made anew). */
  cached: number;
}

/** Misses made at once. */
const MISS_BATCH = 64;

/**
 * The values for `ids` from `cached` where the entry's stamp is `stamps`' (taken first, see above),
 * the others through `make`; rewrites the file when anything differed from it. A damaged request
 * (never cached) alone does not cause a rewrite on every listing.
 */
export async function scanStamped<V>(
  storeDir: string,
  file: CacheFile<V>,
  ids: string[],
  stamps: (string | null)[],
  cached: Map<string, Stamped<V>>,
  make: (id: string, stamp: string | null) => Promise<V>,
): Promise<StampedScan<V> & { fresh: Stamped<V>[]; rewritten: boolean }> {
  const out: (V | undefined)[] = new Array<V | undefined>(ids.length);
  const fresh: (Stamped<V> | null)[] = new Array<Stamped<V> | null>(ids.length).fill(null);
  const failures: { id: string; error: unknown }[] = [];
  const misses: number[] = [];
  let hits = 0;
  for (let i = 0; i < ids.length; i++) {
    const stamp = stamps[i] ?? null;
    const hit = stamp === null ? undefined : cached.get(ids[i] as string);
    if (hit && hit[1] === stamp) {
      out[i] = hit[2];
      fresh[i] = hit;
      hits++;
    } else {
      misses.push(i);
    }
  }
  let made = 0;
  for (let b = 0; b < misses.length; b += MISS_BATCH) {
    await Promise.all(
      misses.slice(b, b + MISS_BATCH).map(async (i) => {
        const id = ids[i] as string;
        try {
          const stamp = stamps[i] ?? null;
          const value = await make(id, stamp);
          out[i] = value;
          if (stamp !== null) {
            fresh[i] = [id, stamp, value];
            made++;
          }
        } catch (error) {
          failures.push({ id, error });
        }
      }),
    );
  }
  const kept = fresh.filter((e): e is Stamped<V> => e !== null);
  const rewritten = made > 0 || cached.size !== hits;
  if (rewritten) await writeCache(storeDir, file, kept);
  failures.sort((a, b) => a.id.localeCompare(b.id));
  return { values: out.filter((v): v is V => v !== undefined), failures, cached: hits, fresh: kept, rewritten };
}
