import { access, constants } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CertdeskError } from '../common/errors.js';
import { ioReason } from '../store/io-error.js';
import { assertOutsideStore } from '../store/paths.js';
import { checkOutputTarget, writeUserFile } from '../store/user-file.js';
import { dirOfUserPath, showPath, storePath, type UserPath } from '../store/user-path.js';
import { cliPath } from './raw-args.js';

/** An --out destination that was checked before any work was done. */
export interface OutFile {
  path: UserPath;
  /** The path for messages and JSON, escaped (bytes that are not UTF-8 as \\xNN). */
  shown: string;
  force: boolean;
}

/**
 * Checks an --out path up front, so a command that would fail to write its output fails before it
 * changes anything: never inside the store folder (not even with --force), never over anything but a
 * regular file (a device, FIFO, symlink or folder, not even with --force), an existing file needs
 * --force, the folder must exist and be writable.
 */
export async function checkOutFile(cwd: string, out: string, force: boolean, storeDir: string): Promise<OutFile> {
  if (out.trim() === '') throw new CertdeskError('INVALID_INPUT', '--out needs a file name');
  const path = cliPath({ cwd }, out);
  const shown = showPath(path);
  await assertOutsideStore(resolve(cwd, storeDir), path);
  if ((await checkOutputTarget(path)) && !force) throw new CertdeskError('CONFLICT', `${shown} already exists; add --force to overwrite it`);
  const folder = dirOfUserPath(path);
  try {
    await access(folder, constants.W_OK);
  } catch (e) {
    throw new CertdeskError('IO_ERROR', `cannot write ${shown}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'the folder does not exist' : ioReason(e)}`);
  }
  return { path, shown, force };
}

/** `{ outBytes }` (base64) for --json when the name is not valid UTF-8 and `out` holds its escaped text; else nothing. */
export function outBytes(out: OutFile): { outBytes?: string } {
  const bytes = storePath(out.path).bytes;
  return bytes === undefined ? {} : { outBytes: bytes };
}

/** Writes a checked --out file atomically (0644: CSRs and certificates are public). */
export async function writeOutFile(out: OutFile, data: Uint8Array | string): Promise<void> {
  // Checked before the work, but another program may have created something there since:
  // writeUserFile checks again and never replaces anything but a regular file.
  await writeUserFile(out.path, data, { force: out.force, mode: 0o644 });
}
