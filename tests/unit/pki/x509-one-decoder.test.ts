import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate } from '../../../src-main/pki/certificate.js';
import { parseCsr } from '../../../src-main/pki/csr-decode.js';
import { decodePemBlocks } from '../../../src-main/pki/pem.js';

// Issue 13 item 9: certificates and CSRs are read by one decoder. Before, certificate.ts had its own
// Name reader (SERIALNUMBER/STREET, refused non-string values), printed IPv6 uncompressed
// (2001:db8:0:0:0:0:0:1 where the CSR said 2001:db8::1) and its own EKU table (no Smart Card Logon).
// Every expectation below failed on that code.

const SUBJ = '/C=TW/street=1 Main St/serialNumber=A123/O=Contoso, Ltd/CN=webext.contoso.com';
const SAN = 'subjectAltName=DNS:webext.contoso.com,IP:2001:db8:0:0:0:0:0:1,IP:fe80:0:0:1:0:0:0:1,IP:192.0.2.7';
const EKU = 'extendedKeyUsage=serverAuth,msSmartcardLogin,msSGC,1.2.3.4.5';

let dir: string;
let certDer: Uint8Array;
let csrPem: Buffer;

const openssl = (...args: string[]): string => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'certdesk-x509-'));
  const key = join(dir, 'key.pem');
  openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key);
  const common = ['-key', key, '-subj', SUBJ, '-addext', SAN, '-addext', EKU, '-sha256'];
  openssl('req', '-new', '-x509', '-days', '30', ...common, '-out', join(dir, 'cert.pem'));
  openssl('req', '-new', ...common, '-out', join(dir, 'csr.pem'));
  certDer = (decodePemBlocks(readFileSync(join(dir, 'cert.pem')))[0] as { der: Uint8Array }).der;
  csrPem = readFileSync(join(dir, 'csr.pem'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('one X.509 decoder for certificates and CSRs', () => {
  it('prints the subject of a certificate exactly as the CSR with the same subject', () => {
    const cert = parseCertificate(certDer);
    const csr = parseCsr(csrPem);
    expect(cert.subject).toBe(csr.subjectDn);
    expect(cert.subject).toBe('CN=webext.contoso.com, O=Contoso\\, Ltd, serialNumber=A123, street=1 Main St, C=TW');
    expect(cert.commonName).toBe(csr.commonName);
  });

  it('formats IPv6 SANs the same way in both (RFC 5952: the longest zero run becomes ::), agreeing with OpenSSL on the address', () => {
    const cert = parseCertificate(certDer);
    const csrIps = parseCsr(csrPem).subjectAltNames.filter((n) => n.type === 'ip').map((n) => n.value);
    expect(cert.ipAddresses).toEqual(['2001:db8::1', 'fe80:0:0:1::1', '192.0.2.7']);
    expect(cert.ipAddresses).toEqual(csrIps);
    // OpenSSL (through Node) prints the uncompressed form; the WHATWG URL parser canonicalises both.
    const fromOpenssl = (new X509Certificate(Buffer.from(certDer)).subjectAltName ?? '').split(', ').filter((s) => s.startsWith('IP Address:')).map((s) => s.slice(11));
    const canon = (ip: string) => (ip.includes(':') ? new URL(`http://[${ip}]/`).hostname : ip);
    expect(cert.ipAddresses.map(canon)).toEqual(fromOpenssl.map(canon));
    expect(cert.ipAddresses.filter((ip) => ip.includes(':')).map((ip) => `[${ip}]`)).toEqual(cert.ipAddresses.filter((ip) => ip.includes(':')).map(canon));
  });

  it('names extended key usages from one table: short names on certificates, certutil labels on CSRs, same OIDs', () => {
    const cert = parseCertificate(certDer);
    expect(cert.extendedKeyUsage).toEqual(['serverAuth', 'msSmartcardLogin', 'msSGC', '1.2.3.4.5']);
    expect(parseCsr(csrPem).extendedKeyUsage).toEqual([
      { oid: '1.3.6.1.5.5.7.3.1', name: 'Server Authentication' },
      { oid: '1.3.6.1.4.1.311.20.2.2', name: 'Smart Card Logon' },
      { oid: '1.3.6.1.4.1.311.10.3.3', name: 'Microsoft Server Gated Crypto' },
      { oid: '1.2.3.4.5', name: null },
    ]);
    // openssl's own short names for the same extension, as a third opinion.
    const text = openssl('x509', '-in', join(dir, 'cert.pem'), '-noout', '-ext', 'extendedKeyUsage');
    expect(text).toMatch(/TLS Web Server Authentication, Microsoft Smartcard Login, Microsoft Server Gated Crypto, 1\.2\.3\.4\.5/);
  });

  it('describes the key and the signature with the CSR tables', () => {
    const cert = parseCertificate(certDer);
    expect(cert.keyAlgorithm).toBe('EC P-256');
    expect(cert.signatureAlgorithm).toBe(parseCsr(csrPem).signature.algorithm);
    expect(cert.signatureAlgorithm).toBe('ecdsa-with-SHA256');
  });
});
