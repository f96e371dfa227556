import { constants, type Stats } from 'node:fs';
import { link, lstat, open, rename, rm, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { CertdeskError } from '../common/errors.js';
import { fsyncDir } from './durable.js';
import { ioReason } from './io-error.js';
import { dirOfUserPath, hiddenSibling, isAbsoluteUserPath, showPath, type UserPath } from './user-path.js';

/**
 * Files the admin names (inputs to read, --out/--to targets to write): the one place that opens them,
 * so every command refuses devices, FIFOs and symlink tricks the same way. Every file-reading command
 * goes through {@link readUserFile} and every single-file output through {@link writeUserFile}.
 *
 * A path is a string, or a Buffer when the name is not valid UTF-8 (Linux file names are bytes: such a
 * name cannot be spelled as a JS string without losing bytes, see cli/raw-args.ts).
 */

/** Certificates, CSRs, topologies and password files are far below this; a bigger file is a wrong pick. */
export const MAX_USER_FILE_BYTES = 1024 * 1024;

function tempNextTo(path: UserPath): UserPath {
  return hiddenSibling(path, `.${randomBytes(6).toString('hex')}.tmp`);
}

function kindOf(s: Stats): string {
  if (s.isSymbolicLink()) return 'a symbolic link';
  if (s.isFIFO()) return 'a named pipe';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isSocket()) return 'a socket';
  return 'a special file';
}

function errno(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** Options of {@link readUserFile}. */
export interface ReadUserFileOptions {
  /** Refuse files larger than this; default {@link MAX_USER_FILE_BYTES}. */
  maxBytes?: number;
  /** The error for a file over the limit (`size`: its size, or the bytes seen so far when it grew). */
  tooLarge?: (size: number) => CertdeskError;
  /** The error for a name that does not exist (`shown`: the escaped path). */
  notFound?: (shown: string) => CertdeskError;
}

/**
 * Reads a file the admin named: opened once, checked on the opened descriptor (fstat, so nothing can
 * be swapped in between) to be a regular file, and read up to `maxBytes`. O_NONBLOCK makes opening a
 * FIFO return at once instead of waiting for a writer forever; fstat then refuses it. Devices such as
 * /dev/zero are refused before a byte is read. `what` names the file's role in messages ("CSR file").
 */
export async function readUserFile(path: UserPath, what: string, opts: ReadUserFileOptions = {}): Promise<Buffer> {
  const shown = showPath(path);
  const maxBytes = opts.maxBytes ?? MAX_USER_FILE_BYTES;
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
  let fh;
  try {
    fh = await open(path, flags);
  } catch (e) {
    if (errno(e) === 'ENOENT') throw opts.notFound?.(shown) ?? new CertdeskError('NOT_FOUND', `cannot read ${shown}: no such file`);
    if (errno(e) === 'EISDIR') throw new CertdeskError('INVALID_INPUT', `${shown} is a folder, not a ${what}`);
    throw new CertdeskError('IO_ERROR', `cannot read ${shown}: ${ioReason(e)}`);
  }
  try {
    const s = await fh.stat();
    if (s.isDirectory()) throw new CertdeskError('INVALID_INPUT', `${shown} is a folder, not a ${what}`);
    if (!s.isFile()) throw new CertdeskError('INVALID_INPUT', `${shown} is not a regular file (it is ${kindOf(s)})`);
    const tooBig = (size: number): CertdeskError => opts.tooLarge?.(size) ?? new CertdeskError('INVALID_INPUT', `${shown} is larger than ${sizeText(maxBytes)}: not a ${what}`);
    if (s.size > maxBytes) throw tooBig(s.size);
    // One byte past the cap, so a file that grew (or a /proc file whose size reads 0) is still bounded.
    const buf = Buffer.alloc(Math.min(maxBytes, Math.max(s.size, 64 * 1024)) + 1);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw tooBig(total);
      chunks.push(Buffer.from(buf.subarray(0, bytesRead)));
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    if (e instanceof CertdeskError) throw e;
    throw new CertdeskError('IO_ERROR', `cannot read ${shown}: ${ioReason(e)}`);
  } finally {
    await fh.close();
  }
}

function sizeText(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

/**
 * Checks an output target before anything is written. Nothing there: false. A regular file: true
 * (the caller decides whether replacing it is allowed). Anything else is refused whatever --force
 * says, because a rename would replace it: a folder, a device (/dev/null), a FIFO, a socket, or a
 * symbolic link (dangling or not: replacing the link is never what the admin meant).
 */
export async function checkOutputTarget(path: UserPath): Promise<boolean> {
  const shown = showPath(path);
  let s;
  try {
    s = await lstat(path);
  } catch (e) {
    if (errno(e) === 'ENOENT') return false;
    throw new CertdeskError('IO_ERROR', `cannot write ${shown}: ${ioReason(e)}`);
  }
  if (s.isFile()) return true;
  if (s.isDirectory()) throw new CertdeskError('INVALID_INPUT', `${shown} is a folder; give a file name`);
  throw new CertdeskError('INVALID_INPUT', `${shown} is not a regular file (it is ${kindOf(s)}); it is never replaced, not even with --force`);
}

/** Options of {@link writeUserFile}. */
export interface WriteUserFileOptions {
  /** Replace an existing regular file (never anything else). */
  force: boolean;
  /** 0o600 for secrets (PFX), 0o644 for public files (CSR, certificate). */
  mode: number;
  /** The CONFLICT message when the file exists and `force` is false. */
  existsMessage?: string;
}

/**
 * Writes a file the admin named, atomically and durably: temp file next to it, fsync, then into place,
 * fsync the folder. Without `force` the temp file is hard-linked to the name, which fails if anything
 * appeared there since the check (no window at all); with `force` the target is checked again just
 * before the rename. File systems without hard links (FAT on USB sticks) fall back to check + rename.
 */
export async function writeUserFile(path: UserPath, data: Uint8Array | string, opts: WriteUserFileOptions): Promise<void> {
  if (!isAbsoluteUserPath(path)) throw new CertdeskError('INTERNAL', 'writeUserFile needs an absolute path');
  const shown = showPath(path);
  const conflict = (): CertdeskError => new CertdeskError('CONFLICT', opts.existsMessage ?? `${shown} already exists; add --force to overwrite it`);
  if ((await checkOutputTarget(path)) && !opts.force) throw conflict();
  const tmp = tempNextTo(path);
  let placed = false;
  try {
    const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, opts.mode);
    try {
      await fh.writeFile(data);
      await fh.chmod(opts.mode);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (!opts.force) {
      try {
        await link(tmp, path);
        placed = true;
      } catch (e) {
        if (errno(e) === 'EEXIST') throw conflict();
        if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(errno(e) ?? '')) throw e;
      }
    }
    if (!placed) {
      if ((await checkOutputTarget(path)) && !opts.force) throw conflict();
      await rename(tmp, path);
      placed = true;
    } else {
      await unlink(tmp);
    }
    await fsyncDir(dirOfUserPath(path));
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    if (e instanceof CertdeskError) throw e;
    throw new CertdeskError('IO_ERROR', `cannot write ${shown}: ${ioReason(e)}`);
  }
}
