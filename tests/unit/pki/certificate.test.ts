import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate } from '../../../src-main/pki/certificate.js';
import { checkIssuedCertificate, publicCaMaxValidityDays } from '../../../src-main/pki/certificate-check.js';
import { parseCertificateFile } from '../../../src-main/pki/certificate-file.js';
import { type IssuedCert, type TestCa, createTestCa } from '../../helpers/openssl-ca.js';

let ca: TestCa;
let ec: TestCa;
let dir: string;
let csr: string;
let leaf: IssuedCert;

const openssl = (...args: string[]): string => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const REQUESTED = { commonName: 'webext.contoso.com', sans: ['webext.contoso.com', 'meet.contoso.com'] };

beforeAll(() => {
  ca = createTestCa('rsa');
  ec = createTestCa('ecdsa');
  dir = mkdtempSync(join(tmpdir(), 'certdesk-cert-'));
  csr = openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-subj', '/C=US/O=Contoso/CN=webext.contoso.com');
  leaf = ca.sign(csr, { sans: ['webext.contoso.com', 'meet.contoso.com'] });
});
afterAll(() => {
  ca?.cleanup();
  ec?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('parseCertificate', () => {
  it('reads an OpenSSL-issued leaf field by field as openssl prints it', () => {
    const c = parseCertificate(leaf.der);
    expect(c.subject).toBe('CN=webext.contoso.com, O=Contoso, C=US');
    expect(c.commonName).toBe('webext.contoso.com');
    expect(c.issuer).toBe('CN=Certdesk Test RSA Issuing CA, O=Certdesk Tests');
    // Whole bytes, as Windows shows the serial (a leading 0x0N byte keeps its zero nibble); compare
    // the numbers, since openssl's spelling of that nibble is not ours to assert.
    expect(c.serialNumber.length % 2).toBe(0);
    expect(BigInt(`0x${c.serialNumber}`)).toBe(BigInt(`0x${openssl('x509', '-in', leaf.path, '-noout', '-serial').trim().replace('serial=', '')}`));
    expect(c.sha1Thumbprint).toBe(openssl('x509', '-in', leaf.path, '-noout', '-fingerprint', '-sha1').trim().split('=')[1]?.replace(/:/g, ''));
    expect(c.notAfter.getTime()).toBe(new Date(openssl('x509', '-in', leaf.path, '-noout', '-enddate').trim().replace('notAfter=', '')).getTime());
    expect(c.notBefore.getTime()).toBe(new Date(openssl('x509', '-in', leaf.path, '-noout', '-startdate').trim().replace('notBefore=', '')).getTime());
    expect(c.dnsNames).toEqual(['webext.contoso.com', 'meet.contoso.com']);
    expect(c.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(c.keyUsageCritical).toBe(true);
    expect(c.extendedKeyUsage).toEqual(['serverAuth', 'clientAuth']);
    expect(c.isCa).toBe(false);
    expect(c.keyAlgorithm).toBe('RSA 2048');
    expect(c.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(c.selfIssued).toBe(false);
    expect(c.authorityKeyId).toBe(parseCertificate(ca.intermediate.der).subjectKeyId);
  });

  it('reads ECDSA CA certificates (which node-forge cannot)', () => {
    const root = parseCertificate(ec.root.der);
    expect(root).toMatchObject({ keyAlgorithm: 'EC P-384', isCa: true, selfIssued: true, signatureAlgorithm: 'ecdsa-with-SHA256', keyUsage: ['keyCertSign', 'cRLSign'] });
    expect(parseCertificate(ec.intermediate.der).keyAlgorithm).toBe('EC P-256');
  });

  it('refuses truncated or trailing-garbage DER with one clear line', () => {
    expect(() => parseCertificate(leaf.der.subarray(0, 300))).toThrow(/^not a valid certificate: .*truncated/);
    expect(() => parseCertificate(Uint8Array.from([...leaf.der, 0]))).toThrow(/unexpected bytes follow/);
  });
});

describe('parseCertificateFile', () => {
  it('reads DER, PEM with CRLF and a BOM, bundles in any order and PKCS#7, dropping duplicates', () => {
    expect(parseCertificateFile(leaf.der).map((c) => c.sha256)).toEqual([parseCertificate(leaf.der).sha256]);
    const crlf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(leaf.pem.replace(/\n/g, '\r\n'))]);
    expect(parseCertificateFile(crlf)).toHaveLength(1);
    const bundle = Buffer.from(ca.bundle(leaf, { order: 'root-first' }) + leaf.pem);
    expect(parseCertificateFile(bundle).map((c) => c.commonName)).toEqual(['Certdesk Test RSA Root CA', 'Certdesk Test RSA Issuing CA', 'webext.contoso.com']);
    expect(parseCertificateFile(ca.p7b(leaf, { format: 'der' }))).toHaveLength(3);
    expect(parseCertificateFile(ca.p7b(leaf, { format: 'pem' }))).toHaveLength(3);
  });

  it('names the file and says what it is when it is not a certificate', () => {
    expect(() => parseCertificateFile(Buffer.from(csr), 'webext.req')).toThrow(/^webext\.req: it is a certificate request \(CSR\), not the CA's answer$/);
    expect(() => parseCertificateFile(readFileSync(join(dir, 'key.pem')), 'key.pem')).toThrow(/^key\.pem: it holds a private key/);
    expect(() => parseCertificateFile(Buffer.from(''), 'empty.cer')).toThrow(/^empty\.cer: .*empty/);
  });
});

describe('checkIssuedCertificate', () => {
  it('accepts a certificate that matches the request', () => {
    const check = checkIssuedCertificate(parseCertificate(leaf.der), REQUESTED, new Date());
    expect(check.mismatches).toEqual([]);
    expect(check.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('reports missing and extra SANs, a missing serverAuth and a changed subject', () => {
    const c = parseCertificate(ca.sign(csr, { sans: ['www.contoso.com'], eku: ['clientAuth'], subject: '/CN=www.contoso.com' }).der);
    const check = checkIssuedCertificate(c, REQUESTED, new Date());
    expect(check.sansMissing).toEqual(['webext.contoso.com', 'meet.contoso.com']);
    expect(check.sansExtra).toEqual(['www.contoso.com']);
    expect(check.mismatches).toEqual([
      'the certificate lacks requested SANs webext.contoso.com, meet.contoso.com',
      'the certificate is not valid for server authentication (its extended key usage is clientAuth)',
    ]);
    expect(check.findings.map((f) => f.code)).toContain('CERT_SUBJECT_DIFFERS');
  });

  it('flags expiry, future validity and KU without keyEncipherment', () => {
    const c = parseCertificate(ca.sign(csr, { sans: REQUESTED.sans, keyUsage: ['digitalSignature'], startDate: new Date('2030-01-01T00:00:00Z'), endDate: new Date('2030-02-01T00:00:00Z') }).der);
    expect(checkIssuedCertificate(c, REQUESTED, new Date('2029-12-01T00:00:00Z')).findings.map((f) => f.code)).toEqual(['CERT_KEY_USAGE', 'CERT_NOT_YET_VALID']);
    const later = checkIssuedCertificate(c, REQUESTED, new Date('2030-03-01T00:00:00Z'));
    expect(later.expired).toBe(true);
    expect(later.findings.find((f) => f.code === 'CERT_EXPIRED')?.message).toBe('the certificate expired on 2030-02-01');
  });

  it('knows the public-CA validity caps by notBefore date', () => {
    expect(publicCaMaxValidityDays(new Date('2026-03-14T23:59:59Z'))).toBe(398);
    expect(publicCaMaxValidityDays(new Date('2026-03-15T00:00:00Z'))).toBe(200);
    expect(publicCaMaxValidityDays(new Date('2027-03-15T00:00:00Z'))).toBe(100);
    expect(publicCaMaxValidityDays(new Date('2029-03-15T00:00:00Z'))).toBe(47);
  });

  it('warns when the validity is longer than a public CA may issue, and not at the cap itself', () => {
    const start = new Date('2027-04-01T00:00:00Z');
    const at = (days: number) => {
      // notAfter = notBefore + days - 1 s: exactly `days` days as the CA/Browser Forum counts them.
      const c = parseCertificate(ca.sign(csr, { sans: REQUESTED.sans, startDate: start, endDate: new Date(start.getTime() + days * 86_400_000 - 1000) }).der);
      return checkIssuedCertificate(c, REQUESTED, new Date('2027-04-02T00:00:00Z'));
    };
    expect(at(100).validityDays).toBe(100);
    expect(at(100).findings.map((f) => f.code)).not.toContain('CERT_VALIDITY_TOO_LONG');
    const long = at(101).findings.find((f) => f.code === 'CERT_VALIDITY_TOO_LONG');
    expect(long?.message).toMatch(/valid for 101 days, longer than the 100 days a public CA may issue from 2027-04-01/);
  });
});
