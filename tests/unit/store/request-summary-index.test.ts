/**
 * The summary index (request-summaries.json, store/request-index.ts): the Requests view's rows
 * cached beside the request index. Like it, a cache: whatever happens to it, to the request index or
 * to the requests/ folder, the summaries say what the request.json files on disk say, and the
 * listing reads neither a full record nor request-index.json while nothing changed.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import type * as FsPromises from 'node:fs/promises';
import { cp, readFile as realReadFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { summarizeRequest } from '../../../src-main/common/request-summary.js';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import { newRequestId } from '../../../src-main/store/ids.js';
import { REQUEST_INDEX_FILE, scanSummariesWithIndex, SUMMARY_INDEX_FILE } from '../../../src-main/store/request-index.js';
import { Store } from '../../../src-main/store/store.js';
import { fakeCsrDer, sampleRecord, tempDir, testKey } from './fixtures.js';

// Counts the reads of request-index.json (the real readFile does the work).
const indexReads = vi.hoisted(() => ({ n: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fsp = await importOriginal<typeof FsPromises>();
  return {
    ...fsp,
    readFile: (path: Parameters<typeof fsp.readFile>[0], ...rest: unknown[]) => {
      if (typeof path === 'string' && path.endsWith('/request-index.json')) indexReads.n++;
      return (fsp.readFile as (...a: unknown[]) => Promise<unknown>)(path, ...rest);
    },
  };
});

const REPO = resolve(import.meta.dirname, '..', '..', '..');
const key = testKey();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function freshStore(name = 'store') {
  const t = await tempDir('certdesk-summary-index-');
  cleanups.push(t.cleanup);
  const root = join(t.dir, name);
  const store = await Store.open(root, createMemorySecretStore(), { lockTimeoutMs: 500 });
  return { store, root };
}

let clock = Date.parse('2026-06-01T10:00:00Z');
async function addRequest(store: Store, friendlyName: string) {
  clock += 1000;
  const id = newRequestId(new Date(clock));
  const csrDer = fakeCsrDer();
  await store.createRequest(sampleRecord(id, csrDer, { friendlyName, createdAt: new Date(clock).toISOString() }), { csrDer, privateKeyPem: key.pem });
  return id;
}

/** A summary listing that counts the request.json files read and the reads of request-index.json. */
async function summaries(root: string, store: Store) {
  const ids = await store.listRequestIds();
  let reads = 0;
  const before = indexReads.n;
  const r = await scanSummariesWithIndex(root, join(root, 'requests'), 'request.json', ids, (id) => {
    reads++;
    return store.getRequest(id);
  });
  return { reads, indexReads: indexReads.n - before, cached: r.cached, failures: r.failures.map((f) => f.id), names: r.summaries.map((s) => s.friendlyName), summaries: r.summaries };
}

/** What the summaries must be: those of the full records read straight from disk. */
async function truth(store: Store) {
  const records = await Promise.all((await store.listRequestIds()).map((id) => store.getRequest(id)));
  return records.map(summarizeRequest);
}

describe('summary index', () => {
  it('is written with the request index and then serves the listing alone: no request.json, no request-index.json', async () => {
    const { store, root } = await freshStore();
    await addRequest(store, 'a');
    await addRequest(store, 'b');
    await store.listRequests(); // builds both indexes
    const listed = await summaries(root, store);
    expect(listed).toMatchObject({ reads: 0, indexReads: 0, cached: 2, names: ['a', 'b'] });
    expect(listed.summaries).toEqual(await truth(store));
  });

  it('notices a request.json edited in place by hand, even with the same size, inode and mtime', async () => {
    const { store, root } = await freshStore();
    const a = await addRequest(store, 'aaaa');
    await addRequest(store, 'b');
    await summaries(root, store);
    const path = join(root, 'requests', a, 'request.json');
    const before = await stat(path, { bigint: true });
    const text = await realReadFile(path, 'utf8');
    await writeFile(path, text.replace('"friendlyName": "aaaa"', '"friendlyName": "bbbb"'));
    // The mtime put back to the nanosecond: only the ctime tells.
    const ns = before.mtimeNs % 1_000_000_000n;
    spawnSync('touch', ['-m', '-d', `@${before.mtimeNs / 1_000_000_000n}.${String(ns).padStart(9, '0')}`, path]);
    const after = await stat(path, { bigint: true });
    expect([after.ino, after.size, after.mtimeNs]).toEqual([before.ino, before.size, before.mtimeNs]);
    expect(await summaries(root, store)).toMatchObject({ reads: 1, cached: 1, names: ['bbbb', 'b'] });
    // Rewritten with the new stamp: the next listing is served from it again.
    expect(await summaries(root, store)).toMatchObject({ reads: 0, cached: 2, names: ['bbbb', 'b'] });
  });

  it('notices a Certdesk update, a folder copied in with its old timestamps, and a folder removed by hand', async () => {
    const other = await freshStore('other');
    const copied = await addRequest(other.store, 'copied by hand');
    const { store, root } = await freshStore();
    const updated = await addRequest(store, 'to update');
    const gone = await addRequest(store, 'deleted by hand');
    await summaries(root, store);
    await store.updateRequest(updated, (r) => ({ ...r, friendlyName: 'updated' }));
    // `cp -a` keeps the mtimes: only the folder listing and the stamps (new inodes) reveal the change.
    await cp(join(other.root, 'requests', copied), join(root, 'requests', copied), { recursive: true, preserveTimestamps: true });
    await rm(join(root, 'requests', gone), { recursive: true });
    const listed = await summaries(root, store);
    expect(listed).toMatchObject({ reads: 2, cached: 0, names: ['copied by hand', 'updated'] });
    expect(listed.summaries).toEqual(await truth(store));
  });

  it('takes what it misses from the request index where that is current, and reads the rest', async () => {
    // More requests than are worth reading one by one: the listing fixture writes them quickly.
    const t = await tempDir('certdesk-summary-index-');
    cleanups.push(t.cleanup);
    const root = join(t.dir, 'store');
    const { makeStore } = (await import(pathToFileURL(join(REPO, 'scripts', 'bench', 'make-store.mjs')).href)) as { makeStore: (d: string, n: number) => string[] };
    makeStore(root, 240);
    const store = await Store.open(root, createMemorySecretStore(), { lockTimeoutMs: 500 });
    await store.listRequests();
    // A store whose summary index is gone (an older Certdesk, a deleted cache), and one request
    // changed after the request index was written: the index's entry for it is stale.
    await rm(join(root, SUMMARY_INDEX_FILE));
    const victim = (await store.listRequestIds())[5] as string;
    const path = join(root, 'requests', victim, 'request.json');
    const record = JSON.parse(await realReadFile(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, `${JSON.stringify({ ...record, friendlyName: 'changed after the index' }, null, 2)}\n`);
    const listed = await summaries(root, store);
    expect(listed).toMatchObject({ reads: 1, indexReads: 1, cached: 0 });
    expect(listed.summaries).toEqual((await truth(store)).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)));
    expect(listed.summaries.find((s) => s.id === victim)?.friendlyName).toBe('changed after the index');
    expect(await summaries(root, store)).toMatchObject({ reads: 0, indexReads: 0, cached: 240 });
  });

  it.each([
    ['garbage', () => Buffer.from('not an index at all')],
    ['a truncated copy (a torn write)', (good: Buffer) => good.subarray(0, Math.floor(good.length / 2))],
    ['one changed byte in a summary', (good: Buffer) => Buffer.from(good.toString('utf8').replace('"friendlyName":"a"', '"friendlyName":"X"'))],
    ['a valid checksum over summaries of the wrong shape', () => Buffer.from(`{"format":2,"sha256":"${sha256('["x","1:2:3:4",{"id":"x"}]')}"}\n["x","1:2:3:4",{"id":"x"}]`)],
    ['a summary index of a future format', (good: Buffer) => Buffer.from(good.toString('utf8').replace('{"format":2', '{"format":99'))],
    ['one entry a line but an array in the last', (good: Buffer) => withBody(good, (body) => `${body}\n[1,2,3]`)],
    ['its last line cut in the middle', (good: Buffer) => withBody(good, (body) => body.slice(0, -10))],
    ['the request index (full records) under its name', (_good: Buffer, records: Buffer) => records],
    ['an empty file', () => Buffer.alloc(0)],
  ])('ignores and rebuilds a summary index that is %s', async (_what, damage) => {
    const { store, root } = await freshStore();
    await addRequest(store, 'a');
    await addRequest(store, 'b');
    await store.listRequests();
    const path = join(root, SUMMARY_INDEX_FILE);
    await writeFile(path, damage(await realReadFile(path), await realReadFile(join(root, REQUEST_INDEX_FILE))));
    // Two requests are few enough to read rather than parse the request index.
    const listed = await summaries(root, store);
    expect(listed).toMatchObject({ reads: 2, cached: 0, names: ['a', 'b'] });
    expect(listed.summaries).toEqual(await truth(store));
    expect(await summaries(root, store)).toMatchObject({ reads: 0, cached: 2, names: ['a', 'b'] });
  });

  it('survives a crash between the two index writes: the old summary index and a leftover temp file change nothing', async () => {
    const { store, root } = await freshStore();
    await addRequest(store, 'a');
    await store.listRequests();
    const old = await realReadFile(join(root, SUMMARY_INDEX_FILE));
    const b = await addRequest(store, 'b');
    const a = (await store.listRequestIds())[0] as string;
    await store.updateRequest(a, (r) => ({ ...r, friendlyName: 'a2' }));
    // The request index was rewritten for b and a2; the summary index write was cut: the old one
    // (a, no b) is in place, a torn temp file beside it.
    await store.listRequests();
    await writeFile(join(root, SUMMARY_INDEX_FILE), old);
    await writeFile(join(root, `.${SUMMARY_INDEX_FILE}.0123456789ab.tmp`), old.subarray(0, 40));
    const listed = await summaries(root, store);
    expect(listed).toMatchObject({ reads: 2, cached: 0, names: ['a2', 'b'] });
    expect(listed.summaries.map((s) => s.id)).toContain(b);
  });

  it('reports a damaged request every time without caching it or rewriting the summary index for it', async () => {
    const { store, root } = await freshStore();
    await addRequest(store, 'a');
    const bad = await addRequest(store, 'b');
    await writeFile(join(root, 'requests', bad, 'request.json'), '{ not json');
    const first = await store.scanRequestSummaries();
    expect(first.summaries.map((s) => s.friendlyName)).toEqual(['a']);
    expect(first.problems).toEqual([{ id: bad, message: expect.stringContaining('not valid JSON') as unknown }]);
    const ino = (await stat(join(root, SUMMARY_INDEX_FILE))).ino;
    const second = await store.scanRequestSummaries();
    expect(second.problems.map((p) => p.id)).toEqual([bad]);
    expect((await stat(join(root, SUMMARY_INDEX_FILE))).ino).toBe(ino);
  });

  it('lists correctly, and only costs speed, when the summary index cannot be written', async () => {
    const { store, root } = await freshStore();
    await addRequest(store, 'a');
    await rm(join(root, SUMMARY_INDEX_FILE), { force: true });
    await cp(join(root, 'requests'), join(root, SUMMARY_INDEX_FILE), { recursive: true });
    for (let i = 0; i < 2; i++) expect((await summaries(root, store)).names).toEqual(['a']);
  });
});

/** A summary index with its body changed and its checksum made to match: only the shape checks can refuse it. */
function withBody(good: Buffer, change: (body: string) => string): Buffer {
  const text = good.toString('utf8');
  const body = change(text.slice(text.indexOf('\n') + 1));
  return Buffer.from(`{"format":2,"sha256":"${sha256(body)}"}\n${body}`);
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
