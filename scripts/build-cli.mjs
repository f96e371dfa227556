#!/usr/bin/env node
// The `certdesk` command as a bundle (part of `npm run build:main`, after tsc).
//
// Why: on Node 20 (no module.enableCompileCache) a CLI start-up spent more time finding, reading and
// wrapping about 250 small CommonJS files (dist/main, zod's 99 files with every locale, saxes,
// tldts, ...) than running them. rolldown (already here for Vite) bundles the TypeScript sources
// into a few CommonJS files: one entry with the command table, and one chunk per group of modules
// that a command loads with `await import()`, so a command still loads only what it needs. zod is
// bundled from its ES module build, where tree-shaking drops the locales we never use.
//
// Output in dist/cli/: certdesk.js (bin/certdesk.js loads it), helper-child.js (the keychain helper
// process, next to the chunk that forks it, as keychain/helper-client.ts expects), the chunks, and
// modules.json (which source modules each file holds; tests/integration/cli-startup.test.ts maps
// the files a command loaded back to modules with it).
//
// Electron main, the preload and the crash-test launcher keep using tsc's dist/main: the bundle is
// only the command line (and `certdesk ui`, the browser-mode server it starts).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'cli');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nodeTarget = `node${/^>=\s*(\d+)/.exec(pkg.engines.node)?.[1] ?? '20'}`;

// keytar is a native addon, loaded from node_modules at run time (only in the keychain helper).
const EXTERNAL = ['keytar'];

rmSync(outDir, { recursive: true, force: true });
const t = performance.now();
const result = await build({
  cwd: root,
  input: { certdesk: 'src-main/cli/main.ts', 'helper-child': 'src-main/keychain/helper-child.ts' },
  platform: 'node',
  external: EXTERNAL,
  // The sources import each other as './x.js' (NodeNext): those are the .ts files.
  resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
  transform: { target: nodeTarget },
  logLevel: 'warn',
  output: {
    dir: outDir,
    format: 'cjs',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
  },
});

const modules = {};
for (const file of result.output) {
  if (file.type !== 'chunk') continue;
  // The command line never reaches Electron; a bare import of anything not allowed above would
  // only fail when that command runs, so fail the build instead.
  const stray = file.imports.filter((i) => !i.startsWith('node:') && !EXTERNAL.includes(i) && !result.output.some((o) => o.fileName === i));
  if (stray.length > 0) throw new Error(`dist/cli/${file.fileName} imports ${stray.join(', ')} at run time: bundle it or add it to EXTERNAL on purpose`);
  modules[file.fileName] = file.moduleIds.filter((id) => !id.startsWith('\0')).map((id) => relative(root, id).split('\\').join('/'));
}
writeFileSync(join(outDir, 'modules.json'), `${JSON.stringify(modules, null, 1)}\n`);
const count = Object.keys(modules).length;
console.log(`dist/cli: ${count} files from ${Object.values(modules).flat().length} modules in ${((performance.now() - t) / 1000).toFixed(1)} s`);
