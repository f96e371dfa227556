import { access, open, readFile } from 'node:fs/promises';
import type { UserPath } from './user-path.js';

/** True when `path` exists (any kind). */
export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** The file's bytes, or null when it does not exist; other errors are thrown. */
export async function readIfExists(path: UserPath): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * The last line of a file (without its newline; one trailing newline is not a line), null when the
 * file is missing or empty. Reads the file from its end, 64 KiB and then more until a newline comes
 * before the last line, instead of the whole file: the audit log grows by a line with every change
 * and is never cut, and each append reads its last line (the hash chain).
 */
export async function lastLineOf(path: string): Promise<string | null> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const size = (await fh.stat()).size;
    for (let want = 64 * 1024; ; want *= 4) {
      const start = Math.max(0, size - want);
      const buf = Buffer.alloc(size - start);
      let got = 0;
      while (got < buf.length) {
        const { bytesRead } = await fh.read(buf, got, buf.length - got, start + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      const bytes = buf.subarray(0, got);
      const end = bytes.at(-1) === 0x0a ? bytes.length - 1 : bytes.length;
      if (end === 0 && start === 0) return null;
      // A newline byte never occurs inside a multi-byte UTF-8 character: the bytes after it decode alone.
      const newline = end === 0 ? -1 : bytes.lastIndexOf(0x0a, end - 1);
      if (newline >= 0 || start === 0) return bytes.subarray(newline + 1, end).toString('utf8');
    }
  } finally {
    await fh.close();
  }
}
