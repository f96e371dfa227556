/**
 * Which folders the durable helpers fsync. A folder is fsynced by opening it read-only and calling
 * sync(), so node:fs/promises is wrapped to record every sync() on a handle opened with flag 'r'.
 */
import type * as FsPromises from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import { appendLineDurable, ensureDir } from '../../../src-main/store/durable.js';
import { Store } from '../../../src-main/store/store.js';
import { fakeCsrDer, sampleRecord, tempDir } from './fixtures.js';

const synced = vi.hoisted(() => [] as string[]);
// Every fsync (of a folder or a file) and rename, in order, for the sequence of a whole store write.
const events = vi.hoisted(() => [] as string[]);
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  const open = async (...args: Parameters<typeof fs.open>) => {
    const fh = await fs.open(...args);
    const [path, flags] = args;
    const sync = fh.sync.bind(fh);
    fh.sync = async () => {
      await sync();
      if (flags === 'r') synced.push(String(path));
      events.push(`${flags === 'r' ? 'fsync folder' : 'fsync file'} ${String(path)}`);
    };
    return fh;
  };
  const rename = async (...args: Parameters<typeof fs.rename>) => {
    await fs.rename(...args);
    events.push(`rename ${String(args[0])} -> ${String(args[1])}`);
  };
  return { ...fs, open, rename, default: { ...fs, open, rename } };
});

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});
beforeEach(() => {
  synced.length = 0;
  events.length = 0;
});
async function freshDir() {
  const t = await tempDir('certdesk-fsync-');
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('folder fsyncs', () => {
  it('ensureDir fsyncs the parent of every level it creates, and nothing for an existing folder', async () => {
    const dir = await freshDir();
    await ensureDir(join(dir, 'a', 'b', 'c'));
    expect(synced).toEqual([dir, join(dir, 'a'), join(dir, 'a', 'b')]);
    synced.length = 0;
    await ensureDir(join(dir, 'a', 'b', 'c'));
    expect(synced).toEqual([]);
  });

  it('appendLineDurable fsyncs the folder when it creates the file, not on later appends', async () => {
    const dir = await freshDir();
    const log = join(dir, 'audit.log');
    await appendLineDurable(log, '{"n":1}');
    expect(synced).toEqual([dir]);
    synced.length = 0;
    await appendLineDurable(log, '{"n":2}');
    expect(synced).toEqual([]);
  });

  it('a new request: its files and its temp folder are fsynced before the folder is renamed into place, requests/ after', async () => {
    const root = join(await freshDir(), 'store');
    const store = await Store.open(root, createMemorySecretStore());
    await store.ensureStoreKey();
    const id = '20260315-1abcdefg';
    const csrDer = fakeCsrDer();
    events.length = 0;
    await store.createRequest(sampleRecord(id, csrDer), { csrDer, privateKeyPem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', extra: [{ name: 'topology.json', data: '{}' }] });
    const requests = join(root, 'requests');
    const tmp = join(requests, `.tmp-${id}`);
    // Only what touches the request's folder: the lock and the audit line's intent have their own tests.
    const mine = events.filter((e) => e.includes(id) || e.endsWith(` ${requests}`));
    expect(mine).toEqual([
      `fsync file ${join(tmp, 'key.enc')}`,
      `fsync file ${join(tmp, 'request.csr')}`,
      `fsync file ${join(tmp, 'topology.json')}`,
      `fsync file ${join(tmp, 'request.json')}`,
      `fsync folder ${tmp}`,
      `rename ${tmp} -> ${join(requests, id)}`,
      `fsync folder ${requests}`,
    ]);
    expect((await store.getRequest(id)).id).toBe(id);
  });
});

