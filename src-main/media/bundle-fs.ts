import { constants } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, statfs } from 'node:fs/promises';

/**
 * The file-system port the bundle writer uses. Small on purpose, so a test can make any one step
 * fail (ENOSPC on the third write, EIO on a read-back) and check that nothing partial is left.
 */
export interface BundleFs {
  /** Creates one folder (the parent must exist); fails with EEXIST when it is there. */
  mkdir(path: string): Promise<void>;
  /** Creates `path` exclusively, writes all of `data` and fsyncs it before closing. */
  writeFileSynced(path: string, data: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  /** fsyncs a folder, so renames inside it are durable. */
  syncDir(path: string): Promise<void>;
  /** Removes a file or a folder tree; no error when it is gone already. */
  remove(path: string): Promise<void>;
  /** 'dir', 'file' (anything that is not a folder), or null when nothing is there. */
  kind(path: string): Promise<'dir' | 'file' | null>;
  /** Free bytes for an unprivileged writer on the file system holding `path`, or null if unknown. */
  freeBytes(path: string): Promise<number | null>;
  /** True for a kernel file system without storage (/proc, /sys: statfs reports zero blocks). */
  isPseudoFs?(path: string): Promise<boolean>;
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
