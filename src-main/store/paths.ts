import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CertdeskError } from '../common/errors.js';
import { byteString, fromByteString, showPath, type UserPath } from './user-path.js';

/**
 * `path` with symlinks resolved as far as it exists: the real path of its deepest existing ancestor,
 * with the not-yet-existing rest appended. A dangling or unreadable part stops the walk there.
 * `real` is realpath on the same kind of string (see assertOutsideStore for byte paths).
 */
async function realPathSoFar(path: string, real: (p: string) => Promise<string> = (p) => realpath(p)): Promise<string> {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    try {
      return join(await real(current), ...missing.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return resolve(path);
      missing.push(basename(current));
      current = parent;
    }
  }
}

function isInside(folder: string, target: string): boolean {
  // Windows and macOS volumes are usually case-insensitive: STORE\key.enc is store\key.enc there.
  const caseless = process.platform === 'win32' || process.platform === 'darwin';
  const rel = caseless ? relative(folder.toLowerCase(), target.toLowerCase()) : relative(folder, target);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/**
 * Refuses (INVALID_INPUT) an output file or folder inside the store folder, or the store folder itself,
 * compared as given and by real paths (symlinks of the existing part resolved on both sides): an export written
 * there with --force could replace the store's own files, such as a key.enc or store.json.
 * A target that is not valid UTF-8 (a Buffer) is compared byte for byte: both sides become latin1
 * byte-strings (one char per byte), so a folder whose name is not UTF-8 that links into the store
 * is still seen.
 */
export async function assertOutsideStore(storeDir: string, target: UserPath): Promise<void> {
  if (typeof target === 'string') return assertOutside(storeDir, target, (p) => realpath(p));
  const realBytes = async (p: string): Promise<string> => (await realpath(Buffer.from(p, 'latin1'), { encoding: 'buffer' })).toString('latin1');
  return assertOutside(byteString(storeDir), byteString(target), realBytes, fromByteString);
}

/** The check on paths as `real` understands them: text, or byte-strings turned back into paths by `back` for the message. */
async function assertOutside(storeDir: string, target: string, real: (p: string) => Promise<string>, back: (p: string) => UserPath = (p) => p): Promise<void> {
  const store = await realPathSoFar(storeDir, real);
  const abs = resolve(target);
  // The path as typed, where a symlink at `target` points, and where the link itself sits (a write
  // replaces the link by a rename inside its folder, and its temp file is created there).
  const candidates = [abs, await realPathSoFar(abs, real), join(await realPathSoFar(dirname(abs), real), basename(abs))];
  const stores = [resolve(storeDir), store];
  if (candidates.some((c) => stores.some((s) => isInside(s, c)))) {
    throw new CertdeskError('INVALID_INPUT', `${showPath(back(abs))} is inside the Certdesk store folder ${showPath(back(store))}: write it somewhere else`);
  }
}
