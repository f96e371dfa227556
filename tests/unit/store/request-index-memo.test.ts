/**
 * The request index kept in memory by a long-running process (Electron main, the browser-mode
 * server): while request-index.json is unchanged it is not read again, yet every listing still checks
 * each request.json on disk, and a file another process rewrote is read again.
 */
import type * as FsPromises from 'node:fs/promises';
import { readFile as realReadFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import { newRequestId } from '../../../src-main/store/ids.js';
import { keepRequestIndexInMemory, REQUEST_INDEX_FILE, scanSummariesWithIndex, scanWithIndex, SUMMARY_INDEX_FILE } from '../../../src-main/store/request-index.js';
import { Store } from '../../../src-main/store/store.js';
import { fakeCsrDer, sampleRecord, tempDir, testKey } from './fixtures.js';

// Counts the reads of request-index.json (the real readFile does the work).
const indexReads = vi.hoisted(() => ({ n: 0, summaries: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fsp = await importOriginal<typeof FsPromises>();
  return {
    ...fsp,
    readFile: (path: Parameters<typeof fsp.readFile>[0], ...rest: unknown[]) => {
      if (typeof path === 'string' && path.endsWith(REQUEST_INDEX_FILE)) indexReads.n++;
      if (typeof path === 'string' && path.endsWith(SUMMARY_INDEX_FILE)) indexReads.summaries++;
      return (fsp.readFile as (...a: unknown[]) => Promise<unknown>)(path, ...rest);
    },
  };
});

// As createHandlers does in Electron main and the browser-mode server.
keepRequestIndexInMemory();

const key = testKey();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

let clock = Date.parse('2026-05-01T10:00:00Z');
async function storeWith(names: string[]) {
  const t = await tempDir('certdesk-index-memo-');
  cleanups.push(t.cleanup);
  const root = join(t.dir, 'store');
  const store = await Store.open(root, createMemorySecretStore(), { lockTimeoutMs: 500 });
  const ids: string[] = [];
  for (const friendlyName of names) {
    clock += 1000;
    const id = newRequestId(new Date(clock));
    const csrDer = fakeCsrDer();
    await store.createRequest(sampleRecord(id, csrDer, { friendlyName, createdAt: new Date(clock).toISOString() }), { csrDer, privateKeyPem: key.pem });
    ids.push(id);
  }
  const scan = async () => {
    let reads = 0;
    const r = await scanWithIndex(root, join(root, 'requests'), 'request.json', await store.listRequestIds(), (id) => {
      reads++;
      return store.getRequest(id);
    });
    return { reads, records: r.records, names: r.records.map((x) => x.friendlyName) };
  };
  const summaries = async () => {
    let reads = 0;
    const r = await scanSummariesWithIndex(root, join(root, 'requests'), 'request.json', await store.listRequestIds(), (id) => {
      reads++;
      return store.getRequest(id);
    });
    return { reads, names: r.summaries.map((x) => x.friendlyName) };
  };
  return { root, ids, scan, summaries };
}

describe('request index in memory', () => {
  it('serves repeated listings without reading request-index.json again', async () => {
    const { scan } = await storeWith(['a', 'b', 'c']);
    await scan(); // builds and writes the index, and remembers what it wrote
    const before = indexReads.n;
    for (let i = 0; i < 3; i++) expect(await scan()).toMatchObject({ reads: 0, names: ['a', 'b', 'c'] });
    expect(indexReads.n).toBe(before);
  });

  it('still sees a request.json edited by hand between two listings', async () => {
    const { root, ids, scan } = await storeWith(['a', 'b']);
    await scan();
    const path = join(root, 'requests', ids[1] as string, 'request.json');
    const text = await realReadFile(path, 'utf8');
    // Through a rename, as an editor saving safely would: a new inode, so the stamp differs for sure.
    await writeFile(`${path}.new`, text.replace('"friendlyName": "b"', '"friendlyName": "edited"'));
    await rename(`${path}.new`, path);
    expect(await scan()).toMatchObject({ reads: 1, names: ['a', 'edited'] });
  });

  it('reads the index again when another process replaced it', async () => {
    const { root, scan } = await storeWith(['a', 'b']);
    await scan();
    const indexPath = join(root, REQUEST_INDEX_FILE);
    await writeFile(`${indexPath}.other`, await realReadFile(indexPath));
    await rename(`${indexPath}.other`, indexPath);
    const before = indexReads.n;
    expect(await scan()).toMatchObject({ reads: 0, names: ['a', 'b'] });
    expect(indexReads.n).toBe(before + 1);
  });

  it('hands out frozen records, so no caller can change what the next listing returns', async () => {
    const { scan } = await storeWith(['a']);
    await scan();
    const { records } = await scan();
    const r = records[0] as { friendlyName: string; sans: string[] };
    expect(() => {
      r.friendlyName = 'changed';
    }).toThrow(TypeError);
    expect(() => r.sans.push('x.example')).toThrow(TypeError);
    expect((await scan()).names).toEqual(['a']);
  });

  it('reads the summary index once for two listings at a time, and each still checks every request.json', async () => {
    const { root, ids, scan, summaries } = await storeWith(['a', 'b']);
    await scan(); // writes both indexes
    // Another process's write: this one must read the file again (what a fresh process does).
    const summaryPath = join(root, SUMMARY_INDEX_FILE);
    await writeFile(`${summaryPath}.other`, await realReadFile(summaryPath));
    await rename(`${summaryPath}.other`, summaryPath);
    const before = indexReads.summaries;
    // The app's listing at launch and the page's first one, overlapping: the file is read once.
    const both = await Promise.all([summaries(), summaries()]);
    expect(both).toEqual([{ reads: 0, names: ['a', 'b'] }, { reads: 0, names: ['a', 'b'] }]);
    expect(indexReads.summaries).toBe(before + 1);
    // Edited in place afterwards: the stamps are taken by each listing.
    const path = join(root, 'requests', ids[0] as string, 'request.json');
    await writeFile(path, (await realReadFile(path, 'utf8')).replace('"friendlyName": "a"', '"friendlyName": "z"'));
    expect(await summaries()).toMatchObject({ reads: 1, names: ['z', 'b'] });
  });
});
