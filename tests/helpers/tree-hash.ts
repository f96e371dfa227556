import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The request and summary indexes (store/request-index.ts) are caches rebuilt from the request.json
 * files whenever they differ from them; a listing may write them. They are not stored data, so
 * "nothing changed" ignores them.
 */
export const isCacheFile = (name: string): boolean => /^(request-(index|summaries)\.json|\.request-(index|summaries)\.json\.[0-9a-f]+\.tmp)$/.test(name);

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
