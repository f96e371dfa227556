#!/usr/bin/env node
// kill -9 at random moments: `export` and `bundle` through the BUILT CLI are SIGKILLed after a random
// delay, RUNS times (default 100), and after each the next command (an export elsewhere) must succeed
// and leave: no unrecorded or altered PFX on the "drive", no hidden temporary file or .partial-*
// folder, every recorded export in place, exactly the recorded exports' passwords in the keychain,
// no open intent, and an audit log whose chain verifies. Needs a real keychain and OpenSSL:
//   npm run build:main && bash scripts/with-keyring.sh node scripts/crash-torture.mjs [RUNS]
// The suite runs the deterministic version (tests/integration/intent-crash.test.ts).
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(REPO, 'bin', 'certdesk.js');
const RUNS = Number(process.argv[2] ?? 100);

// Listed over D-Bus by the suite's lister, which skips entries deleted while it lists
// (tests/helpers/keychain-accounts.cjs says why keytar's findCredentials is not used).
function listAccounts(prefix) {
  return JSON.parse(execFileSync(process.execPath, [join(REPO, 'tests', 'helpers', 'keychain-accounts.cjs'), prefix], { encoding: 'utf8' }));
}

if (!existsSync(join(REPO, 'dist', 'main', 'cli', 'main.js'))) {
  console.error('error: build first: npm run build:main');
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'certdesk-torture-'));
const store = join(work, 'store');
const drive = join(work, 'drive');
mkdirSync(drive);
const passwordFile = join(work, 'password.txt');
writeFileSync(passwordFile, 'Torture-Test-Pfx-Password-2026!\n');

function run(args, { killAfterMs } = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, '--store', store, ...args], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    const timer = killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, ms: Date.now() - started, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

let keychainRetries = 0;
async function must(args) {
  // On a machine loaded enough that the keychain misses its 3.5 s deadline, the command fails cleanly
  // (KEYCHAIN_UNAVAILABLE) and the repair waits for the next lock: retry, and count it.
  for (let attempt = 1; ; attempt++) {
    const r = await run(args);
    if (r.code === 0) return r;
    if (attempt < 4 && /the OS keychain is not available/.test(r.stderr)) {
      keychainRetries++;
      continue;
    }
    throw new Error(`certdesk ${args.join(' ')} failed: ${r.stderr}`);
  }
}

function openssl(args) {
  execFileSync('openssl', args, { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
}

function walk(dir, rel = '') {
  return readdirSync(dir).flatMap((n) => {
    const r = rel ? `${rel}/${n}` : n;
    return statSync(join(dir, n)).isDirectory() ? [`${r}/`, ...walk(join(dir, n), r)] : [r];
  });
}

const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

// An issued request and a two-profile farm.
const made = JSON.parse((await must(['--json', 'request', 'new', '--subject', 'webext.contoso.com', '--san', 'meet.contoso.com'])).stdout);
const id = made.id;
const storeId = JSON.parse(readFileSync(join(store, 'store.json'), 'utf8')).storeId;
writeFileSync(join(work, 'req.csr'), (await must(['request', 'csr', id])).stdout);
writeFileSync(join(work, 'ext.cnf'), 'subjectAltName=DNS:webext.contoso.com,DNS:meet.contoso.com\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n');
openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Torture Root CA', '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
openssl(['x509', '-req', '-in', 'req.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '20', '-extfile', 'ext.cnf']);
writeFileSync(join(work, 'answer.pem'), readFileSync(join(work, 'leaf.pem'), 'utf8') + readFileSync(join(work, 'ca.pem'), 'utf8'));
await must(['import', join(work, 'answer.pem')]);
await must(['farm', 'add', 'edge-rp', '--node', 'rp1.contoso.local:2008r2', '--node', 'rp2.contoso.local:2019']);

async function check(label) {
  const record = JSON.parse(readFileSync(join(store, 'requests', id, 'request.json'), 'utf8'));
  const exports = record.exports ?? [];
  const byPath = new Map(exports.map((e) => [e.path, e]));
  const problems = [];
  const onDrive = walk(drive);
  for (const p of onDrive.filter((x) => x.split('/').some((part) => part.startsWith('.')))) problems.push(`hidden leftover ${p}`);
  for (const p of onDrive.filter((x) => x.endsWith('.pfx'))) {
    const e = byPath.get(join(drive, p));
    if (!e) problems.push(`unrecorded PFX ${p}`);
    else if (sha256(join(drive, p)) !== e.sha256) problems.push(`PFX ${p} differs from its record`);
  }
  for (const e of exports) if (!existsSync(e.path)) problems.push(`recorded export #${e.n} missing at ${e.path}`);
  const accounts = listAccounts(`pfx-password:${storeId}:`);
  const expected = exports.map((e) => `pfx-password:${storeId}:${id}:${e.n}`).sort();
  if (JSON.stringify(accounts) !== JSON.stringify(expected)) problems.push(`keychain ${JSON.stringify(accounts)} != recorded ${JSON.stringify(expected)}`);
  if (existsSync(join(store, '.intents'))) problems.push('an intent is still open');
  const verify = await run(['audit', 'verify']);
  if (verify.code !== 0) problems.push(`audit verify: ${verify.stderr.trim()}`);
  if (problems.length > 0) throw new Error(`${label}:\n  ${problems.join('\n  ')}`);
}

// How long each command takes here, so the kills spread over the whole run.
let n = 0;
const argsFor = (kind) => {
  n++;
  if (kind === 'export') return ['export', id, '--out', join(drive, `x${n}.pfx`), '--password-file', passwordFile];
  const usb = join(drive, `usb${n}`);
  mkdirSync(usb);
  return ['bundle', id, '--farm', 'edge-rp', '--to', usb, '--password-file', passwordFile];
};
const duration = { export: (await must(argsFor('export'))).ms, bundle: (await must(argsFor('bundle'))).ms };
console.log(`export takes ${duration.export} ms, bundle ${duration.bundle} ms here; ${RUNS} runs`);

const tally = { killed: 0, completed: 0, failed: 0, repairs: 0 };
try {
  for (let i = 1; i <= RUNS; i++) {
    const kind = Math.random() < 0.5 ? 'export' : 'bundle';
    // Most kills (60%) land in the last quarter, where the intent, the drive writes and the record are.
    const delay = Math.floor(duration[kind] * (Math.random() < 0.4 ? Math.random() * 1.1 : 0.75 + Math.random() * 0.3));
    const r = await run(argsFor(kind), { killAfterMs: delay });
    if (r.signal === 'SIGKILL') tally.killed++;
    else if (r.code === 0) {
      tally.completed++;
      // The machine's speed drifts (other jobs): follow it, so the kills keep landing inside the run.
      duration[kind] = Math.round(0.6 * duration[kind] + 0.4 * r.ms);
    } else {
      tally.failed++;
      throw new Error(`${kind} failed on its own (not killed): ${r.stderr.trim()}`);
    }
    const next = await must(argsFor('export'));
    tally.repairs += next.stderr.split('\n').filter((l) => l.startsWith('note: an interrupted')).length;
    await check(`run ${i} (${kind} killed after ${delay} ms)`);
    if (i % 10 === 0) console.log(`${i}/${RUNS}: ${tally.killed} killed, ${tally.completed} completed before the kill, ${tally.repairs} repairs, all consistent (export ${duration.export} ms, bundle ${duration.bundle} ms)`);
  }
  console.log(`ok: ${RUNS} runs, ${tally.killed} killed mid-way, ${tally.repairs} repairs by the next command, no leftovers (${keychainRetries} retries after a keychain timeout)`);
} catch (e) {
  console.error(`FAILED: ${e.message}\n(the store and drive are kept in ${work})`);
  process.exit(1);
}
rmSync(work, { recursive: true, force: true });
