import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendLineDurable, ensureDir, removeDurable, writeFileDurable } from '../../../src-main/store/durable.js';
import { guardIo } from '../../../src-main/store/io-error.js';
import { tempDir } from './fixtures.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});
async function freshDir() {
  const t = await tempDir('certdesk-durable-');
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('durable writes', () => {
  it('replaces a file in one step with mode 0600 and leaves no temp file behind', async () => {
    const dir = await freshDir();
    const path = join(dir, 'a.json');
    await writeFile(path, 'old', { mode: 0o644 });
    await writeFileDurable(path, 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('writes public files with the mode asked for', async () => {
    const dir = await freshDir();
    await writeFileDurable(join(dir, 'x.req'), Buffer.from([1, 2, 3]), 0o644);
    expect((await stat(join(dir, 'x.req'))).mode & 0o777).toBe(0o644);
  });

  it('fails without touching the target when the folder is missing', async () => {
    const dir = await freshDir();
    await expect(writeFileDurable(join(dir, 'nope', 'a'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(guardIo('cannot save', () => writeFileDurable(join(dir, 'nope', 'a'), 'x'))).rejects.toMatchObject({
      code: 'IO_ERROR',
      message: 'cannot save: no such file or folder',
    });
  });

  it('creates folders 0700 and leaves existing ones alone', async () => {
    const dir = await freshDir();
    await ensureDir(join(dir, 'a', 'b'));
    expect((await stat(join(dir, 'a', 'b'))).mode & 0o777).toBe(0o700);
    await mkdir(join(dir, 'c'), { mode: 0o755 });
    await ensureDir(join(dir, 'c'));
    expect((await stat(join(dir, 'c'))).mode & 0o777).toBe(0o755);
  });

  it('refuses a file where a folder should be, and a parent that takes no new entries, without hanging', async () => {
    const dir = await freshDir();
    await writeFile(join(dir, 'f'), 'x');
    await expect(ensureDir(join(dir, 'f'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(ensureDir(join(dir, 'f', 'sub'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    if (process.platform === 'linux') await expect(ensureDir('/proc/certdesk-test/x')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('appends whole lines and refuses a line with a newline in it', async () => {
    const dir = await freshDir();
    const path = join(dir, 'audit.log');
    await appendLineDurable(path, '{"a":1}');
    await appendLineDurable(path, '{"a":2}');
    expect(await readFile(path, 'utf8')).toBe('{"a":1}\n{"a":2}\n');
    await expect(appendLineDurable(path, 'x\ny')).rejects.toThrow(/newline/);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('removes a folder tree', async () => {
    const dir = await freshDir();
    await ensureDir(join(dir, 'r', 's'));
    await writeFile(join(dir, 'r', 's', 'f'), 'x');
    await removeDurable(join(dir, 'r'));
    expect(await readdir(dir)).toEqual([]);
  });
});
