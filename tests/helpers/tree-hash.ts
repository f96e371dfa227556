import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The request index (store/request-index.ts) is a cache rebuilt from the request.json files whenever
 * it differs from them; a listing may write it. It is not stored data, so "nothing changed" ignores it.
 */
export const isCacheFile = (name: string): boolean => name === 'request-index.json' || /^\.request-index\.json\.[0-9a-f]+\.tmp$/.test(name);

/** SHA-256 over every path and file content under `dir` (caches aside): "nothing changed" means this is equal. */
export function treeHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (isCacheFile(name)) continue;
      const p = join(d, name);
      h.update(p);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}
