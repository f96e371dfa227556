// `npm start`: runs the Electron app. Where the Electron runtime cannot be obtained (it downloads
// from outside the package registry on first use), says so in ONE line on stderr and runs browser
// mode (`certdesk ui`) instead, so the README's run command works on any machine with a browser.
// Arguments after `npm start --` go to the app (e.g. --store DIR; --no-open, --port N in browser mode).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');

/** The executable inside an Electron dist folder, as node_modules/electron/install.js names it. */
export function platformExecutable(platform = process.platform) {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

/** Where an installed Electron binary is, or null. */
function installedBinary(env) {
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(env.ELECTRON_OVERRIDE_DIST_PATH, platformExecutable());
    return existsSync(p) ? p : null;
  }
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const p = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(p) ? p : null;
}

function lastLine(text) {
  const lines = String(text).split('\n').map((l) => l.trim()).filter(Boolean);
  const interesting = lines.find((l) => /^(Error|TypeError|RequestError|HTTPError)\b|ENOTFOUND|EAI_AGAIN|ECONN|fetch failed/.test(l));
  return (interesting ?? lines[0] ?? 'no output').slice(0, 160);
}

/**
 * Finds the Electron binary, downloading it once through electron's own installer when missing.
 * Returns { binary } or { reason } (one line). ELECTRON_OVERRIDE_DIST_PATH is taken as given: no
 * download is attempted for it.
 */
export function resolveElectron(env = process.env) {
  const found = installedBinary(env);
  if (found) return { binary: found };
  if (env.ELECTRON_OVERRIDE_DIST_PATH) return { reason: `ELECTRON_OVERRIDE_DIST_PATH has no ${platformExecutable()}` };
  if (!existsSync(join(electronDir, 'install.js'))) return { reason: 'the electron package is not installed (run npm ci)' };
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { cwd: root, env, encoding: 'utf8', timeout: 300_000 });
  const after = installedBinary(env);
  if (after) return { binary: after };
  if (r.error) return { reason: `the download did not finish (${r.error.message.split('\n')[0]})` };
  return { reason: `the download failed (${lastLine(`${r.stderr}\n${r.stdout}`)})` };
}

function run(file, args) {
  const child = spawn(file, args, { cwd: root, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
  child.on('error', (e) => {
    console.error(`error: cannot start ${file}: ${e.message}`);
    process.exitCode = 1;
  });
}

export function main(argv = process.argv.slice(2), env = process.env) {
  const electron = resolveElectron(env);
  if (electron.binary) {
    run(electron.binary, ['.', ...argv]);
    return;
  }
  console.error(`Electron runtime unavailable: ${electron.reason}; starting browser mode instead (certdesk ui).`);
  run(process.execPath, [join(root, 'bin', 'certdesk.js'), 'ui', ...argv]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
