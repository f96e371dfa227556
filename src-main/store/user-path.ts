import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { showPath } from '../common/escape.js';

// Printing a path is escaping untrusted text, so it lives with the other escapes (media uses it too).
export { showPath };

/**
 * Paths the admin names, which may not be valid UTF-8. Linux file names are bytes: a name such as
 * `r\xff\xfe.pfx` cannot be spelled as a JS string without turning the bad bytes into U+FFFD, which
 * names a different file. Such a path travels as a Buffer (node:fs takes Buffer paths everywhere);
 * a path that is valid UTF-8 stays a string, so nothing changes for the common case.
 */
export type UserPath = string | Buffer;

const SLASH = 0x2f;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes as a path: a string when they are valid UTF-8 (the common case), else the Buffer itself. */
export function userPathOf(bytes: Buffer): UserPath {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return bytes;
  }
}

/**
 * The path's bytes as a latin1 string (one char per byte): node:path's string functions then work on
 * bytes (`/` and `.` are the same byte either way) and no byte is lost.
 */
export function byteString(path: UserPath): string {
  return (typeof path === 'string' ? Buffer.from(path, 'utf8') : path).toString('latin1');
}

/** Back from {@link byteString}: a string again when the bytes are valid UTF-8. */
export function fromByteString(s: string): UserPath {
  return userPathOf(Buffer.from(s, 'latin1'));
}

/** `path` made absolute against `cwd`, keeping a Buffer a Buffer. */
export function resolveUserPath(cwd: string, path: UserPath): UserPath {
  if (typeof path === 'string') return resolve(cwd, path);
  // Normalized like a string path (`..`, `.`, `//`), on the bytes: `cwd` is absolute, so resolve never reads process.cwd().
  return fromByteString(resolve(byteString(cwd), byteString(path)));
}

/** True for an absolute path (a Buffer path is POSIX: it starts with `/`). */
export function isAbsoluteUserPath(path: UserPath): boolean {
  return typeof path === 'string' ? isAbsolute(path) : path[0] === SLASH;
}

/** `base` with `names` (Certdesk's own file names, UTF-8) appended; a Buffer stays a Buffer. */
export function joinUserPath(base: UserPath, ...names: string[]): UserPath {
  if (typeof base === 'string') return join(base, ...names);
  return fromByteString(join(byteString(base), ...names.map((n) => Buffer.from(n, 'utf8').toString('latin1'))));
}

/** The folder holding `path`. */
export function dirOfUserPath(path: UserPath): UserPath {
  return typeof path === 'string' ? dirname(path) : fromByteString(dirname(byteString(path)));
}

/** The last component of `path` (bytes kept). */
export function baseOfUserPath(path: UserPath): UserPath {
  return typeof path === 'string' ? basename(path) : fromByteString(basename(byteString(path)));
}

/** The last component of `path`, escaped for messages. */
export function baseName(path: UserPath): string {
  return showPath(baseOfUserPath(path));
}

/** A hidden sibling of `path`: `.<name><suffix>` in the same folder (bytes of the name kept). */
export function hiddenSibling(path: UserPath, suffix: string): UserPath {
  if (typeof path === 'string') return join(dirname(path), `.${basename(path)}${suffix}`);
  const s = byteString(path);
  return fromByteString(join(dirname(s), `.${basename(s)}${Buffer.from(suffix, 'utf8').toString('latin1')}`));
}

/** True when both name the same bytes. */
export function sameUserPath(a: UserPath, b: UserPath): boolean {
  return byteString(a) === byteString(b);
}

/**
 * How a path is kept in JSON (records, intents, --json output): `text` is the path itself when it is
 * valid UTF-8; otherwise the escaped display text (`r\xff.pfx`) and `bytes` the exact name, base64.
 * Readers that know only the text field still show something true to the admin; everything that
 * acts on the file uses the bytes.
 */
export interface StoredPath {
  text: string;
  bytes?: string;
}

/** `path` for JSON: see {@link StoredPath}. */
export function storePath(path: UserPath): StoredPath {
  const p = typeof path === 'string' ? path : userPathOf(path);
  if (typeof p === 'string') return { text: p };
  return { text: showPath(p), bytes: p.toString('base64') };
}

/** The path a {@link StoredPath} names: the bytes when present (records written before them have none). */
export function loadPath(text: string, bytes: string | undefined): UserPath {
  return bytes === undefined ? text : userPathOf(Buffer.from(bytes, 'base64'));
}
