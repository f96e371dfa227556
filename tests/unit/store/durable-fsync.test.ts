/**
 * Which folders the durable helpers fsync. A folder is fsynced by opening it read-only and calling
 * sync(), so node:fs/promises is wrapped to record every sync() on a handle opened with flag 'r'.
 */
import type * as FsPromises from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { appendLineDurable, ensureDir } from '../../../src-main/store/durable.js';
import { tempDir } from './fixtures.js';

const synced = vi.hoisted(() => [] as string[]);
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  const open = async (...args: Parameters<typeof fs.open>) => {
    const fh = await fs.open(...args);
    const [path, flags] = args;
    if (flags === 'r') {
      const sync = fh.sync.bind(fh);
      fh.sync = async () => {
        await sync();
        synced.push(String(path));
      };
    }
    return fh;
  };
  return { ...fs, open, default: { ...fs, open } };
});

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});
beforeEach(() => {
  synced.length = 0;
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
});
