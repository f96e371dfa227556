import { createHash, randomBytes } from 'node:crypto';
import { CertdeskError } from '../common/errors.js';
import { showPath } from '../common/escape.js';
import { type BundleFs, type BundlePath, bundlePathUnder } from './bundle-fs.js';

/** One file to put into a bundle folder. */
export interface BundleFileInput {
  /** A plain file name, or `FOLDER/NAME` one level down (a node's folder); `/` only. */
  name: string;
  data: Uint8Array;
}

/** A file as written and read back. */
export interface WrittenBundleFile {
  name: string;
  sha256: string;
  size: number;
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function errnoOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

function kb(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KB`;
}

/** One plain-English line for what the drive said, for the admin standing next to it. */
function describeFailure(e: unknown, parentPath: BundlePath, needed: number, step: string | null, pseudoFs = false): CertdeskError {
  if (e instanceof CertdeskError) return e;
  const parentDir = showPath(parentPath);
  const at = step ? ` while ${step}` : '';
  switch (errnoOf(e)) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new CertdeskError('IO_ERROR', `the drive is full: ${parentDir} has no room for the bundle (about ${kb(needed)} needed)${at}`);
    case 'EIO':
      return new CertdeskError('IO_ERROR', `the drive reported an I/O error${at}: it may have been removed or be failing`);
    case 'ENOENT':
      // A kernel file system such as /proc refuses new entries with ENOENT: not a removed drive.
      if (pseudoFs) return new CertdeskError('IO_ERROR', `${parentDir} does not accept new files (the system says: no such file or folder); choose a folder on a drive`);
      return new CertdeskError('IO_ERROR', `the drive was removed or ${parentDir} disappeared${at}`);
    case 'ENODEV':
    case 'ENXIO':
    case 'ESTALE':
      return new CertdeskError('IO_ERROR', `the drive was removed or ${parentDir} disappeared${at}`);
    case 'EROFS':
      return new CertdeskError('IO_ERROR', `the drive is read-only: ${parentDir}`);
    case 'ENOTDIR':
      return new CertdeskError('IO_ERROR', `${parentDir} is not a folder`);
    case 'EACCES':
    case 'EPERM':
      return new CertdeskError('IO_ERROR', `permission denied writing to ${parentDir}`);
    default: {
      const code = errnoOf(e) ?? (e instanceof Error ? e.message.split('\n')[0] : 'unknown error');
      return new CertdeskError('IO_ERROR', `could not write the bundle to ${parentDir}${at} (${code})`);
    }
  }
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,200}$/;

/**
 * Writes `files` as the folder `parentDir/folderName`, all or nothing. Everything goes into a hidden
 * temporary folder next to the final one: each file to a temp name, fsync, rename; then every file is
 * read back and its SHA-256 compared; only then is the folder renamed into place and the parent
 * fsynced. Any failure (full drive, drive pulled, I/O error, read-back mismatch) removes what was
 * written and throws one clear IO_ERROR. An existing folder is never overwritten (CONFLICT).
 */
export async function writeBundleFolder(fs: BundleFs, parentDir: BundlePath, folderName: string, files: readonly BundleFileInput[]): Promise<{ dir: BundlePath; files: WrittenBundleFile[] }> {
  const staged = await stageBundleFolder(fs, parentDir, folderName, files, bundlePathUnder(parentDir, `.${folderName}.partial-${randomBytes(4).toString('hex')}`));
  await staged.place();
  return { dir: staged.dir, files: staged.files };
}

/** A bundle complete and read back in its hidden temporary folder; `place` renames it into place (removing it on failure). */
export interface StagedBundle {
  dir: BundlePath;
  files: WrittenBundleFile[];
  place(): Promise<void>;
}

/**
 * Like writeBundleFolder, but stops before the final rename: the bundle is complete and read back in
 * `tempDir` (a hidden sibling named by the caller's intent, store/intents.ts), and the caller calls
 * `place` once the export is recorded. Any failure removes what was written.
 */
export async function stageBundleFolder(fs: BundleFs, parentDir: BundlePath, folderName: string, files: readonly BundleFileInput[], tempDir: BundlePath): Promise<StagedBundle> {
  if (!SAFE_NAME.test(folderName)) throw new CertdeskError('INVALID_INPUT', `"${folderName}" is not a safe bundle folder name`);
  const names = new Set<string>();
  const folders: string[] = [];
  for (const f of files) {
    const parts = f.name.split('/');
    // Case-insensitively unique, folders included: the drive may be FAT or NTFS.
    if (parts.length > 2 || !parts.every((p) => SAFE_NAME.test(p)) || names.has(f.name.toLowerCase())) throw new CertdeskError('INTERNAL', `bundle file name "${f.name}" is unsafe or repeated`);
    names.add(f.name.toLowerCase());
    const folder = parts.length === 2 ? (parts[0] as string) : null;
    if (folder !== null && !folders.includes(folder)) folders.push(folder);
  }
  for (const folder of folders) if (names.has(folder.toLowerCase())) throw new CertdeskError('INTERNAL', `bundle folder "${folder}" has the name of a file`);
  const needed = files.reduce((n, f) => n + f.data.length, 0);
  const finalDir = bundlePathUnder(parentDir, folderName);

  let parentKind: 'dir' | 'file' | null;
  let finalKind: 'dir' | 'file' | null;
  try {
    parentKind = await fs.kind(parentDir);
    finalKind = parentKind === 'dir' ? await fs.kind(finalDir) : null;
  } catch (e) {
    throw describeFailure(e, parentDir, needed, null);
  }
  if (parentKind === 'file') throw new CertdeskError('INVALID_INPUT', `${showPath(parentDir)} is not a folder`);
  if (parentKind !== 'dir') throw new CertdeskError('INVALID_INPUT', `the folder ${showPath(parentDir)} does not exist (is the drive plugged in and mounted?)`);
  if (finalKind !== null) {
    throw new CertdeskError('CONFLICT', `${showPath(finalDir)} already exists; a bundle is never overwritten: remove it or choose another folder`);
  }
  const free = await fs.freeBytes(parentDir);
  if (free !== null && free < needed) {
    throw new CertdeskError('IO_ERROR', `the drive is full: ${showPath(parentDir)} has ${kb(free)} free, the bundle needs about ${kb(needed)}`);
  }

  // Removes what was written and throws one clear line; `leftover` is the folder to remove.
  const fail = async (e: unknown, step: string | null, leftover: BundlePath): Promise<never> => {
    const pseudoFs = (await fs.isPseudoFs?.(parentDir).catch(() => false)) === true;
    const err = describeFailure(e, parentDir, needed, step, pseudoFs);
    try {
      await fs.remove(leftover);
    } catch {
      throw new CertdeskError(err.code, `${err.message}; the partial bundle ${showPath(leftover)} could not be removed: delete it by hand`);
    }
    throw err;
  };

  let current: string | null = null;
  const written: WrittenBundleFile[] = [];
  try {
    await fs.mkdir(tempDir);
    for (const folder of folders) await fs.mkdir(bundlePathUnder(tempDir, folder));
    for (const f of files) {
      current = `writing ${f.name}`;
      const slash = f.name.lastIndexOf('/');
      const tmp = bundlePathUnder(tempDir, f.name.slice(0, slash + 1), `.${f.name.slice(slash + 1)}.tmp`);
      await fs.writeFileSynced(tmp, f.data);
      await fs.rename(tmp, bundlePathUnder(tempDir, f.name));
      written.push({ name: f.name, sha256: sha256(f.data), size: f.data.length });
    }
    current = null;
    for (const folder of folders) await fs.syncDir(bundlePathUnder(tempDir, folder));
    await fs.syncDir(tempDir);
    for (const w of written) {
      current = `reading back ${w.name}`;
      const back = await fs.readFile(bundlePathUnder(tempDir, w.name));
      if (back.length !== w.size || sha256(back) !== w.sha256) {
        throw new CertdeskError('IO_ERROR', `${w.name} read back from the drive differs from what was written: the drive may be failing`);
      }
    }
  } catch (e) {
    return fail(e, current, tempDir);
  }

  const place = async (): Promise<void> => {
    let renamedIntoPlace = false;
    try {
      // Checked again: another process may have made the folder while we wrote.
      if ((await fs.kind(finalDir)) !== null) {
        throw new CertdeskError('CONFLICT', `${showPath(finalDir)} appeared while the bundle was being written; it was left untouched`);
      }
      await fs.rename(tempDir, finalDir);
      renamedIntoPlace = true;
      await fs.syncDir(parentDir);
    } catch (e) {
      await fail(e, 'moving the bundle folder into place', renamedIntoPlace ? finalDir : tempDir);
    }
  };
  return { dir: finalDir, files: written, place };
}
