/**
 * Browser mode for e2e: `certdesk ui --no-open --port 0` on a temporary store, exactly as an admin
 * runs it. The real dispatcher, services, disk and OS keychain sit behind the page (the test run is
 * under scripts/with-keyring.sh); nothing is faked.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { ROOT } from './root.js';

/** A running `certdesk ui`. */
export interface UiProcess {
  /** The address with `#token=...`, as printed on the first stdout line. */
  url: string;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  token: string;
  /** The temporary store folder behind it. */
  storeDir: string;
  /** A scratch folder for the test's own files (saved CSRs, PFX files, bundles). */
  workDir: string;
  /** What the server wrote to stderr so far (for failure messages). */
  stderr(): string;
  /** Stops the server (SIGINT, like Ctrl+C) and removes the temporary folders. */
  stop(): Promise<void>;
}

/** Starts `certdesk ui` on a fresh store; rejects with the server's stderr if it does not print its URL. */
export async function startUi(): Promise<UiProcess> {
  if (!existsSync(join(ROOT, 'dist', 'renderer', 'index.html')) || !existsSync(join(ROOT, 'dist', 'cli', 'certdesk.js'))) {
    throw new Error('e2e needs the built app: run `npm run build` first');
  }
  const base = mkdtempSync(join(tmpdir(), 'certdesk-e2e-'));
  const storeDir = join(base, 'store');
  const workDir = join(base, 'work');
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin', 'certdesk.js'), '--store', storeDir, 'ui', '--no-open', '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, CERTDESK_HOME: storeDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => (err += d));

  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`certdesk ui printed no URL within 20 s; stderr: ${err}`)), 20_000);
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolveUrl(line.trim());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`certdesk ui exited with ${code}; stderr: ${err}`));
    });
  });
  const parsed = new URL(url);
  const token = new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '';
  mkdirSync(workDir, { recursive: true });

  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token,
    storeDir,
    workDir,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGINT');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
}
