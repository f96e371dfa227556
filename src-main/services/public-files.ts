import type { CsrContent, SaveOutcome } from '../common/api.js';
import { canonicalTopologyJson } from '../common/topologies.js';
import { validateTopology } from '../planning/topology-schema.js';
import type { CsrFormat } from '../common/requests.js';
import { decodePemBlocks } from '../pki/pem.js';
import { assertOutsideStore } from '../store/paths.js';
import { writeUserFile } from '../store/user-file.js';
import { showPath } from '../store/user-path.js';
import { certificateDetail, commonNameOf } from './certificate-detail.js';
import type { ServiceContext } from './context.js';
import { getCsr, showRequest } from './requests.js';

/**
 * Public files of a request (its CSR, its issued certificate) saved where the admin chose, or handed
 * back for the browser to download. The IPC handlers only resolve the target and call these.
 */

/** Where a save goes: a file (typed, or picked in a native dialog that already asked "Replace?"), or a download. */
export type PublicFileTarget = { kind: 'file'; path: string; userConfirmedReplace: boolean } | { kind: 'download' };

/** A public file (CSR, certificate) to save. */
export interface PublicFile {
  fileName: string;
  mediaType: string;
  data: Uint8Array | string;
}

/**
 * Writes `file` to `target` (atomically, 0644: a CSR is public), or returns it for the browser to
 * download. A typed path never replaces an existing file, and no save lands among the store's files.
 */
export async function savePublicFile(ctx: ServiceContext, target: PublicFileTarget, file: PublicFile): Promise<SaveOutcome> {
  const bytes = typeof file.data === 'string' ? Buffer.from(file.data, 'utf8') : Buffer.from(file.data);
  if (target.kind === 'download') return { kind: 'download', fileName: file.fileName, mediaType: file.mediaType, base64: bytes.toString('base64') };
  // Typed or picked alike: a save may never land among the store's own files.
  await assertOutsideStore(ctx.storeDir, target.path);
  // Only ever replaces a regular file: a device, FIFO or symlink is refused even after the dialog's "Replace?".
  await writeUserFile(target.path, bytes, { force: target.userConfirmedReplace, mode: 0o644, existsMessage: `${showPath(target.path)} already exists: choose another name` });
  return { kind: 'saved', path: target.path };
}

/** A file name made from a DNS name (a wildcard's `*` becomes `_`), for suggested names. */
export function fileNameFor(name: string, extension: string): string {
  const safe = name.replace(/\*/g, '_').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200) || 'certdesk';
  return `${safe}${extension}`;
}

/** Request `id`'s CSR in `format`, with a suggested file name, ready to copy, download or save. */
export async function csrFile(ctx: ServiceContext, id: string, format: CsrFormat): Promise<CsrContent & { data: Uint8Array | string }> {
  const { record } = await showRequest(ctx, id);
  const data = await getCsr(ctx, record.id, format);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  return {
    format,
    fileName: fileNameFor(record.subject, format === 'der' ? '.der' : '.req'),
    mediaType: format === 'der' ? 'application/pkcs10' : 'text/plain',
    base64: bytes.toString('base64'),
    pem: typeof data === 'string' ? data : null,
    data,
  };
}

/** Saves request `id`'s CSR. */
export async function saveCsr(ctx: ServiceContext, id: string, format: CsrFormat, target: PublicFileTarget): Promise<SaveOutcome> {
  const c = await csrFile(ctx, id, format);
  return savePublicFile(ctx, target, { fileName: c.fileName, mediaType: c.mediaType, data: c.data });
}

/** Saves request `id`'s issued certificate as DER (.cer, as Windows names it). */
export async function saveCertificate(ctx: ServiceContext, id: string, target: PublicFileTarget): Promise<SaveOutcome> {
  const c = await certificateDetail(ctx, id);
  const der = decodePemBlocks(Buffer.from(c.pem, 'utf8'))[0]?.der ?? new Uint8Array();
  return savePublicFile(ctx, target, { fileName: fileNameFor(commonNameOf(c.subject), '.cer'), mediaType: 'application/pkix-cert', data: der });
}

/** A topology saved as a file (the Plan view's Save): validated, then written as canonical JSON. */
export async function saveTopologyFile(ctx: ServiceContext, topology: unknown, fileName: string, target: PublicFileTarget): Promise<SaveOutcome> {
  const json = canonicalTopologyJson(validateTopology(topology, 'the topology'));
  const name = fileNameFor(fileName.replace(/\.json$/i, ''), '.json');
  return savePublicFile(ctx, target, { fileName: name, mediaType: 'application/json', data: json });
}
