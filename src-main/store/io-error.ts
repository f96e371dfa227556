import { CertdeskError, isCertdeskError } from '../common/errors.js';

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  ENOENT: 'no such file or folder',
  EEXIST: 'it already exists',
  EIO: 'an input/output error (failing disk or removed drive?)',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many open files',
  EBUSY: 'the file is busy',
};

/** Plain words for a Node file-system error code (no paths or data from the error message). */
export function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return (code && REASONS[code]) ?? (code ? `system error ${code}` : e instanceof Error ? e.message.split('\n')[0] ?? 'unknown error' : String(e));
}

/** Turns file-system failures into IO_ERROR with `what` as context; CertdeskErrors pass through. */
export function toIoError(e: unknown, what: string): Error {
  if (isCertdeskError(e)) return e;
  if (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string') {
    return new CertdeskError('IO_ERROR', `${what}: ${ioReason(e)}`);
  }
  return e instanceof Error ? e : new Error(String(e));
}

/** Runs `fn`, mapping file-system errors to IO_ERROR. */
export async function guardIo<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toIoError(e, what);
  }
}
