#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is TypeScript bundled into dist/cli/ by `npm run build:main` (tsc, then
// scripts/build-cli.mjs): a few files instead of hundreds of small modules to find and read.
const path = require('node:path');
// V8's on-disk compile cache (module.enableCompileCache) exists from Node 22.1 on and saves most of
// the compile time of our modules on every later start. Node 20 (the minimum here) does not have it:
// there the call is skipped and start-up rests on the bundle and on loading only what the command needs.
const nodeModule = require('node:module');
if (typeof nodeModule.enableCompileCache === 'function') nodeModule.enableCompileCache();
const entry = path.join(__dirname, '..', 'dist', 'cli', 'certdesk.js');
let cli;
try {
  cli = require(entry);
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes(entry)) {
    process.stderr.write('error: certdesk is not built yet; run `npm run build` first\n');
    process.exit(1);
  }
  throw e;
}
void cli.main();
