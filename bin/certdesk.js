#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is compiled TypeScript under dist/ (`npm run build`).
const path = require('node:path');
const entry = path.join(__dirname, '..', 'dist', 'main', 'cli', 'main.js');
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
