import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { SaveOutcome } from '../common/api.js';
import { CertdeskError } from '../common/errors.js';
import { writeFileDurable } from '../store/durable.js';
import { ioReason } from '../store/io-error.js';
import type { ResolvedSave } from './file-access.js';

/** A public file (CSR, certificate) to save where the user chose, or hand back as a download. */
export interface PublicFile {
  fileName: string;
  mediaType: string;
  data: Uint8Array | string;
}

/**
 * Writes `file` to a resolved target (atomically, 0644: a CSR is public), or returns it for the
 * browser to download. A typed path never replaces an existing file; the native save dialog has
 * already asked the user before replacing.
 */
export async function savePublicFile(target: ResolvedSave, file: PublicFile): Promise<SaveOutcome> {
  const bytes = typeof file.data === 'string' ? Buffer.from(file.data, 'utf8') : Buffer.from(file.data);
  if (target.kind === 'download') return { kind: 'download', fileName: file.fileName, mediaType: file.mediaType, base64: bytes.toString('base64') };
  const existing = await stat(target.path).catch(() => null);
  if (existing?.isDirectory()) throw new CertdeskError('INVALID_INPUT', `${target.path} is a folder: give a file name`);
  if (existing && !target.userConfirmedReplace) throw new CertdeskError('CONFLICT', `${target.path} already exists: choose another name`);
  try {
    await writeFileDurable(target.path, bytes, 0o644);
  } catch (e) {
    throw new CertdeskError('IO_ERROR', `cannot write ${basename(target.path)}: ${ioReason(e)}`);
  }
  return { kind: 'saved', path: target.path };
}

/** A file name made from a DNS name (a wildcard's `*` becomes `_`), for suggested names. */
export function fileNameFor(name: string, extension: string): string {
  const safe = name.replace(/\*/g, '_').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200) || 'certdesk';
  return `${safe}${extension}`;
}
