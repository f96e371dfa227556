/**
 * Interop: the configuration `certdesk proxy-config` writes runs in Debian's real nginx and HAProxy
 * on loopback (foreground processes with their own prefix, pid and logs; no system service), in
 * front of fake Lync back ends on 127.0.0.2-4 (internal ports 4443, 8080, 443) whose certificates
 * come from a test internal CA. The proxy serves the certificate of a real request (exported by the
 * command itself), on 127.0.0.1:443 and :80 as in the plan. For every published name, curl (trusting
 * only the public test root) gets a verified session with that certificate (thumbprint compared by
 * openssl) and the right back end with the original Host; port 80 reaches the 8080 back end; a name
 * outside the plan is refused; a back end with an untrusted certificate is refused by the proxy.
 * Needs root for ports 443 and 80: elsewhere, or when they are taken, it skips and says why.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanResult } from '../../src-main/common/plan.js';
import type { ProxyConfigResult } from '../../src-main/common/proxy.js';
import { createTestCa, type TestCa } from '../helpers/openssl-ca.js';
import { REPO, requireBuiltCli, runCli, text } from '../integration/cli-requests-helpers.js';
import { cliJson, importAnswer, newRequest, tempDir } from './pfx-helpers.js';
import { type BackendAnswer, type BackendSpec, issueServerCert, portProblem, startBackends, stopBackends, waitForListener } from './proxy-backends.js';

const PLAN = join(REPO, 'examples', 'contoso.json');
const UPSTREAMS: Record<string, string> = { pool01: '127.0.0.2', dir01: '127.0.0.3', 'officewebapps01.contoso.com': '127.0.0.4' };
const BACKENDS: BackendSpec[] = [
  { name: 'pool01', address: '127.0.0.2', port: 4443, https: true },
  { name: 'pool01', address: '127.0.0.2', port: 8080, https: false },
  { name: 'dir01', address: '127.0.0.3', port: 4443, https: true },
  { name: 'dir01', address: '127.0.0.3', port: 8080, https: false },
  { name: 'officewebapps01.contoso.com', address: '127.0.0.4', port: 443, https: true },
  // The impostor: a "pool01" whose certificate comes from a CA the proxy does not trust.
  { name: 'pool01', address: '127.0.0.5', port: 4443, https: true },
];

let why: string | null = null;
let work = '';
let store = '';
let publicCa: TestCa;
let internalCa: TestCa;
let rogueCa: TestCa;
let plan: PlanResult;
let requestId = '';
let thumbprint = '';
let backends: Server[] = [];

beforeAll(async () => {
  if (process.getuid?.() !== 0) why = 'not root: the proxies must listen on 127.0.0.1:443 and :80 as in the plan';
  for (const port of [443, 80]) why ??= await portProblem('127.0.0.1', port);
  for (const b of BACKENDS) why ??= await portProblem(b.address, b.port);
  if (why !== null) {
    console.warn(`SKIPPED the real-proxy tests: ${why}`);
    return;
  }
  requireBuiltCli();
  work = tempDir('certdesk-proxy-');
  store = join(work, 'store');
  publicCa = createTestCa('rsa', 'Public');
  internalCa = createTestCa('rsa', 'Internal');
  rogueCa = createTestCa('rsa', 'Rogue');
  plan = await cliJson<PlanResult>(store, ['plan', PLAN]);
  const first = plan.plans[0];
  if (!first) throw new Error('the Contoso plan has no certificate');
  const sans = first.sans.map((s) => s.name);
  const { record, csr } = await newRequest(store, first.subject, sans.slice(1));
  const answer = join(work, 'answer.p7b');
  writeFileSync(answer, publicCa.p7b(publicCa.sign(csr, { sans }), { format: 'der' }));
  await importAnswer(store, [answer]);
  requestId = record.id;
  const certs = new Map<string, { key: string; cert: string }>();
  for (const name of ['pool01', 'dir01', 'officewebapps01.contoso.com']) certs.set(name, issueServerCert(internalCa, name));
  backends = await startBackends(BACKENDS.slice(0, 5), certs);
  backends.push(...(await startBackends(BACKENDS.slice(5), new Map([['pool01', issueServerCert(rogueCa, 'pool01')]]))));
});

afterAll(async () => {
  await stopBackends(backends);
  for (const ca of [publicCa, internalCa, rogueCa]) ca?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** `certdesk proxy-config` into a fresh folder, which is also the install folder. */
async function generate(kind: 'nginx' | 'haproxy', label: string, upstreams: Record<string, string>): Promise<{ dir: string; result: ProxyConfigResult; passwordFile: string }> {
  const dir = join(work, `${kind}-${label}`);
  const args = ['proxy-config', '--plan', PLAN, '--kind', kind, '--request', requestId, '--out', dir, '--install-dir', dir, '--listen', '127.0.0.1', '--trust', internalCa.root.certPath];
  for (const [name, addr] of Object.entries(upstreams)) args.push('--upstream', `${name}=${addr}`);
  const result = await cliJson<ProxyConfigResult>(store, args);
  const password = text(await runCli(store, ['password', requestId, '--export', String(result.passwordExport)]));
  const passwordFile = join(dir, 'ssl-password.txt');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  return { dir, result, passwordFile };
}

interface Proxy {
  child: ChildProcess;
  log: string;
}

function alive(p: Proxy): () => string | null {
  return () => (p.child.exitCode !== null ? `the proxy exited: ${readFileSync(p.log, 'utf8').slice(-2000)}` : null);
}

async function stop(p: Proxy | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null) return;
  const gone = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  await gone;
}

async function startNginx(dir: string, confName: string): Promise<Proxy> {
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const log = join(dir, 'logs', 'error.log');
  writeFileSync(log, '');
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/tmp-${t};`).join('\n');
  const main = join(dir, 'nginx.conf');
  writeFileSync(main, `worker_processes 1;\nerror_log ${log} warn;\npid ${dir}/nginx.pid;\nevents { worker_connections 64; }\nhttp {\n  access_log off;\n${temps}\n  include ${join(dir, confName)};\n}\n`);
  const child = spawn('nginx', ['-p', dir, '-e', log, '-c', main, '-g', 'daemon off;'], { stdio: 'ignore' });
  const p = { child, log };
  await waitForListener('127.0.0.1', 443, alive(p));
  await waitForListener('127.0.0.1', 80, alive(p));
  return p;
}

async function startHaproxy(dir: string): Promise<Proxy> {
  const log = join(dir, 'haproxy.log');
  const cfg = join(dir, 'haproxy.cfg');
  const child = spawn('sh', ['-c', `exec haproxy -db -f "$1" >"$2" 2>&1`, 'sh', cfg, log], { stdio: 'ignore' });
  const p = { child, log };
  await waitForListener('127.0.0.1', 443, alive(p));
  await waitForListener('127.0.0.1', 80, alive(p));
  return p;
}

/** Runs a tool without blocking: the back ends answer from this very process. */
function run(cmd: string, args: string[], input = ''): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function curl(url: string, host: string, port: number, extra: string[] = []): Promise<{ status: number | null; body: string; err: string }> {
  const r = await run('curl', ['-sS', '--max-time', '10', '--cacert', publicCa.root.certPath, '--resolve', `${host}:${port}:127.0.0.1`, ...extra, url]);
  return { status: r.status, body: r.stdout, err: r.stderr };
}

/** The SHA-1 fingerprint of the certificate the proxy presents for `name`, as openssl computes it. */
async function servedThumbprint(name: string): Promise<string> {
  const s = await run('openssl', ['s_client', '-connect', '127.0.0.1:443', '-servername', name]);
  const x = await run('openssl', ['x509', '-noout', '-fingerprint', '-sha1'], s.stdout);
  return x.stdout.replace(/^.*=/, '').replace(/[:\s]/g, '').toUpperCase();
}

/** What every proxy must do, for every rule of the plan. */
async function checkPublishing(kind: string): Promise<void> {
  const https = plan.publishingRules.filter((r) => r.protocol === 'https');
  const http = plan.publishingRules.filter((r) => r.protocol === 'http');
  expect(https.length).toBe(6);
  expect(http.length).toBe(5);
  for (const r of https) {
    const res = await curl(`https://${r.externalName}/ucwa`, r.externalName, 443);
    expect(res.err, `${kind} ${r.text}`).toBe('');
    expect(res.status).toBe(0);
    expect(JSON.parse(res.body) as BackendAnswer).toEqual({ backend: `${r.internalTarget}:${r.internalPort}`, host: r.externalName });
    expect(await servedThumbprint(r.externalName), r.externalName).toBe(thumbprint);
  }
  for (const r of http) {
    const res = await curl(`http://${r.externalName}/`, r.externalName, 80);
    expect(res.status, `${kind} ${r.text}`).toBe(0);
    expect(JSON.parse(res.body) as BackendAnswer).toEqual({ backend: `${r.internalTarget}:8080`, host: r.externalName });
  }
  // A name outside the plan: refused in the TLS handshake (it is not on the certificate, and the
  // proxy has no certificate for it) and not forwarded over HTTP.
  const tls = await curl('https://owa.contoso.com/', 'owa.contoso.com', 443);
  expect(tls.status, `${kind}: ${tls.err}`).not.toBe(0);
  expect(tls.body).toBe('');
  const plain = await curl('http://intranet.contoso.com/', 'intranet.contoso.com', 80);
  expect(plain.body).not.toMatch(/backend/);
}

/** The impostor back end (certificate from a CA the proxy does not trust) gets no request. */
async function checkImpostorRefused(kind: string): Promise<void> {
  const res = await curl('https://webext.contoso.com/', 'webext.contoso.com', 443);
  expect(res.status, `${kind}: ${res.err}`).toBe(0);
  expect(res.body).not.toMatch(/backend/);
  expect((await curl('https://webext.contoso.com/', 'webext.contoso.com', 443, ['-o', '/dev/null', '-w', '%{http_code}'])).body).toMatch(/^50[23]$/);
}

describe('nginx runs the generated configuration', () => {
  let proxy: Proxy | undefined;
  afterAll(() => stop(proxy));

  it('serves every published name with the exported certificate, forwards to the right back end with the original Host, refuses other names', async (t) => {
    if (why !== null) return t.skip(why);
    const { dir, result } = await generate('nginx', 'main', UPSTREAMS);
    thumbprint = result.thumbprint ?? '';
    expect(result.files.map((f) => f.name).sort()).toEqual(['certdesk-webext.contoso.com.conf', 'internal-ca.pem', 'webext.contoso.com.crt', 'webext.contoso.com.key'].sort());
    // Never a plaintext key on the drive: the key is an encrypted PKCS#8 PEM, mode 0600, and openssl opens it with the password.
    const keyPath = join(dir, 'webext.contoso.com.key');
    expect(readFileSync(keyPath, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    expect(spawnSync('openssl', ['pkey', '-in', keyPath, '-passin', `file:${join(dir, 'ssl-password.txt')}`, '-noout'], { encoding: 'utf8' }).status).toBe(0);
    expect(spawnSync('openssl', ['pkey', '-in', keyPath, '-passin', 'pass:', '-noout'], { encoding: 'utf8' }).status).not.toBe(0);
    proxy = await startNginx(dir, result.fileName);
    await checkPublishing('nginx');
  });

  it('refuses a back end whose certificate the internal CA did not issue', async (t) => {
    if (why !== null) return t.skip(why);
    await stop(proxy);
    const { dir, result } = await generate('nginx', 'impostor', { ...UPSTREAMS, pool01: '127.0.0.5' });
    proxy = await startNginx(dir, result.fileName);
    await checkImpostorRefused('nginx');
    expect(readFileSync(join(dir, 'logs', 'error.log'), 'utf8')).toMatch(/upstream SSL certificate verify error/);
  });
});

describe('HAProxy runs the generated configuration', () => {
  let proxy: Proxy | undefined;
  afterAll(() => stop(proxy));

  it('install-haproxy-cert.sh makes the PEM from the PFX (password from a file), then HAProxy publishes every name', async (t) => {
    if (why !== null) return t.skip(why);
    const { dir, result, passwordFile } = await generate('haproxy', 'main', UPSTREAMS);
    expect(result.files.map((f) => f.name).sort()).toEqual(['haproxy.cfg', 'install-haproxy-cert.sh', 'internal-ca.pem', 'webext.contoso.com.pfx'].sort());
    const script = spawnSync('sh', [join(dir, 'install-haproxy-cert.sh'), passwordFile], { encoding: 'utf8', env: { ...process.env, HAPROXY_CFG: join(dir, 'haproxy.cfg') } });
    expect(script.status, script.stderr).toBe(0);
    expect(script.stdout).toMatch(/HAProxy is not running as a service: not reloaded/);
    const pem = join(dir, 'webext.contoso.com.pem');
    expect(statSync(pem).mode & 0o777).toBe(0o600);
    proxy = await startHaproxy(dir);
    await checkPublishing('haproxy');
  });

  it('the install script refuses a wrong password and leaves the installed PEM alone', (t) => {
    if (why !== null) return t.skip(why);
    const dir = join(work, 'haproxy-main');
    const before = readFileSync(join(dir, 'webext.contoso.com.pem'));
    const wrong = join(work, 'wrong-password.txt');
    writeFileSync(wrong, 'not-the-password-123\n');
    const r = spawnSync('sh', [join(dir, 'install-haproxy-cert.sh'), wrong], { encoding: 'utf8', env: { ...process.env, HAPROXY_CFG: join(dir, 'haproxy.cfg') } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/wrong password/);
    expect(readFileSync(join(dir, 'webext.contoso.com.pem')).equals(before)).toBe(true);
  });

  it('refuses a back end whose certificate the internal CA did not issue', async (t) => {
    if (why !== null) return t.skip(why);
    await stop(proxy);
    const { dir, passwordFile } = await generate('haproxy', 'impostor', { ...UPSTREAMS, pool01: '127.0.0.5' });
    const script = spawnSync('sh', [join(dir, 'install-haproxy-cert.sh'), passwordFile], { encoding: 'utf8', env: { ...process.env, HAPROXY_CFG: join(dir, 'haproxy.cfg') } });
    expect(script.status).toBe(0);
    proxy = await startHaproxy(dir);
    await checkImpostorRefused('haproxy');
  });
});
