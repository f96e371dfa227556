import { constants } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A path on the drive: a string, or the exact bytes when the destination's name is not valid UTF-8
 * (the same shape as store/user-path.ts BundlePath, which media may not import).
 */
export type BundlePath = string | Buffer;

/** `dir` with Certdesk's own relative names (UTF-8, `/`-separated) appended; a Buffer stays a Buffer. */
export function bundlePathUnder(dir: BundlePath, ...names: string[]): BundlePath {
  if (typeof dir === 'string') return join(dir, ...names);
  const rest = join(...names);
  return Buffer.concat([dir, Buffer.from(dir[dir.length - 1] === 0x2f ? rest : `/${rest}`)]);
}

/**
 * The file-system port the bundle writer uses. Small on purpose, so a test can make any one step
 * fail (ENOSPC on the third write, EIO on a read-back) and check that nothing partial is left.
 * Paths are Buffers where the destination's name is not valid UTF-8 (store/user-path.ts).
 */
export interface BundleFs {
  /** Creates one folder (the parent must exist); fails with EEXIST when it is there. */
  mkdir(path: BundlePath): Promise<void>;
  /** Creates `path` exclusively, writes all of `data` and fsyncs it before closing. */
  writeFileSynced(path: BundlePath, data: Uint8Array): Promise<void>;
  rename(from: BundlePath, to: BundlePath): Promise<void>;
  readFile(path: BundlePath): Promise<Uint8Array>;
  /** fsyncs a folder, so renames inside it are durable. */
  syncDir(path: BundlePath): Promise<void>;
  /** Removes a file or a folder tree; no error when it is gone already. */
  remove(path: BundlePath): Promise<void>;
  /** 'dir', 'file' (anything that is not a folder), or null when nothing is there. */
  kind(path: BundlePath): Promise<'dir' | 'file' | null>;
  /** Free bytes for an unprivileged writer on the file system holding `path`, or null if unknown. */
  freeBytes(path: BundlePath): Promise<number | null>;
  /** True for a kernel file system without storage (/proc, /sys: statfs reports zero blocks). */
  isPseudoFs?(path: BundlePath): Promise<boolean>;
}

/** The real file system. */
export const nodeBundleFs: BundleFs = {
  async mkdir(path) {
    await mkdir(path, { mode: 0o700 });
  },
  async writeFileSynced(path, data) {
    const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      let off = 0;
      while (off < data.length) {
        const { bytesWritten } = await fh.write(data, off, data.length - off);
        off += bytesWritten;
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
  async rename(from, to) {
    await rename(from, to);
  },
  async readFile(path) {
    return new Uint8Array(await readFile(path));
  },
  async syncDir(path) {
    // Windows cannot open a folder for fsync; there the rename is already durable (NTFS/FAT metadata).
    if (process.platform === 'win32') return;
    const fh = await open(path, constants.O_RDONLY);
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
  async remove(path) {
    await rm(path, { recursive: true, force: true });
  },
  async kind(path) {
    try {
      const s = await stat(path);
      return s.isDirectory() ? 'dir' : 'file';
    } catch (e) {
      if (typeof e === 'object' && e !== null && 'code' in e && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return null;
      throw e;
    }
  },
  async isPseudoFs(path) {
    try {
      return (await statfs(path)).blocks === 0;
    } catch {
      return false;
    }
  },
  async freeBytes(path) {
    try {
      const s = await statfs(path);
      // Kernel file systems (/proc, /sys) report zero blocks in all: "unknown", not "full"; the
      // write itself then fails with the real reason.
      if (s.blocks === 0) return null;
      return s.bavail * s.bsize;
    } catch {
      return null;
    }
  },
};
