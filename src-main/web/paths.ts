import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findPackageRoot(start: string): string {
  // Compiled code sits in dist/main/<layer>, sources in src-main/<layer> (tests), the packaged app
  // inside app.asar with the same layout: the first package.json named certdesk above us is the root.
  let dir = start;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'certdesk') return dir;
      } catch {
        // not ours: keep climbing
      }
    }
    const up = dirname(dir);
    if (up === dir) return join(start, '..', '..', '..');
    dir = up;
  }
}

/** The package root (where package.json, dist/ and examples/ are). */
export const PACKAGE_ROOT = findPackageRoot(__dirname);

/** The built renderer both shells serve. */
export const RENDERER_DIR = join(PACKAGE_ROOT, 'dist', 'renderer');

/** The bundled example topologies. */
export const EXAMPLES_DIR = join(PACKAGE_ROOT, 'examples');

/** The version in package.json. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}
