/**
 * A farm bundle for a mixed farm (nginx, HAProxy, IIS ARR, TMG and an `other` node) carries each
 * proxy node's configuration in its own folder. Checked with the real tools: sha256sum against the
 * manifest, nginx -t with the bundle's encrypted key and the bundle password, the bundle's own
 * install-haproxy-cert.sh converting the bundle's PFX and running haproxy -c, openssl for the
 * thumbprint. The internal pool is called `localhost` so nginx and HAProxy can resolve it at
 * start-up without an upstream mapping (a bundle's configuration uses the plan's names as they are).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleResult } from '../../../src-main/common/farms.js';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import { writeBundle } from '../../../src-main/services/bundles.js';
import type { ServiceContext } from '../../../src-main/services/context.js';
import { addFarm } from '../../../src-main/services/farms.js';
import { importCertificate } from '../../../src-main/services/import.js';
import { planForRequest } from '../../../src-main/services/plans.js';
import { createRequest, getCsr } from '../../../src-main/services/requests.js';
import { createTestCa, type TestCa } from '../../helpers/openssl-ca.js';
import { PASSWORD } from './farm-fixtures.js';
import { getRequest } from './store-access.js';

const TOPOLOGY = {
  version: 1,
  sipDomains: ['contoso.com'],
  pools: [{ name: 'localhost', externalWebFqdn: 'webext.contoso.com', remoteAccess: true }],
  simpleUrls: { meet: [{ url: 'https://meet.contoso.com', sipDomain: 'contoso.com', active: true }], dialin: 'https://dialin.contoso.com' },
  mobility: { autodiscoverPort: 443 },
  subjectPool: 'localhost',
  strategy: 'shared',
};
const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 86_400_000);
const SUBJECT = 'webext.contoso.com';

let dir: string;
let ctx: ServiceContext;
let secrets: ReturnType<typeof createMemorySecretStore>;
let publicCa: TestCa;
let internalCa: TestCa;
let planned = '';
let plain = '';
let result: BundleResult;

const sh = (cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => spawnSync(cmd, args, { encoding: 'utf8', ...opts });

async function issued(commonName: string, sans: string[], fromTopology?: Parameters<typeof createRequest>[1]['fromTopology']): Promise<string> {
  const created = await createRequest(ctx, { subject: { commonName }, sans, ...(fromTopology ? { fromTopology } : {}) });
  const csr = await getCsr(ctx, created.id, 'base64');
  const leaf = publicCa.sign(typeof csr === 'string' ? csr : new Uint8Array(csr), { sans: [commonName, ...sans] });
  await importCertificate(ctx, [{ name: 'answer.pem', data: new TextEncoder().encode(publicCa.bundle(leaf, { includeRoot: true })) }]);
  return created.id;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'certdesk-bundle-proxy-'));
  secrets = createMemorySecretStore();
  ctx = { storeDir: join(dir, 'store'), secrets, now: () => NOW };
  publicCa = createTestCa('rsa', 'Public');
  internalCa = createTestCa('rsa', 'Contoso Internal');
  const names = planForRequest(TOPOLOGY as never, { kind: 'form', source: 'test' });
  expect(names.commonName).toBe(SUBJECT);
  planned = await issued(names.commonName, names.sans, names.fromTopology);
  plain = await issued('plain.contoso.com', []);
  await addFarm(ctx, {
    name: 'mixed',
    nodes: [
      { host: 'ngx1.contoso.local', windowsVersion: 'other', kind: 'nginx', notes: 'rack 4 \u202ered' },
      { host: 'hap1.contoso.local', windowsVersion: 'other', kind: 'haproxy' },
      { host: 'arr1.contoso.local', windowsVersion: '2019' },
      { host: 'tmg1.contoso.local', windowsVersion: '2008R2' },
      { host: 'f5.contoso.local', windowsVersion: 'other', kind: 'other' },
    ],
    trust: [{ name: 'internal.pem', data: new TextEncoder().encode(internalCa.root.pem + internalCa.intermediate.pem) }],
  });
  const to = join(dir, 'usb');
  mkdirSync(to);
  result = await writeBundle(ctx, { id: planned, farm: 'mixed', toDir: to, password: PASSWORD });
});

afterAll(() => {
  publicCa?.cleanup();
  internalCa?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every file under `root`, as bundle-relative paths with forward slashes. */
function walk(root: string, prefix = ''): string[] {
  return readdirSync(join(root, prefix), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(root, `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

describe('a bundle for a mixed farm', () => {
  it('gives every proxy node a folder with the files its kind needs, and the other node none', () => {
    const byNode = (host: string) =>
      result.files
        .filter((f) => f.kind === 'proxy' && f.node === host)
        .map((f) => [f.path, f.role])
        .sort();
    expect(byNode('ngx1.contoso.local')).toEqual([
      ['node-ngx1.contoso.local/certdesk-webext.contoso.com.conf', 'config'],
      ['node-ngx1.contoso.local/internal-ca.pem', 'trusted-ca'],
      ['node-ngx1.contoso.local/webext.contoso.com.crt', 'certificate'],
      ['node-ngx1.contoso.local/webext.contoso.com.key', 'key'],
    ]);
    expect(byNode('hap1.contoso.local')).toEqual([
      ['node-hap1.contoso.local/haproxy.cfg', 'config'],
      ['node-hap1.contoso.local/install-haproxy-cert.sh', 'script'],
      ['node-hap1.contoso.local/internal-ca.pem', 'trusted-ca'],
      ['node-hap1.contoso.local/webext.contoso.com.pfx', 'pfx'],
    ]);
    expect(byNode('arr1.contoso.local')).toEqual([['node-arr1.contoso.local/Configure-IisArr-webext.contoso.com.ps1', 'script']]);
    expect(byNode('tmg1.contoso.local')).toEqual([
      ['node-tmg1.contoso.local/internal-ca.pem', 'trusted-ca'],
      ['node-tmg1.contoso.local/tmg-checklist-webext.contoso.com.txt', 'checklist'],
      ['node-tmg1.contoso.local/tmg-checklist-webext.contoso.com.zh-TW.txt', 'checklist'],
    ]);
    expect(result.files.some((f) => f.node === 'f5.contoso.local' || f.path.includes('f5.contoso'))).toBe(false);
    expect(readdirSync(result.dir).filter((n) => n.startsWith('node-')).sort()).toEqual(['node-arr1.contoso.local', 'node-hap1.contoso.local', 'node-ngx1.contoso.local', 'node-tmg1.contoso.local']);
    expect(result.proxyConfigMissing).toBeUndefined();
  });

  it('lists every file in manifest.json with a SHA-256 that sha256sum confirms, and nothing unlisted', () => {
    const manifest = JSON.parse(readFileSync(join(result.dir, 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string; node?: string }[]; nodes: { host: string; kind: string }[] };
    expect(manifest.nodes.map((n) => [n.host, n.kind])).toEqual([
      ['ngx1.contoso.local', 'nginx'],
      ['hap1.contoso.local', 'haproxy'],
      ['arr1.contoso.local', 'iis-arr'],
      ['tmg1.contoso.local', 'tmg'],
      ['f5.contoso.local', 'other'],
    ]);
    expect(walk(result.dir).filter((p) => p !== 'manifest.json').sort()).toEqual(manifest.files.map((f) => f.path).sort());
    const sums = manifest.files.map((f) => `${f.sha256}  ${f.path}`).join('\n');
    // sha256sum reads the list from stdin, independent of Certdesk's own hashing.
    const r = spawnSync('sha256sum', ['--strict', '-c', '-'], { cwd: result.dir, input: `${sums}\n`, encoding: 'utf8' });
    expect(r.stdout.match(/: OK$/gm)?.length).toBe(manifest.files.length);
    expect(r.status).toBe(0);
    expect(manifest.files.filter((f) => f.node !== undefined).length).toBe(12);
  });

  it('nginx -t accepts the node configuration with the bundle\'s certificate and encrypted key (the bundle password)', () => {
    const node = join(dir, 'nginx-node');
    cpSync(join(result.dir, 'node-ngx1.contoso.local'), node, { recursive: true });
    mkdirSync(join(node, 'logs'));
    const key = readFileSync(join(node, `${SUBJECT}.key`), 'utf8');
    expect(key).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(key).not.toMatch(/BEGIN (RSA |EC )?PRIVATE KEY/);
    const fp = execFileSync('openssl', ['x509', '-in', join(node, `${SUBJECT}.crt`), '-noout', '-fingerprint', '-sha1'], { encoding: 'utf8' });
    expect(fp.split('=')[1]?.trim().replace(/:/g, '')).toBe(result.thumbprint);
    // The files sit in /etc/nginx/certdesk on a real node; here in a scratch folder instead.
    const confName = `certdesk-${SUBJECT}.conf`;
    const conf = readFileSync(join(node, confName), 'utf8');
    expect(conf).toContain('ssl_password_file /etc/nginx/certdesk/ssl-password.txt;');
    writeFileSync(join(node, confName), conf.replaceAll('/etc/nginx/certdesk', node));
    writeFileSync(join(node, 'ssl-password.txt'), `${PASSWORD}\n`, { mode: 0o600 });
    const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${node}/tmp-${t};`).join('\n');
    const main = join(node, 'nginx.conf');
    writeFileSync(main, `error_log ${node}/logs/error.log;\npid ${node}/nginx.pid;\nevents {}\nhttp {\n${temps}\n  include ${join(node, confName)};\n}\n`);
    const ok = sh('nginx', ['-t', '-p', node, '-e', join(node, 'logs', 'error.log'), '-c', main]);
    expect(ok.stderr).toMatch(/test is successful/);
    expect(ok.status).toBe(0);
    writeFileSync(join(node, 'ssl-password.txt'), 'Not-The-Bundle-Password-1\n');
    expect(sh('nginx', ['-t', '-p', node, '-e', join(node, 'logs', 'error.log'), '-c', main]).status).not.toBe(0);
  });

  it("the bundle's install-haproxy-cert.sh converts the bundle's PFX with the bundle password, and haproxy -c passes", () => {
    const node = join(dir, 'haproxy-node');
    cpSync(join(result.dir, 'node-hap1.contoso.local'), node, { recursive: true });
    for (const name of ['haproxy.cfg', 'install-haproxy-cert.sh']) writeFileSync(join(node, name), readFileSync(join(node, name), 'utf8').replaceAll('/etc/haproxy/certdesk', node));
    writeFileSync(join(node, 'pw.txt'), `${PASSWORD}\n`, { mode: 0o600 });
    const env = { ...process.env, HAPROXY_CFG: join(node, 'haproxy.cfg'), PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` };
    const r = sh('sh', [join(node, 'install-haproxy-cert.sh'), join(node, 'pw.txt')], { cwd: node, env });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`installed ${node}/${SUBJECT}.pem`);
    expect(statSync(join(node, `${SUBJECT}.pem`)).mode & 0o777).toBe(0o600);
    const check = sh('haproxy', ['-c', '-f', join(node, 'haproxy.cfg')]);
    expect(`${check.stdout}${check.stderr}`).toMatch(/Configuration file is valid/);
    const fp = execFileSync('openssl', ['x509', '-in', join(node, `${SUBJECT}.pem`), '-noout', '-fingerprint', '-sha1'], { encoding: 'utf8' });
    expect(fp.split('=')[1]?.trim().replace(/:/g, '')).toBe(result.thumbprint);
    // A wrong password installs nothing.
    rmSync(join(node, `${SUBJECT}.pem`));
    writeFileSync(join(node, 'pw.txt'), 'Not-The-Bundle-Password-1\n');
    const bad = sh('sh', [join(node, 'install-haproxy-cert.sh'), join(node, 'pw.txt')], { cwd: node, env });
    expect(bad.status).toBe(1);
    expect(readdirSync(node).some((n) => n.endsWith('.pem') && n !== 'internal-ca.pem')).toBe(false);
  });

  it('the Windows kinds name the PFX their node imports; the TMG checklist comes in both languages', () => {
    const arr = readFileSync(join(result.dir, 'node-arr1.contoso.local', `Configure-IisArr-${SUBJECT}.ps1`), 'utf8');
    expect(arr.startsWith('\uFEFF')).toBe(true);
    expect(arr).toContain(`import ${SUBJECT}-modern.pfx first`);
    expect(arr).toContain(result.thumbprint);
    const en = readFileSync(join(result.dir, 'node-tmg1.contoso.local', `tmg-checklist-${SUBJECT}.txt`), 'utf8');
    const zh = readFileSync(join(result.dir, 'node-tmg1.contoso.local', `tmg-checklist-${SUBJECT}.zh-TW.txt`), 'utf8');
    expect(en).toContain(`${SUBJECT}-legacy.pfx`);
    expect(zh).toContain(`${SUBJECT}-legacy.pfx`);
    expect(zh).toMatch(/匯入/);
    expect(en).toContain('\r\n');
  });

  it('README.txt describes each node folder and its steps, with untrusted text escaped', () => {
    const readme = readFileSync(join(result.dir, 'README.txt'), 'utf8');
    expect(readme).toContain('node-ngx1.contoso.local/  reverse-proxy configuration for ngx1.contoso.local (nginx)');
    expect(readme).toContain('Node ngx1.contoso.local (nginx)');
    expect(readme).toContain('/etc/nginx/certdesk/ssl-password.txt');
    expect(readme).toContain(`include /etc/nginx/certdesk/certdesk-${SUBJECT}.conf`.replace('include ', 'Include '));
    expect(readme).toContain('sh /etc/haproxy/certdesk/install-haproxy-cert.sh [PASSWORD_FILE]');
    expect(readme).toContain(`node-arr1.contoso.local\\Configure-IisArr-${SUBJECT}.ps1`);
    expect(readme).toContain(`tmg-checklist-${SUBJECT}.zh-TW.txt`);
    expect(readme).toMatch(/Node f5\.contoso\.local \(other or unknown OS\)/);
    expect(readme).not.toMatch(/node-f5/);
    expect(readme).not.toMatch(/\u202e/);
    expect(readme).toContain('rack 4 ');
    expect(readme).not.toContain(PASSWORD);
  });

  it('records the nodes\' key files as exports under the bundle password, and keeps the password off the drive', async () => {
    const rec = await getRequest(ctx, planned);
    const proxyExports = (rec.exports ?? []).filter((e) => e.proxyKind !== undefined);
    expect(proxyExports.map((e) => [e.proxyKind, e.format, e.path.slice(result.dir.length + 1)])).toEqual([
      ['nginx', 'pkcs8-pem', join('node-ngx1.contoso.local', `${SUBJECT}.key`)],
      ['haproxy', 'pfx', join('node-hap1.contoso.local', `${SUBJECT}.pfx`)],
    ]);
    // One keychain item per export entry, all holding the bundle password (the store key is the other item).
    expect([...secrets.entries.values()].filter((v) => v === PASSWORD).length).toBe((rec.exports ?? []).length);
    for (const p of walk(result.dir)) expect(readFileSync(join(result.dir, p)).includes(PASSWORD)).toBe(false);
  });
});

describe('a bundle of a request not made from a plan', () => {
  it('carries no node folders and says why, in the result and in README.txt', async () => {
    const to = join(dir, 'usb-plain');
    mkdirSync(to);
    const r = await writeBundle(ctx, { id: plain, farm: 'mixed', toDir: to, password: PASSWORD });
    expect(r.files.filter((f) => f.kind === 'proxy')).toEqual([]);
    expect(r.proxyConfigMissing).toMatch(/was not made from a plan/);
    expect(readdirSync(r.dir).some((n) => n.startsWith('node-'))).toBe(false);
    const readme = readFileSync(join(r.dir, 'README.txt'), 'utf8');
    expect(readme).toContain('Reverse-proxy configuration: none in this bundle');
    expect(readme).toContain('Node ngx1.contoso.local (nginx)');
  });
});
