import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from './durable.js';
import { isRequestId } from './ids.js';
import { LAYOUT } from './layout.js';

// Leftovers of writers that died mid-way: temp files of writeFileDurable (`.name.<hex>.tmp`),
// half-built requests (`.tmp-<id>`), half-deleted ones (`.del-<id>-<hex>`).
const TEMP_FILE = /^\..+\.[0-9a-f]{12}\.tmp$/;

async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

async function removeAll(dir: string, doomed: string[]): Promise<void> {
  if (doomed.length === 0) return;
  for (const n of doomed) await rm(join(dir, n), { recursive: true, force: true });
  await fsyncDir(dir);
}

/**
 * Removes what crashed writers left behind. Only safe under the store lock: then no live writer owns
 * any of these names. A half-built request was never visible, so removing it loses nothing committed.
 *
 * requests/ itself is listed every time (one readdir). The temp files inside committed request
 * folders (an update of request.json or a certificate file killed before its rename) are looked for
 * only when `insideRequests` is set: the caller took over the lock of a writer that died holding it,
 * which every such leftover implies, because request folders are written only under the lock (and a
 * write that fails without dying removes its own temp file). Listing every request folder under every
 * lock was one readdir per request: about 0.45 s of system time for each `request new` in a store of
 * 10,000 requests.
 */
export async function sweepLeftovers(storeDir: string, opts: { insideRequests: boolean }): Promise<void> {
  const requestsDir = join(storeDir, LAYOUT.requests);
  // The store root is not swept: other parts (settings, CA certificates) write there without taking
  // this lock, and a leftover temp file there is harmless.
  const entries = await names(requestsDir);
  await removeAll(
    requestsDir,
    entries.filter((n) => n.startsWith(LAYOUT.tmpPrefix) || n.startsWith(LAYOUT.delPrefix) || TEMP_FILE.test(n)),
  );
  if (!opts.insideRequests) return;
  for (const id of entries.filter(isRequestId)) {
    const dir = join(requestsDir, id);
    await removeAll(dir, (await names(dir)).filter((n) => TEMP_FILE.test(n)));
  }
}
