import type { SaveOutcome } from '../common/api.js';
import { showPath, writeUserFile } from '../store/user-file.js';
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
  // Only ever replaces a regular file: a device, FIFO or symlink is refused even after the dialog's "Replace?".
  await writeUserFile(target.path, bytes, { force: target.userConfirmedReplace, mode: 0o644, existsMessage: `${showPath(target.path)} already exists: choose another name` });
  return { kind: 'saved', path: target.path };
}

/** A file name made from a DNS name (a wildcard's `*` becomes `_`), for suggested names. */
export function fileNameFor(name: string, extension: string): string {
  const safe = name.replace(/\*/g, '_').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200) || 'certdesk';
  return `${safe}${extension}`;
}
