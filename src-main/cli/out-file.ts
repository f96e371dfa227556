import { access, constants, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CertdeskError } from '../common/errors.js';
import { writeFileDurable } from '../store/durable.js';
import { ioReason } from '../store/io-error.js';
import { assertOutsideStore } from '../store/paths.js';

/** An --out destination that was checked before any work was done. */
export interface OutFile {
  path: string;
  force: boolean;
}

/**
 * Checks an --out path up front, so a command that would fail to write its output fails before it
 * changes anything: never inside the store folder (not even with --force), an existing file needs
 * --force, the folder must exist and be writable.
 */
export async function checkOutFile(cwd: string, out: string, force: boolean, storeDir: string): Promise<OutFile> {
  if (out.trim() === '') throw new CertdeskError('INVALID_INPUT', '--out needs a file name');
  const path = resolve(cwd, out);
  await assertOutsideStore(resolve(cwd, storeDir), path);
  let existing;
  try {
    existing = await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new CertdeskError('IO_ERROR', `cannot write ${path}: ${ioReason(e)}`);
  }
  if (existing?.isDirectory()) throw new CertdeskError('INVALID_INPUT', `${path} is a folder; give a file name`);
  if (existing && !force) throw new CertdeskError('CONFLICT', `${path} already exists; add --force to overwrite it`);
  const folder = dirname(path);
  try {
    await access(folder, constants.W_OK);
  } catch (e) {
    throw new CertdeskError('IO_ERROR', `cannot write ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'the folder does not exist' : ioReason(e)}`);
  }
  return { path, force };
}

/** Writes a checked --out file atomically (0644: CSRs and certificates are public). */
export async function writeOutFile(out: OutFile, data: Uint8Array | string): Promise<void> {
  if (!out.force) {
    // Checked before the work, but another program may have created it since.
    const appeared = await stat(out.path).then(
      () => true,
      () => false,
    );
    if (appeared) throw new CertdeskError('CONFLICT', `${out.path} already exists; add --force to overwrite it`);
  }
  try {
    await writeFileDurable(out.path, data, 0o644);
  } catch (e) {
    throw new CertdeskError('IO_ERROR', `cannot write ${out.path}: ${ioReason(e)}`);
  }
}
