'use strict';
// Test launcher for the crash tests: the BUILT CLI with a crash hook that kills the process with
// SIGKILL (like a power cut or kill -9) at the step named by the first argument:
//   node tests/helpers/crash-cli.cjs create:renamed --store DIR request new ...
const { join } = require('node:path');
const dist = join(__dirname, '..', '..', 'dist', 'main');
const step = process.argv[2];
process.argv.splice(2, 1);
require(join(dist, 'store', 'crash-point.js')).setCrashHook((at) => {
  if (at === step) process.kill(process.pid, 'SIGKILL');
});
void require(join(dist, 'cli', 'main.js')).main();
