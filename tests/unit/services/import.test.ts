import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../../src-main/common/requests.js';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import { importCaCertificates, listCaCertificates } from '../../../src-main/services/ca.js';
import type { ServiceContext } from '../../../src-main/services/context.js';
import { importCertificate } from '../../../src-main/services/import.js';
import { createRequest, getCsr, showRequest } from '../../../src-main/services/requests.js';
import { type TestCa, createTestCa } from '../../helpers/openssl-ca.js';
import { treeHash } from '../../helpers/tree-hash.js';

let rsa: TestCa;
let ecdsa: TestCa;
let root: string;
let n = 0;

beforeAll(() => {
  rsa = createTestCa('rsa');
  ecdsa = createTestCa('ecdsa');
  root = mkdtempSync(join(tmpdir(), 'certdesk-import-'));
});
afterAll(() => {
  rsa?.cleanup();
  ecdsa?.cleanup();
  if (root) rmSync(root, { recursive: true, force: true });
});

function freshContext(): ServiceContext {
  return { storeDir: join(root, `store-${++n}`), secrets: createMemorySecretStore() };
}

async function newRequest(ctx: ServiceContext, sans = ['meet.contoso.com', 'dialin.contoso.com']): Promise<{ record: RequestRecord; csr: string }> {
  const record = await createRequest(ctx, { subject: { commonName: 'webext.contoso.com' }, sans, friendlyName: 'Reverse Proxy Listener for Lync Server' });
  return { record, csr: (await getCsr(ctx, record.id, 'base64')) as string };
}

const file = (name: string, data: string | Uint8Array) => ({ name, data: typeof data === 'string' ? new Uint8Array(Buffer.from(data)) : data });
const ALL = ['webext.contoso.com', 'meet.contoso.com', 'dialin.contoso.com'];

describe('importCertificate', () => {
  let ctx: ServiceContext;
  let record: RequestRecord;
  let csr: string;
  beforeAll(async () => {
    ctx = freshContext();
    ({ record, csr } = await newRequest(ctx));
  });

  it('finds the request by public key, verifies the chain and marks it issued', async () => {
    const leaf = rsa.sign(csr, { sans: ALL });
    const result = await importCertificate(ctx, [file('answer.pem', rsa.bundle(leaf, { order: 'root-first' }))]);
    expect(result.requestId).toBe(record.id);
    expect(result.status).toBe('issued');
    expect(result.alreadyImported).toBe(false);
    expect(result.report.keyMatches).toBe(true);
    expect(result.report.sansMissing).toEqual([]);
    expect(result.report.sansExtra).toEqual([]);
    expect(result.report.chain.map((c) => c.role)).toEqual(['leaf', 'intermediate', 'root']);
    expect(result.report.chain.every((c) => c.signatureVerified)).toBe(true);
    expect(result.report.chainComplete).toBe(true);
    expect(result.report.chainReordered).toBe(true);
    expect(result.report.extendedKeyUsage).toEqual(['serverAuth', 'clientAuth']);
    expect(result.report.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(result.caCertificatesAdded).toHaveLength(2);
    const shown = (await showRequest(ctx, record.id)).record;
    expect(shown.status).toBe('issued');
    expect(shown.certificate?.thumbprint).toBe(createHash('sha1').update(leaf.der).digest('hex').toUpperCase());
    expect(shown.certificate?.sans).toEqual(ALL);
    expect(shown.history.at(-1)?.event).toBe('certificate-imported');
    const dir = join(ctx.storeDir, 'requests', record.id);
    expect(readFileSync(join(dir, 'certificate.pem'), 'utf8')).toBe(leaf.pem);
    expect(readFileSync(join(dir, 'chain.pem'), 'utf8')).toBe(rsa.intermediate.pem + rsa.root.pem);
    const audit = readFileSync(join(ctx.storeDir, 'audit.log'), 'utf8');
    expect(audit).toContain('"event":"certificate-imported"');
    expect((await listCaCertificates(ctx)).map((c) => c.root)).toEqual([true, false]);
  });

  it('says "already imported" and changes nothing when the same answer comes again', async () => {
    const before = treeHash(ctx.storeDir);
    const shownBefore = (await showRequest(ctx, record.id)).record;
    const leafPem = readFileSync(join(ctx.storeDir, 'requests', record.id, 'certificate.pem'));
    const again = await importCertificate(ctx, [file('again.cer', leafPem)]);
    expect(again.alreadyImported).toBe(true);
    expect(again.requestId).toBe(record.id);
    expect(again.report.chainComplete).toBe(true); // the chain now comes from the CA store
    expect(again.report.chain.map((c) => c.source)).toEqual(['answer', 'ca-store', 'ca-store']);
    expect(treeHash(ctx.storeDir)).toBe(before);
    expect((await showRequest(ctx, record.id)).record).toEqual(shownBefore);
  });
});

describe('importCertificate refusals', () => {
  let ctx: ServiceContext;
  let csr: string;
  let recordId: string;
  beforeAll(async () => {
    ctx = freshContext();
    const r = await newRequest(ctx);
    csr = r.csr;
    recordId = r.record.id;
  });

  async function refuses(files: { name: string; data: Uint8Array }[], code: string, message: RegExp, opts = {}): Promise<void> {
    const before = treeHash(ctx.storeDir);
    await expect(importCertificate(ctx, files, opts)).rejects.toMatchObject({ code, message: expect.stringMatching(message) as unknown });
    expect(treeHash(ctx.storeDir)).toBe(before);
  }

  it('refuses a certificate missing requested SANs, naming them, unless the mismatch is accepted', async () => {
    const leaf = ecdsa.sign(csr, { sans: ['webext.contoso.com', 'meet.contoso.com', 'extra.contoso.com'] });
    await refuses([file('a.pem', ecdsa.bundle(leaf))], 'MISMATCH', /lacks requested SAN dialin\.contoso\.com/);
    const accepted = await importCertificate(ctx, [file('a.pem', ecdsa.bundle(leaf))], { acceptMismatch: true });
    expect(accepted.mismatchAccepted).toBe(true);
    expect(accepted.report.sansMissing).toEqual(['dialin.contoso.com']);
    expect(accepted.report.sansExtra).toEqual(['extra.contoso.com']);
    expect((await showRequest(ctx, recordId)).record.history.at(-1)?.detail).toContain('mismatch accepted');
  });

  it('refuses a certificate without serverAuth', async () => {
    const c = freshContext();
    const r = await newRequest(c);
    const leaf = rsa.sign(r.csr, { sans: ALL, eku: ['clientAuth'] });
    await expect(importCertificate(c, [file('x.pem', rsa.bundle(leaf))])).rejects.toMatchObject({ code: 'MISMATCH', message: expect.stringMatching(/not valid for server authentication/) as unknown });
  });

  it('refuses an expired certificate even when mismatches are accepted', async () => {
    const leaf = rsa.sign(csr, { sans: ALL, startDate: new Date('2020-01-01T00:00:00Z'), endDate: new Date('2020-06-01T00:00:00Z') });
    await refuses([file('old.pem', rsa.bundle(leaf))], 'INVALID_INPUT', /expired on 2020-06-01/, { acceptMismatch: true });
  });

  it('names the subject and key fingerprint of an answer that matches no stored key', async () => {
    const other = freshContext();
    const foreign = await newRequest(other, []);
    const leaf = rsa.sign(foreign.csr, { sans: ['webext.contoso.com'] });
    await refuses([file('foreign.cer', leaf.der)], 'NOT_FOUND', new RegExp(`CN=webext\\.contoso\\.com \\(public key SHA-256 ${foreign.record.publicKeySha256}\\) matches no request`));
    await refuses([file('foreign.cer', leaf.der)], 'MISMATCH', /is not for request/, { requestId: recordId });
  });

  it('refuses garbage, a truncated PKCS#7 and a CSR picked by mistake with one clear line each', async () => {
    await refuses([file('garbage.cer', new Uint8Array([0x00, 0x01, 0x02, 0xff, 0x10]))], 'PARSE_ERROR', /^garbage\.cer: /);
    const p7b = rsa.p7b(rsa.sign(csr, { sans: ALL }), { format: 'der' });
    await refuses([file('cut.p7b', p7b.subarray(0, p7b.length - 40))], 'PARSE_ERROR', /^cut\.p7b: .*truncated/);
    await refuses([file('request.csr', csr)], 'PARSE_ERROR', /certificate request \(CSR\), not the CA's answer/);
  });

  it('points CA-only files to `ca import`', async () => {
    await refuses([file('root.cer', rsa.root.pem)], 'INVALID_INPUT', /only CA certificates .* certdesk ca import/);
  });

  it('refuses a chain whose signature does not verify', async () => {
    const leaf = rsa.sign(csr, { sans: ALL });
    // ecdsa's intermediate renamed as rsa's would need a forged cert; instead tamper the leaf's signature.
    const tampered = Uint8Array.from(leaf.der);
    tampered[tampered.length - 5] = (tampered[tampered.length - 5] as number) ^ 0x55;
    await refuses([file('tampered.cer', tampered), file('chain.pem', rsa.intermediate.pem + rsa.root.pem)], 'MISMATCH', /signature on CN=webext\.contoso\.com does not verify/);
  });
});

describe('importCaCertificates', () => {
  it('stores roots and intermediates once, warns about an unknown issuer, refuses end-entity certificates', async () => {
    const ctx = freshContext();
    const first = await importCaCertificates(ctx, [file('inter.pem', ecdsa.intermediate.pem)]);
    expect(first.added.map((a) => a.subject)).toEqual(['CN=Certdesk Test ECDSA Issuing CA, O=Certdesk Tests']);
    expect(first.findings.map((f) => f.code)).toEqual(['CA_ISSUER_UNKNOWN']);
    const second = await importCaCertificates(ctx, [file('root.cer', ecdsa.root.der), file('inter.pem', ecdsa.intermediate.pem)]);
    expect(second.added).toHaveLength(1);
    expect(second.existing).toHaveLength(1);
    expect(second.findings).toEqual([]);
    const list = await listCaCertificates(ctx);
    expect(list.map((c) => [c.root, c.keyAlgorithm])).toEqual([
      [true, 'EC P-384'],
      [false, 'EC P-256'],
    ]);
    const { csr } = await newRequest(ctx);
    const leaf = ecdsa.sign(csr, { sans: ALL });
    await expect(importCaCertificates(ctx, [file('leaf.pem', leaf.pem)])).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/is not a CA certificate/) as unknown });
    // The stored CA certificates complete the chain of a bare .cer answer.
    const result = await importCertificate(ctx, [file('leaf.cer', leaf.der)]);
    expect(result.report.chainComplete).toBe(true);
    expect(result.report.chain.map((c) => c.keyAlgorithm)).toEqual(['RSA 2048', 'EC P-256', 'EC P-384']);
  });
});
