import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CertdeskError } from '../common/errors.js';

/**
 * `path` with symlinks resolved as far as it exists: the real path of its deepest existing ancestor,
 * with the not-yet-existing rest appended. A dangling or unreadable part stops the walk there.
 */
async function realPathSoFar(path: string): Promise<string> {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    try {
      return join(await realpath(current), ...missing.reverse());
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
 */
export async function assertOutsideStore(storeDir: string, target: string): Promise<void> {
  const store = await realPathSoFar(storeDir);
  const abs = resolve(target);
  // The path as typed, where a symlink at `target` points, and where the link itself sits (a write
  // replaces the link by a rename inside its folder, and its temp file is created there).
  const candidates = [abs, await realPathSoFar(abs), join(await realPathSoFar(dirname(abs)), basename(abs))];
  const stores = [resolve(storeDir), store];
  if (candidates.some((c) => stores.some((s) => isInside(s, c)))) {
    throw new CertdeskError('INVALID_INPUT', `${abs} is inside the Certdesk store folder ${store}: write it somewhere else`);
  }
}
