import { access, readFile } from 'node:fs/promises';
import type { UserPath } from './user-path.js';

/** True when `path` exists (any kind). */
export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** The file's bytes, or null when it does not exist; other errors are thrown. */
export async function readIfExists(path: UserPath): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
