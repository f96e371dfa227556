/**
 * The request index (store/request-index.ts) is a cache: whatever happens to it or to the requests/
 * folder, a listing shows exactly what the request.json files on disk say.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import { newRequestId } from '../../../src-main/store/ids.js';
import { readIndex, REQUEST_INDEX_FILE, scanWithIndex } from '../../../src-main/store/request-index.js';
import { Store } from '../../../src-main/store/store.js';
import { fakeCsrDer, sampleRecord, tempDir, testKey } from './fixtures.js';

const key = testKey();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function freshStore(name = 'store') {
  const t = await tempDir('certdesk-index-');
  cleanups.push(t.cleanup);
  const root = join(t.dir, name);
  const store = await Store.open(root, createMemorySecretStore(), { lockTimeoutMs: 500 });
  return { store, root };
}

let clock = Date.parse('2026-03-15T10:00:00Z');
async function addRequest(store: Store, friendlyName = 'Reverse Proxy Listener') {
  clock += 1000;
  const id = newRequestId(new Date(clock));
  const csrDer = fakeCsrDer();
  await store.createRequest(sampleRecord(id, csrDer, { friendlyName, createdAt: new Date(clock).toISOString() }), { csrDer, privateKeyPem: key.pem });
  return id;
}

/** A listing through the index that counts how many request.json files had to be read. */
async function scan(root: string, store: Store) {
  const ids = await store.listRequestIds();
  let reads = 0;
  const result = await scanWithIndex(root, join(root, 'requests'), 'request.json', ids, (id) => {
    reads++;
    return store.getRequest(id);
  });
  return { ...result, reads, names: result.records.map((r) => r.friendlyName) };
}

describe('request index', () => {
  it('is built by the first listing and serves the next one without reading any request file', async () => {
    const { store, root } = await freshStore();
    await addRequest(store, 'a');
    await addRequest(store, 'b');
    const first = await scan(root, store);
    expect(first).toMatchObject({ reads: 2, cached: 0, names: ['a', 'b'] });
    expect((await readIndex(root)).size).toBe(2);
    const second = await scan(root, store);
    expect(second).toMatchObject({ reads: 0, cached: 2, names: ['a', 'b'] });
  });

  it('notices a changed request.json (a Certdesk update) and re-reads only that one', async () => {
    const { store, root } = await freshStore();
    const a = await addRequest(store, 'a');
    await addRequest(store, 'b');
    await scan(root, store);
    await store.updateRequest(a, (r) => ({ ...r, friendlyName: 'a renamed' }));
    const after = await scan(root, store);
    expect(after).toMatchObject({ reads: 1, cached: 1, names: ['a renamed', 'b'] });
  });

  it('notices a request.json edited in place by hand, even with the same size and mtime', async () => {
    const { store, root } = await freshStore();
    const a = await addRequest(store, 'aaaa');
    await scan(root, store);
    const path = join(root, 'requests', a, 'request.json');
    const before = await stat(path);
    const text = await readFile(path, 'utf8');
    // Same length, written into the same inode, mtime put back: only the ctime tells.
    await writeFile(path, text.replace('"friendlyName": "aaaa"', '"friendlyName": "bbbb"'));
    spawnSync('touch', ['-m', '-d', before.mtime.toISOString(), path]);
    expect((await stat(path)).ino).toBe(before.ino);
    expect((await store.listRequests()).map((r) => r.friendlyName)).toEqual(['bbbb']);
  });

  it('shows requests copied into requests/ by hand and drops folders that are gone', async () => {
    const other = await freshStore('other');
    const copied = await addRequest(other.store, 'copied by hand');
    const { store, root } = await freshStore();
    const gone = await addRequest(store, 'deleted by hand');
    await addRequest(store, 'kept');
    expect((await store.listRequests()).map((r) => r.friendlyName)).toEqual(['deleted by hand', 'kept']);
    // `cp -a` keeps the mtimes: only the folder listing and the stamps (new inodes) reveal the change.
    await cp(join(other.root, 'requests', copied), join(root, 'requests', copied), { recursive: true, preserveTimestamps: true });
    await rm(join(root, 'requests', gone), { recursive: true });
    expect((await store.listRequests()).map((r) => r.friendlyName)).toEqual(['copied by hand', 'kept']); // oldest first
    const index = await readIndex(root);
    expect([...index.keys()].sort()).toEqual((await store.listRequestIds()).sort());
  });

  it.each([
    ['garbage', () => Buffer.from('not an index at all')],
    ['a truncated copy (a torn write)', (good: Buffer) => good.subarray(0, Math.floor(good.length / 2))],
    ['one changed byte in the records', (good: Buffer) => Buffer.from(good.toString('utf8').replace('"friendlyName":"a"', '"friendlyName":"X"'))],
    ['a valid checksum over entries of the wrong shape', () => Buffer.from(`{"format":1,"sha256":"${sha256('[1,2,3]')}"}\n[1,2,3]`)],
    ['an index of a future format', (good: Buffer) => Buffer.from(good.toString('utf8').replace('{"format":1', '{"format":99'))],
    ['an empty file', () => Buffer.alloc(0)],
  ])('ignores and rebuilds an index that is %s', async (_what, damage) => {
    const { store, root } = await freshStore();
    await addRequest(store, 'a');
    await addRequest(store, 'b');
    await scan(root, store);
    const indexPath = join(root, REQUEST_INDEX_FILE);
    await writeFile(indexPath, damage(await readFile(indexPath)));
    const listed = await scan(root, store);
    expect(listed).toMatchObject({ reads: 2, cached: 0, names: ['a', 'b'] });
    // Rebuilt: the next listing is served from it again.
    expect(await scan(root, store)).toMatchObject({ reads: 0, cached: 2, names: ['a', 'b'] });
  });

  it('reports a damaged request every time without caching it or rewriting the index for it', async () => {
    const { store, root } = await freshStore();
    await addRequest(store, 'a');
    const bad = await addRequest(store, 'b');
    await writeFile(join(root, 'requests', bad, 'request.json'), '{ not json');
    const first = await store.scanRequests();
    expect(first.records.map((r) => r.friendlyName)).toEqual(['a']);
    expect(first.problems).toEqual([{ id: bad, message: expect.stringContaining('not valid JSON') as unknown }]);
    const ino = (await stat(join(root, REQUEST_INDEX_FILE))).ino;
    const second = await store.scanRequests();
    expect(second.problems.map((p) => p.id)).toEqual([bad]);
    // Written durably means a new file renamed into place: the same inode means no rewrite.
    expect((await stat(join(root, REQUEST_INDEX_FILE))).ino).toBe(ino);
  });

  it('survives a crash during the index write: the old index and a leftover temp file change nothing', async () => {
    const { store, root } = await freshStore();
    await addRequest(store, 'a');
    await scan(root, store);
    const b = await addRequest(store, 'b');
    // What a writer killed mid-way leaves behind: writeFileDurable's temp sibling, half written; the
    // old index (which lacks b) is still in place because the rename never happened.
    const old = await readFile(join(root, REQUEST_INDEX_FILE));
    await writeFile(join(root, `.${REQUEST_INDEX_FILE}.0123456789ab.tmp`), old.subarray(0, 40));
    const listed = await scan(root, store);
    expect(listed).toMatchObject({ reads: 1, cached: 1, names: ['a', 'b'] });
    expect([...(await readIndex(root)).keys()]).toContain(b);
  });

  it('lists correctly, and only costs speed, when the index cannot be written', async () => {
    const { store, root } = await freshStore();
    await addRequest(store, 'a');
    // A folder where the index file should be: every write of it fails.
    await rm(join(root, REQUEST_INDEX_FILE), { force: true });
    await cp(join(root, 'requests'), join(root, REQUEST_INDEX_FILE), { recursive: true });
    expect((await store.listRequests()).map((r) => r.friendlyName)).toEqual(['a']);
    expect((await store.listRequests()).map((r) => r.friendlyName)).toEqual(['a']);
  });
});

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
