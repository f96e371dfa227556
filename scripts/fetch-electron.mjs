// `npm run dist` step: electron-builder packs the Electron runtime, which is downloaded from outside
// the package registry. Fetch it through electron's own installer (cached), or fail with one clear line.
import { resolveElectron } from './start.mjs';

const r = resolveElectron();
if (!r.binary) {
  console.error(`error: npm run dist needs the Electron runtime, which could not be obtained: ${r.reason}`);
  process.exit(1);
}
console.log(`Electron runtime: ${r.binary}`);
