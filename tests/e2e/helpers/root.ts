import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The repository root: the nearest folder up from the working directory with bin/certdesk.js.
 * (Playwright transpiles specs to CommonJS, so import.meta is not available here.)
 */
function findRoot(): string {
  let dir = resolve(process.cwd());
  for (;;) {
    if (existsSync(join(dir, 'bin', 'certdesk.js')) && existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('run the e2e tests from inside the Certdesk repository');
    dir = up;
  }
}

/** Absolute path of the repository root. */
export const ROOT = findRoot();
