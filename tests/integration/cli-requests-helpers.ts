/**
 * Helpers for the store/keychain/CLI integration tests: run the BUILT `certdesk` (npm run build:main)
 * as a real process, fingerprint a store tree, and scan every byte of a store for plaintext key
 * material. These tests run under scripts/with-keyring.sh (a real, unlocked gnome-keyring).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCacheFile } from '../helpers/tree-hash.js';
import { createKeytarSecretStore } from '../../src-main/keychain/keytar.js';
import { Store } from '../../src-main/store/store.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(REPO, 'bin', 'certdesk.js');

/** Which source modules each file of the CLI bundle holds (written by scripts/build-cli.mjs). */
export function bundleModules(): Record<string, string[]> {
  return JSON.parse(readFileSync(join(REPO, 'dist', 'cli', 'modules.json'), 'utf8')) as Record<string, string[]>;
}

/**
 * Fails early, with the fix, when the CLI was not built (bin/certdesk.js runs the bundle in dist/cli,
 * the crash-test launcher tsc's dist/main) or when a source module changed after the bundle was
 * built: the tests would otherwise run yesterday's code without saying so.
 */
export function requireBuiltCli(): void {
  const bundle = join(REPO, 'dist', 'cli', 'certdesk.js');
  if (!existsSync(join(REPO, 'dist', 'main', 'cli', 'main.js')) || !existsSync(bundle)) throw new Error('these tests run the built CLI: run `npm run build:main` first');
  const built = statSync(bundle).mtimeMs;
  const changed = Object.values(bundleModules())
    .flat()
    .filter((m) => m.startsWith('src-main/') && existsSync(join(REPO, m)) && statSync(join(REPO, m)).mtimeMs > built);
  if (changed.length > 0) throw new Error(`${changed[0]} changed after the CLI was built: run \`npm run build:main\` first`);
}

/** The outcome of one CLI run. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/** Starts `certdesk --store STORE ...args` and returns the process (for kill -9 tests). */
export function startCli(store: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = REPO): ChildProcess {
  return spawn(process.execPath, [BIN, '--store', store, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Waits for a started CLI and collects its output. */
export function finished(child: ChildProcess): Promise<CliRun> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (b: Buffer) => out.push(b));
  child.stderr?.on('data', (b: Buffer) => err.push(b));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** Runs `certdesk --store STORE ...args` to completion. */
export function runCli(store: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = REPO): Promise<CliRun> {
  return finished(startCli(store, args, env, cwd));
}

/** stdout as text. */
/**
 * A hang guard's limit for a CLI run, scaled by how loaded the machine is now: the work's own budget
 * (e.g. the keychain deadline) plus `starts` process start-ups, each measured as a `certdesk --version`
 * run just before (at least the quiet-machine `floorMs`). On a quiet machine this is the budget the
 * issue sets; on a machine busy with other work it stretches instead of failing a correct program.
 */
export async function hangGuardMs(budgetMs: number, starts: number, floorMs: number): Promise<number> {
  const started = Date.now();
  const r = await runCli(join(tmpdir(), 'certdesk-no-store'), ['--version']);
  if (r.code !== 0) throw new Error(`certdesk --version failed: ${r.stderr}`);
  return Math.max(floorMs, budgetMs + starts * (Date.now() - started));
}

export function text(r: CliRun): string {
  return r.stdout.toString('utf8');
}

/** Every file and folder under `dir`: relative path, mode and content hash, sorted. */
export async function treeListing(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, rel: string): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(d);
    } catch {
      return;
    }
    for (const name of names) {
      if (isCacheFile(name)) continue; // the request index: a cache, not stored data (tests/helpers/tree-hash.ts)
      const p = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      const s = await stat(p);
      if (s.isDirectory()) {
        out.push(`${r}/ ${(s.mode & 0o777).toString(8)}`);
        await walk(p, r);
      } else {
        out.push(`${r} ${(s.mode & 0o777).toString(8)} ${createHash('sha256').update(await readFile(p)).digest('hex')}`);
      }
    }
  };
  await walk(dir, '');
  return out.sort();
}

/** A store opened in-process with the real keychain, to decrypt keys the way an export would. */
export function openStoreWithKeychain(dir: string): Promise<Store> {
  return Store.open(dir, createKeytarSecretStore({ timeoutMs: 10_000 }), { lockTimeoutMs: 10_000 });
}

/** Byte patterns that would betray a private key: its DER forms and slices of its secret numbers in several encodings. */
export function secretPatterns(privateKeyPem: string): { name: string; bytes: Buffer }[] {
  const key = createPrivateKey(privateKeyPem);
  const jwk = key.export({ format: 'jwk' });
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  const pkcs1 = key.export({ type: 'pkcs1', format: 'der' });
  const pats: { name: string; bytes: Buffer }[] = [
    { name: 'PKCS#8 DER', bytes: pkcs8.subarray(100, 164) },
    { name: 'PKCS#1 DER', bytes: pkcs1.subarray(300, 364) },
    { name: 'PEM body line', bytes: Buffer.from(privateKeyPem.split('\n')[5] ?? 'x') },
  ];
  for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) {
    const raw = Buffer.from(jwk[part] ?? '', 'base64url');
    const slice = raw.subarray(16, 48);
    pats.push({ name: `${part} raw`, bytes: slice });
    pats.push({ name: `${part} hex`, bytes: Buffer.from(slice.toString('hex')) });
    pats.push({ name: `${part} HEX`, bytes: Buffer.from(slice.toString('hex').toUpperCase()) });
    pats.push({ name: `${part} base64`, bytes: Buffer.from(raw.toString('base64').slice(24, 64)) });
    pats.push({ name: `${part} base64url`, bytes: Buffer.from(raw.toString('base64url').slice(24, 64)) });
  }
  return pats;
}

const GENERIC_MARKERS = ['PRIVATE KEY', 'BEGIN RSA', 'BEGIN ENCRYPTED'].map((s) => Buffer.from(s));

/**
 * Every stored request's private key, decrypted through the keychain, then every byte of every
 * file under the store searched for it. Returns the findings ("file: pattern"); [] is clean.
 */
export async function scanForPlaintextKeys(storeDir: string, extraKeys: string[] = []): Promise<string[]> {
  const keys = [...extraKeys];
  if (existsSync(join(storeDir, 'store.json'))) {
    const store = await openStoreWithKeychain(storeDir);
    for (const id of await store.listRequestIds()) keys.push(await store.readPrivateKey(id));
  }
  const patterns = [...GENERIC_MARKERS.map((b) => ({ name: b.toString(), bytes: b })), ...keys.flatMap(secretPatterns)];
  const found: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else {
        const data = await readFile(p);
        for (const pat of patterns) if (data.includes(pat.bytes)) found.push(`${p.slice(storeDir.length + 1)}: ${pat.name}`);
      }
    }
  };
  await walk(storeDir);
  return found;
}

/** The one-line error a failing command prints: `error: ...` or `usage error: ...`, nothing on stdout. */
export function oneLineError(r: CliRun): string {
  const lines = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('dbus-daemon'));
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got: ${JSON.stringify(r.stderr)}`);
  return lines[0] as string;
}
