import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { dirOfUserPath, hiddenSibling, sameUserPath, showPath, type UserPath } from './user-path.js';

/** Files Certdesk writes are readable by their owner only. */
export const FILE_MODE = 0o600;
/** Folders likewise. */
export const DIR_MODE = 0o700;

/**
 * fsyncs a folder so a rename or unlink inside it survives a power cut. Windows cannot open a folder
 * for fsync (NTFS journals the metadata itself), so there it is a no-op.
 */
export async function fsyncDir(path: UserPath): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * mkdir one level; true when it was created here, false when a folder was already there. A new entry
 * lives in its parent's directory block, so the parent is fsynced or the folder may vanish on a power cut.
 */
async function mkdirDurable(path: UserPath): Promise<boolean> {
  try {
    await mkdir(path, { mode: DIR_MODE });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    if (!(await stat(path)).isDirectory()) throw Object.assign(new Error(`${showPath(path)} is not a folder`), { code: 'ENOTDIR' });
    return false;
  }
  // mkdir's mode is filtered by the umask: set it explicitly on what we created.
  await chmod(path, DIR_MODE);
  await fsyncDir(dirOfUserPath(path));
  return true;
}

/**
 * Creates `path` (and missing parents) with mode 0700, fsyncing the parent of every level it creates;
 * an existing folder is left as it is. Walks up by hand: `mkdir({ recursive: true })` spins forever
 * where the parent refuses new entries with ENOENT (e.g. under /proc on Node 20).
 */
export async function ensureDir(path: UserPath): Promise<void> {
  try {
    await mkdirDurable(path);
  } catch (e) {
    const parent = dirOfUserPath(path);
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || sameUserPath(parent, path)) throw e;
    await ensureDir(parent);
    await mkdirDurable(path);
  }
}

/** A name for a temporary sibling of `path`; the leading dot and `.tmp` suffix mark it for sweeping. */
export function tempSibling(path: UserPath): UserPath {
  return hiddenSibling(path, `.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Replaces `path` atomically and durably: a temp file in the same folder, written and fsynced, renamed
 * over the target, then the folder fsynced. A crash leaves either the old or the new content, never a
 * torn file (at worst a `.*.tmp` leftover that the store sweeps).
 */
export async function writeFileDurable(path: UserPath, data: Uint8Array | string, mode: number = FILE_MODE): Promise<void> {
  const tmp = tempSibling(path);
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(data);
    // The umask may have narrowed the mode; never widened, but be explicit for 0644 public files.
    await fh.chmod(mode);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(dirOfUserPath(path));
}

/**
 * Writes a new file (created exclusively) and fsyncs its content, without the temp-and-rename of
 * writeFileDurable: for a file that is not visible under its final name yet (a request being built
 * in its temp folder, an intent's temporary file). The caller fsyncs the folder and renames into
 * place, so a crash leaves either the complete result or a temporary that the store sweeps or the
 * intent rolls back.
 */
export async function writeNewFileSynced(path: UserPath, data: Uint8Array | string, mode: number = FILE_MODE): Promise<void> {
  const fh = await open(path, 'wx', mode);
  try {
    await fh.writeFile(data);
    await fh.chmod(mode);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Appends one line to an append-only file and fsyncs it. O_APPEND makes each write land at the end
 * even with several writers; a line this size is written in one call.
 */
export async function appendLineDurable(path: string, line: string): Promise<void> {
  if (line.includes('\n')) throw new Error('appendLineDurable: a line must not contain a newline');
  // 'ax' first, to know whether this call created the file: a new file's entry needs its folder fsynced.
  let created = true;
  let fh;
  try {
    fh = await open(path, 'ax', FILE_MODE);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    created = false;
    fh = await open(path, 'a', FILE_MODE);
  }
  try {
    await fh.write(`${line}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  if (created) await fsyncDir(dirname(path));
}

/**
 * Removes a file or folder tree and fsyncs its parent. Overwriting before unlinking would not reach
 * the old blocks on SSDs or copy-on-write filesystems, so it is not attempted.
 */
export async function removeDurable(path: UserPath): Promise<void> {
  await rm(path, { recursive: true, force: true });
  await fsyncDir(dirOfUserPath(path));
}

/** Renames and fsyncs the destination folder (and the source folder when it differs). */
export async function renameDurable(from: string, to: string): Promise<void> {
  await rename(from, to);
  await fsyncDir(dirname(to));
  if (dirname(from) !== dirname(to)) await fsyncDir(dirname(from));
}
