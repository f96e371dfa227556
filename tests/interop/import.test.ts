/**
 * Interop: CA answers made by a real OpenSSL CA (RSA root + intermediate, and ECDSA root +
 * intermediate) to CSRs Certdesk made, imported through the CLI as DER .cer, PEM bundle and DER/PEM
 * .p7b. Bad inputs each give one clear error and leave the store byte-for-byte unchanged.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaCertificateInfo } from '../../src-main/common/certificates.js';
import type { RequestRecord } from '../../src-main/common/requests.js';
import { oneLineError, requireBuiltCli, runCli, text, treeListing } from '../integration/cli-requests-helpers.js';
import { type TestCa, createTestCa } from '../helpers/openssl-ca.js';
import { cliJson, importAnswer, newRequest, openssl, tempDir } from './pfx-helpers.js';

const NAMES = ['meet.contoso.com', 'dialin.contoso.com', 'lyncdiscover.contoso.com'];
const ALL = ['webext.contoso.com', ...NAMES];
let rsa: TestCa;
let ecdsa: TestCa;
let work: string;
let store: string;

beforeAll(() => {
  requireBuiltCli();
  rsa = createTestCa('rsa');
  ecdsa = createTestCa('ecdsa');
  work = tempDir('certdesk-import-interop-');
  store = join(work, 'store');
});
afterAll(() => {
  rsa?.cleanup();
  ecdsa?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

function put(name: string, data: string | Uint8Array): string {
  const p = join(work, name);
  writeFileSync(p, data);
  return p;
}

describe('certdesk import with answers from a real OpenSSL CA', () => {
  it('imports a DER .cer whose ECDSA chain was imported first with `ca import`', async () => {
    const added = await cliJson<{ added: CaCertificateInfo[] }>(store, ['ca', 'import', ecdsa.root.certPath, ecdsa.intermediate.certPath]);
    expect(added.added.map((c) => c.root)).toEqual([true, false]);
    const { record, csr } = await newRequest(store, 'webext.contoso.com', NAMES);
    const leaf = ecdsa.sign(csr, { sans: ALL });
    const result = await importAnswer(store, [put('answer.cer', leaf.der)]);
    expect(result).toMatchObject({ requestId: record.id, status: 'issued', alreadyImported: false });
    expect(result.report).toMatchObject({ keyMatches: true, sansMissing: [], sansExtra: [], chainComplete: true, extendedKeyUsage: ['serverAuth', 'clientAuth'] });
    expect(result.report.chain.map((c) => [c.role, c.source, c.keyAlgorithm])).toEqual([
      ['leaf', 'answer', 'RSA 2048'],
      ['intermediate', 'ca-store', 'EC P-256'],
      ['root', 'ca-store', 'EC P-384'],
    ]);
    const thumb = execFileSync('openssl', ['x509', '-in', leaf.path, '-noout', '-fingerprint', '-sha1'], { encoding: 'utf8' });
    expect(thumb.trim().split('=')[1]?.replace(/:/g, '')).toBe(result.certificate.thumbprint);
    const serial = execFileSync('openssl', ['x509', '-in', leaf.path, '-noout', '-serial'], { encoding: 'utf8' });
    expect(serial.trim().split('=')[1]?.replace(/^0+/, '')).toBe(result.certificate.serialNumber.replace(/^0+/, ''));
  });

  it('imports a PEM bundle given root first, stores it leaf first, and openssl verifies the stored chain', async () => {
    const { record, csr } = await newRequest(store, 'webext.contoso.com', NAMES);
    const leaf = rsa.sign(csr, { sans: ALL });
    const result = await importAnswer(store, [put('bundle.pem', rsa.bundle(leaf, { order: 'root-first' }))]);
    expect(result.requestId).toBe(record.id);
    expect(result.report.chainReordered).toBe(true);
    expect(result.report.chain.map((c) => c.role)).toEqual(['leaf', 'intermediate', 'root']);
    expect(result.caCertificatesAdded).toHaveLength(2);
    const dir = join(store, 'requests', record.id);
    const verify = openssl(['verify', '-CAfile', rsa.root.certPath, '-untrusted', join(dir, 'chain.pem'), join(dir, 'certificate.pem')]);
    expect(verify.out).toContain(': OK');
    expect(readFileSync(join(dir, 'chain.pem'), 'utf8')).toBe(rsa.intermediate.pem + rsa.root.pem);
    // The same answer again, now as a PEM .p7b: found by key, nothing changes.
    const before = await treeListing(store);
    const again = await importAnswer(store, [put('again.p7b', rsa.p7b(leaf, { format: 'pem' }))]);
    expect(again).toMatchObject({ requestId: record.id, alreadyImported: true, status: 'issued' });
    expect(await treeListing(store)).toEqual(before);
    const human = await runCli(store, ['import', join(work, 'bundle.pem')]);
    expect(text(human)).toMatch(/^Already imported: request .* nothing changed\./);
  });

  it('imports a DER .p7b (openssl crl2pkcs7 -nocrl) and reports extra and missing SANs only when asked to accept them', async () => {
    const { record, csr } = await newRequest(store, 'webext.contoso.com', NAMES);
    const leaf = rsa.sign(csr, { sans: ['webext.contoso.com', 'meet.contoso.com', 'lyncdiscover.contoso.com', 'sip.contoso.com'] });
    const p7b = put('answer.p7b', rsa.p7b(leaf, { format: 'der' }));
    const refused = await runCli(store, ['import', p7b]);
    expect(refused.code).toBe(1);
    expect(oneLineError(refused)).toMatch(/^error: the certificate differs from request .*: the certificate lacks requested SAN dialin\.contoso\.com; .*--accept-mismatch/);
    const result = await importAnswer(store, [p7b], ['--accept-mismatch', '--request', record.id]);
    expect(result).toMatchObject({ requestId: record.id, mismatchAccepted: true });
    expect(result.report.sansMissing).toEqual(['dialin.contoso.com']);
    expect(result.report.sansExtra).toEqual(['sip.contoso.com']);
    expect(result.report.warnings.some((w) => w.includes('sip.contoso.com'))).toBe(true);
  });

  it('lists the stored CA certificates with the thumbprints openssl computes', async () => {
    const list = await cliJson<CaCertificateInfo[]>(store, ['ca', 'list']);
    expect(list.filter((c) => c.root).map((c) => c.subject).sort()).toEqual(['CN=Certdesk Test ECDSA Root CA, O=Certdesk Tests', 'CN=Certdesk Test RSA Root CA, O=Certdesk Tests']);
    const rootThumb = execFileSync('openssl', ['x509', '-in', rsa.root.certPath, '-noout', '-fingerprint', '-sha1'], { encoding: 'utf8' }).trim().split('=')[1]?.replace(/:/g, '');
    expect(list.find((c) => c.subject.includes('RSA Root'))?.thumbprint).toBe(rootThumb);
    expect(text(await runCli(store, ['ca', 'list']))).toContain('root: CN=Certdesk Test RSA Root CA, O=Certdesk Tests');
  });
});

describe('bad inputs: one clear error each, the store unchanged', () => {
  let pending: RequestRecord;
  let pendingCsr: string;
  let issued: RequestRecord;
  beforeAll(async () => {
    ({ record: pending, csr: pendingCsr } = await newRequest(store, 'webext.contoso.com', NAMES));
    const i = await newRequest(store, 'webext.contoso.com', NAMES);
    issued = i.record;
    await importAnswer(store, [put('issued.pem', rsa.bundle(rsa.sign(i.csr, { sans: ALL })))]);
  });

  async function refused(args: string[], pattern: RegExp): Promise<void> {
    const before = await treeListing(store);
    const r = await runCli(store, args, {}, work);
    expect(r.code).toBe(1);
    expect(r.stdout.length).toBe(0);
    expect(oneLineError(r)).toMatch(pattern);
    expect(await treeListing(store)).toEqual(before);
  }

  it('a garbage file', async () => {
    await refused(['import', put('garbage.cer', Buffer.from('\x00\x01not a certificate at all\xff'))], /^error: .*garbage\.cer: not a valid certificate file/);
  });
  it('a truncated P7B', async () => {
    const p7b = rsa.p7b(rsa.sign(pendingCsr, { sans: ALL }), { format: 'der' });
    await refused(['import', put('cut.p7b', p7b.subarray(0, Math.floor(p7b.length * 0.6)))], /^error: .*cut\.p7b: .*truncated/);
  });
  it('a certificate for another key, naming its subject and key fingerprint', async () => {
    const csr = execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(work, 'other.key'), '-subj', '/CN=other.contoso.com'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const leaf = rsa.sign(csr, { sans: ['other.contoso.com'] });
    const spkiSha = execFileSync('bash', ['-c', `openssl x509 -in ${leaf.path} -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum`], { encoding: 'utf8' }).split(' ')[0];
    await refused(['import', put('other.cer', leaf.der)], new RegExp(`^error: the certificate for CN=other\\.contoso\\.com \\(public key SHA-256 ${spkiSha}\\) matches no request`));
  });
  it('an expired certificate', async () => {
    const leaf = rsa.sign(pendingCsr, { sans: ALL, startDate: new Date('2021-01-01T00:00:00Z'), endDate: new Date('2021-12-31T00:00:00Z') });
    await refused(['import', put('expired.pem', rsa.bundle(leaf)), '--accept-mismatch'], /^error: the certificate expired on 2021-12-31/);
  });
  it('a wrong PFX password file: missing, weak, non-ASCII or several lines', async () => {
    const out = join(work, 'refused.pfx');
    await refused(['export', issued.id, '--out', out, '--password-file', join(work, 'no-such-password')], /^error: cannot read the password file .*no such file/);
    await refused(['export', issued.id, '--out', out, '--password-file', put('weak.txt', 'secret\n')], /^error: the password is too short/);
    await refused(['export', issued.id, '--out', out, '--password-file', put('utf8.txt', 'Grüße-aus-Zürich-2024\n')], /^error: the password must be plain printable ASCII/);
    await refused(['export', issued.id, '--out', out, '--password-file', put('lines.txt', 'Line-One-Password-1\nLine-Two\n')], /^error: the password file .* must hold the password on one line/);
  });
  it('an unwritable output path', async () => {
    await refused(['export', issued.id, '--out', join(work, 'missing-folder', 'x.pfx'), '--generate-password'], /^error: cannot write .*x\.pfx: no such file or folder/);
    await refused(['export', issued.id, '--out', join(work, 'garbage.cer', 'x.pfx'), '--generate-password'], /^error: cannot write .*x\.pfx/);
  });
  it('a request that has no certificate yet', async () => {
    await refused(['export', pending.id, '--out', join(work, 'p.pfx')], /^error: request .* has no certificate yet/);
  });
});
