/**
 * The farm rollout through the BUILT `certdesk` CLI with a real keychain (scripts/with-keyring.sh):
 * farm add/list/show, bundle (round trip, verified on disk, OpenSSL reads both PFX files with the
 * password from `certdesk password`), deploy, deployments, expiry, and every refusal as one line
 * with the store left byte-for-byte unchanged.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleResult, Deployment, ExpiryEntry, Farm, NodeDeploymentView } from '../../src-main/common/farms.js';
import type { RequestRecord } from '../../src-main/common/requests.js';
import { type TestCa, createTestCa } from '../helpers/openssl-ca.js';
import { cliJson, importAnswer, newRequest, tempDir } from '../interop/pfx-helpers.js';
import { oneLineError, requireBuiltCli, runCli, text, treeListing } from './cli-requests-helpers.js';

let publicCa: TestCa;
let internalCa: TestCa;
let work: string;
let store: string;
let record: RequestRecord;
let usb: string;
let bundle: BundleResult;

beforeAll(async () => {
  requireBuiltCli();
  publicCa = createTestCa('rsa', 'Public');
  internalCa = createTestCa('rsa', 'Contoso Internal');
  work = tempDir('certdesk-bundle-cli-');
  store = join(work, 'store');
  usb = join(work, 'usb');
  mkdirSync(usb);
  ({ record } = await newRequest(store, 'webext.contoso.com', ['meet.contoso.com']));
  const csr = text(await runCli(store, ['request', 'csr', record.id]));
  const leaf = publicCa.sign(csr, { sans: ['webext.contoso.com', 'meet.contoso.com'] });
  writeFileSync(join(work, 'answer.pem'), publicCa.bundle(leaf, { includeRoot: true }));
  await importAnswer(store, [join(work, 'answer.pem')]);
  writeFileSync(join(work, 'internal.pem'), internalCa.root.pem + internalCa.intermediate.pem);
});
afterAll(() => {
  publicCa?.cleanup();
  internalCa?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs a command that must fail with one line on stderr, nothing on stdout, and the store unchanged. */
async function failsLeavingStoreUnchanged(args: string[], code: 1 | 2): Promise<string> {
  const before = await treeListing(store);
  const r = await runCli(store, args, {}, work);
  expect(r.code, r.stderr).toBe(code);
  expect(r.stdout.length).toBe(0);
  const line = oneLineError(r);
  expect(line).toMatch(code === 2 ? /^usage error: / : /^error: /);
  expect(await treeListing(store)).toEqual(before);
  return line;
}

describe('certdesk farm', () => {
  it('adds a farm with nodes, Windows versions, notes and the internal CA', async () => {
    const farm = await cliJson<Farm>(store, ['farm', 'add', 'edge-rp', '--node', 'RP1.contoso.local:2008r2:TMG 2010 array', '--node', 'rp2.contoso.local:2019', '--trust', 'internal.pem'], work);
    expect(farm.nodes).toEqual([
      // No KIND given: the proxy kind follows the OS (TMG on 2008 R2, IIS ARR on later Windows).
      { host: 'rp1.contoso.local', windowsVersion: '2008R2', notes: 'TMG 2010 array', kind: 'tmg' },
      { host: 'rp2.contoso.local', windowsVersion: '2019', notes: '', kind: 'iis-arr' },
    ]);
    expect(farm.trustedCas.map((c) => c.role)).toEqual(['root', 'intermediate']);
    // --trust also stored them with the CA certificates.
    const cas = await cliJson<{ sha256: string }[]>(store, ['ca', 'list']);
    for (const c of farm.trustedCas) expect(cas.map((x) => x.sha256)).toContain(c.sha256);
  });

  it('lists farms and shows one with its nodes and profiles', async () => {
    expect(text(await runCli(store, ['farm', 'list']))).toMatch(/^edge-rp\s+2\s+legacy\+modern\s+2\s+0$/m);
    const shown = text(await runCli(store, ['farm', 'show', 'edge-rp']));
    expect(shown).toMatch(/rp1\.contoso\.local\s+Windows Server 2008 R2\s+legacy\s+TMG 2010 array/);
    expect(shown).toMatch(/rp2\.contoso\.local\s+Windows Server 2019\s+modern/);
  });

  it.each([
    [['farm', 'add', 'edge-rp', '--node', 'x.contoso.local'], 1, /^error: a farm "edge-rp" already exists$/],
    [['farm', 'add', 'f/1', '--node', 'x.contoso.local'], 1, /not a valid farm name/],
    [['farm', 'add', 'f1', '--node', 'x.contoso.local:2003'], 1, /"2003" is not a Windows version; use one of 2008R2, 2012, 2012R2, 2016, 2019, 2022, 2025, other$/],
    [['farm', 'add', 'f1', '--node', 'bad_host.contoso.local'], 1, /not a valid host name/],
    [['farm', 'add', 'f1', '--node', 'x.contoso.local', '--trust', 'missing.pem'], 1, /^error: cannot read \/.*\/missing\.pem: no such file$/],
    [['farm', 'add', 'f1', '--node', 'x.contoso.local', '--trust', 'answer.pem'], 1, /is not a CA certificate/],
    [['farm', 'add', 'f1'], 2, /needs at least one --node/],
    [['farm', 'add', 'f1', '--node', 'rp01.dmz1.contoso.com', '--node', 'rp01.dmz2.contoso.com'], 1, /^error: nodes rp01\.dmz1\.contoso\.com and rp01\.dmz2\.contoso\.com would both be "RP01" on Windows/],
    [['farm', 'add', 'f1', '--node', 'reverseproxy-node01.contoso.com', '--node', 'reverseproxy-node02.contoso.com'], 1, /would both be "REVERSEPROXY-NO" on Windows \(the computer name is the first label, at most 15 characters\)/],
    [['farm', 'show', 'nope'], 1, /^error: no farm "nope"/],
  ] as const)('refuses %j in one line and leaves the store unchanged', async (args, code, message) => {
    expect(await failsLeavingStoreUnchanged([...args], code)).toMatch(message);
  });
});

describe('certdesk bundle', () => {
  it.each([
    [['bundle', 'ID', '--farm', 'nope', '--to', 'usb', '--generate-password'], 1, /^error: no farm "nope"/],
    [['bundle', 'ID', '--farm', 'edge-rp', '--to', 'no-such-folder', '--generate-password'], 1, /^error: the folder .*no-such-folder does not exist/],
    [['bundle', 'ID', '--farm', 'edge-rp', '--to', 'usb', '--password-file', 'weak.txt'], 1, /^error: the password is too short/],
    [['bundle', 'ID', '--farm', 'edge-rp', '--to', 'usb', '--password-file', 'weak.txt', '--generate-password'], 2, /not both/],
    [['bundle', 'ID', '--to', 'usb'], 2, /--farm NAME is required/],
    [['bundle', 'ID', '--farm', 'edge-rp'], 2, /--to DIR is required/],
  ] as const)('refuses %j in one line, writes nothing and leaves the store unchanged', async (args, code, message) => {
    writeFileSync(join(work, 'weak.txt'), 'short\n');
    expect(await failsLeavingStoreUnchanged(args.map((a) => (a === 'ID' ? record.id : a)), code)).toMatch(message);
    expect(readdirSync(usb)).toEqual([]);
  });

  it('refuses a request that has no certificate yet', async () => {
    const { record: pending } = await newRequest(store, 'pending.contoso.com', []);
    expect(await failsLeavingStoreUnchanged(['bundle', pending.id, '--farm', 'edge-rp', '--to', 'usb', '--generate-password'], 1)).toMatch(/has no certificate yet/);
  });

  it('writes a verified bundle and reports files with their SHA-256, profiles and verified', async () => {
    bundle = await cliJson<BundleResult>(store, ['bundle', record.id, '--farm', 'edge-rp', '--to', 'usb', '--generate-password', '--include-public-root'], work);
    expect(bundle).toMatchObject({ requestId: record.id, farm: 'edge-rp', profiles: ['legacy', 'modern'], verified: true, passwordGenerated: true });
    expect(readdirSync(usb)).toEqual([bundle.dir.slice(usb.length + 1)]);
    expect(bundle.dir).toMatch(/\/Certdesk-webext\.contoso\.com-\d{8}-\d{4}$/);
    for (const f of bundle.files) expect(createHash('sha256').update(readFileSync(join(bundle.dir, f.path))).digest('hex'), f.path).toBe(f.sha256);
    const manifest = JSON.parse(readFileSync(join(bundle.dir, 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string }[] };
    for (const f of manifest.files) expect(bundle.files.find((x) => x.path === f.path)?.sha256).toBe(f.sha256);
  });

  it('keeps the password in the keychain, not on the drive, and both PFX files open with it in OpenSSL', async () => {
    const pw = await runCli(store, ['password', record.id, '--export', String(bundle.passwordExport)]);
    expect(pw.code).toBe(0);
    const password = text(pw).trim();
    expect(password.length).toBeGreaterThanOrEqual(20);
    const pwFile = join(work, 'bundle.pw');
    writeFileSync(pwFile, password);
    for (const f of bundle.files) expect(readFileSync(join(bundle.dir, f.path)).includes(Buffer.from(password)), f.path).toBe(false);
    for (const f of bundle.files.filter((x) => x.kind === 'pfx')) {
      const r = spawnSync('openssl', ['pkcs12', '-info', '-in', join(bundle.dir, f.path), '-passin', `file:${pwFile}`, '-noout'], { encoding: 'utf8' });
      expect(r.status, `${f.path}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toContain(f.profile === 'legacy' ? 'pbeWithSHA1And3-KeyTripleDES-CBC' : 'AES-256-CBC');
    }
  });

  it('records the export in the history and the audit log, and links the farm', async () => {
    const shown = await cliJson<{ record: RequestRecord }>(store, ['request', 'show', record.id]);
    expect(shown.record.status).toBe('exported');
    expect(shown.record.history.map((h) => h.event)).toContain('bundle-written');
    const audit = readFileSync(join(store, 'audit.log'), 'utf8');
    expect(audit).toContain('"event":"bundle-written"');
    expect(text(await runCli(store, ['farm', 'list']))).toMatch(/^edge-rp\s+2\s+legacy\+modern\s+2\s+1$/m);
  });
});

describe('certdesk deploy, deployments and expiry', () => {
  it('records a deployment, then a verified one, shown per request and per farm', async () => {
    const d = await cliJson<Deployment>(store, ['deploy', record.id, '--node', 'rp1.contoso.local', '--operator', 'alice']);
    expect(d).toMatchObject({ host: 'rp1.contoso.local', state: 'deployed', operator: 'alice', thumbprint: bundle.thumbprint });
    const spaced = (bundle.thumbprint.toLowerCase().match(/.{4}/g) ?? []).join(' ');
    const v = await cliJson<Deployment>(store, ['deploy', record.id, '--node', 'rp2.contoso.local', '--verified-thumbprint', spaced]);
    expect(v.state).toBe('verified');
    const views = await cliJson<NodeDeploymentView[]>(store, ['deployments', record.id]);
    expect(views.map((x) => [x.host, x.state])).toEqual([
      ['rp1.contoso.local', 'deployed'],
      ['rp2.contoso.local', 'verified'],
    ]);
    const shown = text(await runCli(store, ['farm', 'show', 'edge-rp']));
    expect(shown).toMatch(/rp1\.contoso\.local\s+deployed \d{4}-\d{2}-\d{2} by alice/);
    expect(shown).toMatch(/rp2\.contoso\.local\s+verified \d{4}-\d{2}-\d{2}/);
  });

  it.each([
    [['deploy', 'ID', '--node', 'rp1.contoso.local', '--verified-thumbprint', 'AB'.repeat(20)], 1, /is not the certificate of request/],
    [['deploy', 'ID', '--node', 'rp1.contoso.local', '--verified-thumbprint', 'xyz'], 1, /40 hexadecimal digits/],
    [['deploy', 'ID', '--node', 'rp9.contoso.local'], 1, /no farm has a node rp9\.contoso\.local/],
    [['deploy', 'ID', '--node', 'rp1.contoso.local', '--farm', 'nope'], 1, /no farm "nope"/],
    [['deploy', 'ID'], 2, /needs --node HOST/],
    [['expiry', '--within', 'soon'], 1, /whole number of days/],
  ] as const)('refuses %j in one line and leaves the store unchanged', async (args, code, message) => {
    expect(await failsLeavingStoreUnchanged(args.map((a) => (a === 'ID' ? record.id : a)), code)).toMatch(message);
  });

  it('lists issued certificates by days left with their farms', async () => {
    const all = await cliJson<ExpiryEntry[]>(store, ['expiry']);
    expect(all.map((e) => [e.requestId, e.farms])).toEqual([[record.id, ['edge-rp']]]);
    expect(all[0]?.daysLeft).toBeGreaterThanOrEqual(88);
    expect(await cliJson<ExpiryEntry[]>(store, ['expiry', '--within', '30'])).toEqual([]);
    expect(text(await runCli(store, ['expiry', '--within', '30']))).toBe('No certificate expires within 30 days.\n');
    expect(text(await runCli(store, ['expiry']))).toMatch(/^DAYS LEFT\s+EXPIRES \(UTC\)\s+SUBJECT/);
  });
});

describe('certdesk drives', () => {
  it('lists removable drives (none on this machine) as JSON and as text', async () => {
    expect(await cliJson<unknown[]>(store, ['drives'])).toEqual([]);
    expect(text(await runCli(store, ['drives']))).toMatch(/^No removable, writable drive is mounted/);
  });
});
