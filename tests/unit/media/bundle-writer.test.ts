import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type BundleFs, nodeBundleFs } from '../../../src-main/media/bundle-fs.js';
import { writeBundleFolder } from '../../../src-main/media/bundle-writer.js';

const root = mkdtempSync(join(tmpdir(), 'certdesk-writer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function dest(): string {
  const d = join(root, `d${++n}`);
  mkdirSync(d);
  return d;
}
const files = [
  { name: 'a.pfx', data: new Uint8Array(3000).fill(1) },
  { name: 'b.cer', data: new Uint8Array(800).fill(2) },
  { name: 'README.txt', data: new TextEncoder().encode('hello\r\n') },
];
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function errno(code: string): Error {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

describe('writeBundleFolder', () => {
  it('writes every file, reports its SHA-256 and size, and leaves only the final folder', async () => {
    const d = dest();
    const r = await writeBundleFolder(nodeBundleFs, d, 'Bundle-1', files);
    expect(r.dir).toBe(join(d, 'Bundle-1'));
    expect(readdirSync(d)).toEqual(['Bundle-1']);
    expect(readdirSync(r.dir).sort()).toEqual(['README.txt', 'a.pfx', 'b.cer']);
    for (const f of files) {
      expect(readFileSync(join(String(r.dir), f.name))).toEqual(Buffer.from(f.data));
      expect(r.files.find((x) => x.name === f.name)).toEqual({ name: f.name, sha256: sha(f.data), size: f.data.length });
    }
  });

  it('fsyncs each file before renaming it, and the parent after moving the folder into place', async () => {
    const log: string[] = [];
    const fs: BundleFs = {
      ...nodeBundleFs,
      writeFileSynced: async (p, data) => {
        log.push(`write ${String(p).split('/').slice(-1)[0]}`);
        await nodeBundleFs.writeFileSynced(p, data);
      },
      rename: async (a, b) => {
        log.push(`rename ${String(b).split('/').slice(-1)[0]}`);
        await nodeBundleFs.rename(a, b);
      },
      syncDir: async (p) => {
        log.push(`sync ${String(p).split('/').slice(-1)[0]}`);
        await nodeBundleFs.syncDir(p);
      },
      readFile: async (p) => {
        log.push(`read ${String(p).split('/').slice(-1)[0]}`);
        return nodeBundleFs.readFile(p);
      },
    };
    const d = dest();
    await writeBundleFolder(fs, d, 'B', files.slice(0, 2));
    const dirName = (log.find((l) => l.startsWith('sync .B.partial-')) ?? '').slice(5);
    expect(log).toEqual([
      'write .a.pfx.tmp',
      'rename a.pfx',
      'write .b.cer.tmp',
      'rename b.cer',
      `sync ${dirName}`,
      'read a.pfx',
      'read b.cer',
      'rename B',
      `sync d${n}`,
    ]);
  });

  it('refuses to overwrite an existing folder and leaves it untouched', async () => {
    const d = dest();
    mkdirSync(join(d, 'B'));
    writeFileSync(join(d, 'B', 'keep.txt'), 'x');
    await expect(writeBundleFolder(nodeBundleFs, d, 'B', files)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('is never overwritten') as unknown });
    expect(readdirSync(join(d, 'B'))).toEqual(['keep.txt']);
    expect(readdirSync(d)).toEqual(['B']);
  });

  it('refuses a destination that does not exist', async () => {
    await expect(writeBundleFolder(nodeBundleFs, join(root, 'nope'), 'B', files)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('says the drive is full before writing anything when the free space is too small', async () => {
    const d = dest();
    const fs: BundleFs = { ...nodeBundleFs, freeBytes: () => Promise.resolve(1024) };
    await expect(writeBundleFolder(fs, d, 'B', files)).rejects.toThrow(/^the drive is full: .* has 1 KB free, the bundle needs about 4 KB$/);
    expect(readdirSync(d)).toEqual([]);
  });

  it.each(['ENOSPC', 'EDQUOT', 'EIO', 'ENODEV', 'EROFS', 'EACCES'])('removes everything it wrote when a write fails with %s', async (code) => {
    const d = dest();
    let count = 0;
    const fs: BundleFs = {
      ...nodeBundleFs,
      freeBytes: () => Promise.resolve(null),
      writeFileSynced: async (p, data) => {
        if (++count === 2) throw errno(code);
        await nodeBundleFs.writeFileSynced(p, data);
      },
    };
    const err = (await writeBundleFolder(fs, d, 'B', files).catch((e: unknown) => e)) as { code: string; message: string };
    expect(err.code).toBe('IO_ERROR');
    expect(err.message).toMatch(/^the drive |^permission denied/);
    expect(readdirSync(d)).toEqual([]);
  });

  it('says so when the partial bundle cannot be removed either (the drive is gone)', async () => {
    const d = dest();
    const fs: BundleFs = {
      ...nodeBundleFs,
      freeBytes: () => Promise.resolve(null),
      readFile: () => Promise.reject(errno('EIO')),
      remove: () => Promise.reject(errno('EIO')),
    };
    await expect(writeBundleFolder(fs, d, 'B', files)).rejects.toThrow(/I\/O error while reading back a\.pfx.*; the partial bundle .*\.B\.partial-[0-9a-f]{8} could not be removed: delete it by hand$/);
  });

  it('removes the final folder again when the parent cannot be synced after the move', async () => {
    const d = dest();
    const fs: BundleFs = {
      ...nodeBundleFs,
      syncDir: (p) => (p === d ? Promise.reject(errno('EIO')) : nodeBundleFs.syncDir(p)),
    };
    await expect(writeBundleFolder(fs, d, 'B', files)).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(readdirSync(d)).toEqual([]);
  });

  it('refuses unsafe file and folder names', async () => {
    await expect(writeBundleFolder(nodeBundleFs, dest(), '../B', files)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(writeBundleFolder(nodeBundleFs, dest(), 'B', [{ name: '../x', data: new Uint8Array(1) }])).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
