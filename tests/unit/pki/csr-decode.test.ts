import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecodedCsr } from '../../../src-main/common/csr.js';
import { renderCsrText } from '../../../src-main/common/csr.js';
import { isCertdeskError } from '../../../src-main/common/errors.js';
import { createCsr } from '../../../src-main/pki/csr-create.js';
import { parseCsr, parseCsrDer, readCsrDer } from '../../../src-main/pki/csr-decode.js';
import { derInteger, derSequence } from '../../../src-main/pki/der-encode.js';
import { generateRsaKeyPair } from '../../../src-main/pki/keys.js';
import { toPem } from '../../../src-main/pki/pem.js';

// Made by scripts/fixtures/make-csr-fixtures.sh with OpenSSL; the keys were thrown away.
const FIXTURES = join(import.meta.dirname, '../../fixtures/csr');
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));
const decode = (name: string) => parseCsr(fixture(name));

/** What OpenSSL says the request's public key is: SHA-256 of its SPKI DER. */
function opensslKeyHash(name: string): string {
  const inform = name.endsWith('.der') ? ['-inform', 'DER'] : [];
  const pem = execFileSync('openssl', ['req', ...inform, '-in', join(FIXTURES, name), '-noout', '-pubkey'], { encoding: 'utf8' });
  return createHash('sha256').update(createPublicKey(pem).export({ type: 'spki', format: 'der' })).digest('hex');
}

function opensslDer(name: string): Buffer {
  const inform = name.endsWith('.der') ? ['-inform', 'DER'] : [];
  return execFileSync('openssl', ['req', ...inform, '-in', join(FIXTURES, name), '-outform', 'DER']);
}

function failure(input: Uint8Array): { code: string; message: string; ms: number } {
  const t = performance.now();
  try {
    parseCsr(input);
  } catch (e) {
    if (isCertdeskError(e)) return { code: e.code, message: e.message, ms: performance.now() - t };
    throw e;
  }
  throw new Error('parseCsr accepted the input');
}

const codes = (d: DecodedCsr) => d.findings.map((f) => f.code);

describe('parseCsr over requests made by OpenSSL', () => {
  it('reads an RSA request with a full subject, DNS SANs, KU and EKU', () => {
    const d = decode('openssl-rsa-san.pem');
    expect(d.subject.map((a) => `${a.shortName}=${a.value}`)).toEqual(['C=US', 'ST=Washington', 'L=Redmond', 'O=Contoso Ltd', 'OU=IT', 'CN=webext.contoso.com']);
    expect(d.subjectDn).toBe('CN=webext.contoso.com, OU=IT, O=Contoso Ltd, L=Redmond, ST=Washington, C=US');
    expect(d.commonName).toBe('webext.contoso.com');
    expect(d.subjectAltNames.map((n) => n.value)).toEqual(['webext.contoso.com', 'meet.contoso.com', 'dialin.contoso.com']);
    expect(d.publicKey).toEqual({ algorithm: 'RSA', oid: '1.2.840.113549.1.1.1', bits: 2048, curve: null, exponent: 65537 });
    expect(d.signature).toMatchObject({ algorithm: 'sha256WithRSAEncryption', valid: true });
    expect(d.extensions.find((e) => e.oid === '2.5.29.15')).toMatchObject({ critical: true, values: ['Digital Signature, Key Encipherment (a0)'] });
    expect(d.extendedKeyUsage?.map((e) => e.name)).toEqual(['Server Authentication', 'Client Authentication']);
    expect(d.publicKeySha256).toBe(opensslKeyHash('openssl-rsa-san.pem'));
    expect(d.sha256).toBe(createHash('sha256').update(opensslDer('openssl-rsa-san.pem')).digest('hex'));
    expect(d.findings).toEqual([]);
  });

  it('reads a DER request without extensions and notes the missing SANs', () => {
    const d = decode('openssl-rsa-nosan.der');
    expect(d.subjectDn).toBe('CN=legacy.contoso.com');
    expect(d.extensions).toEqual([]);
    expect(d.keyUsage).toBeNull();
    expect(d.signature.valid).toBe(true);
    expect(codes(d)).toEqual(['CSR_NO_DNS_SAN']);
  });

  it('reads EC P-256 and P-384 keys with their curves and checks ECDSA signatures', () => {
    const p256 = decode('openssl-ec-p256.pem');
    expect(p256.publicKey).toMatchObject({ algorithm: 'EC', curve: 'P-256', bits: 256 });
    expect(p256.signature).toMatchObject({ algorithm: 'ecdsa-with-SHA256', valid: true });
    expect(p256.publicKeySha256).toBe(opensslKeyHash('openssl-ec-p256.pem'));
    expect(codes(p256)).toEqual(['CSR_KEY_NOT_RSA']);
    const p384 = decode('openssl-ec-p384.der');
    expect(p384.publicKey).toMatchObject({ algorithm: 'EC', curve: 'P-384', bits: 384 });
    expect(p384.signature).toMatchObject({ algorithm: 'ecdsa-with-SHA384', valid: true });
  });

  it('says a challenge password is present and never reveals it', () => {
    const d = decode('openssl-challenge.pem');
    expect(d.challengePassword).toBe(true);
    expect(d.attributes.find((a) => a.oid === '1.2.840.113549.1.9.2')?.values).toEqual(['Contoso SCEP client']);
    expect(JSON.stringify(d)).not.toContain('Sup3rSecretChallenge');
    expect(renderCsrText(d)).not.toContain('Sup3rSecretChallenge');
    expect(renderCsrText(d)).toContain('Challenge password: present (not shown)');
  });

  it('reads every SAN type, basicConstraints and an unknown extension by OID', () => {
    const d = decode('openssl-mixed-sans.pem');
    expect(d.subjectAltNames).toEqual([
      { type: 'dns', value: 'mixed.contoso.com' },
      { type: 'ip', value: '192.0.2.7' },
      { type: 'ip', value: '2001:db8::1' },
      { type: 'email', value: 'pki@contoso.com' },
      { type: 'uri', value: 'https://contoso.com/pki' },
      { type: 'otherName', value: 'UPN=admin@contoso.com' },
    ]);
    expect(d.basicConstraints).toEqual({ ca: false, pathLength: null });
    expect(d.extensions.find((e) => e.oid === '2.5.29.19')?.critical).toBe(true);
    expect(d.extensions.find((e) => e.oid === '1.2.3.4.5')).toMatchObject({ name: null, critical: false });
    expect(d.subject.find((a) => a.oid === '1.2.840.113549.1.9.1')).toEqual({ oid: '1.2.840.113549.1.9.1', shortName: 'E', value: 'pki@contoso.com' });
  });

  it('reads Ed25519 and checks its signature', () => {
    const d = decode('openssl-ed25519.pem');
    expect(d.publicKey).toMatchObject({ algorithm: 'Ed25519', bits: 256, curve: null });
    expect(d.signature).toMatchObject({ algorithm: 'Ed25519', valid: true });
  });

  it('checks an RSASSA-PSS signature and says Lync does not support it', () => {
    const d = decode('openssl-rsa-pss.pem');
    expect(d.signature).toMatchObject({ algorithm: 'RSASSA-PSS (sha256, salt 32)', oid: '1.2.840.113549.1.1.10', valid: true });
    expect(d.findings.find((f) => f.code === 'CSR_PSS_SIGNATURE')?.message).toMatch(/Lync Server 2013 does not support/);
  });
});

describe('parseCsr over a Windows certreq request', () => {
  it('decodes OS version, client info, the enrollment CSP with KeySpec and name-value pairs', () => {
    const d = decode('windows-certreq.req');
    expect(d.microsoft).toEqual({
      osVersion: '6.3.9600.2',
      clientInfo: { clientId: 5, machine: 'RP01.contoso.local', user: 'CONTOSO\\admin', process: 'certreq' },
      enrollmentCsp: { keySpec: 1, keySpecName: 'exchange', cspName: 'Microsoft RSA SChannel Cryptographic Provider', signatureBytes: 0 },
      nameValuePairs: [{ name: 'CertificateTemplate', value: 'WebServer' }],
    });
    expect(d.subjectAltNames.map((n) => n.value)).toEqual(['webext.contoso.com', 'lyncdiscover.contoso.com']);
    expect(d.extensions.map((e) => e.name)).toEqual(['Subject Alternative Name', 'Key Usage', 'Enhanced Key Usage', 'Subject Key Identifier']);
    expect(d.signature.valid).toBe(true);
    const text = renderCsrText(d);
    expect(text).toContain('Key type (KeySpec): 1 = Exchange (AT_KEYEXCHANGE)');
    expect(text).toContain('OS version: 6.3.9600.2');
  });

  it('reads the same request whatever the encoding: UTF-16LE with/without BOM, UTF-8 BOM, bare base64, DER', () => {
    const text = Buffer.from(fixture('windows-certreq.req')).toString('latin1');
    const der = readCsrDer(fixture('windows-certreq.req'));
    const body = text.split('\r\n').filter((l) => !l.startsWith('-----')).join('\r\n');
    const variants = [
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      Buffer.from(text, 'utf16le'),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replaceAll('\r\n', '\n'))]),
      Buffer.from(body),
      Buffer.from(der),
    ];
    const expected = createHash('sha256').update(der).digest('hex');
    for (const v of variants) expect(parseCsr(new Uint8Array(v)).sha256).toBe(expected);
  });
});

describe('parseCsr over requests Certdesk makes', () => {
  it('round-trips createCsr for PEM and DER', async () => {
    const key = await generateRsaKeyPair(2048);
    const csr = createCsr({ subject: { commonName: 'webext.contoso.com' }, sans: ['webext.contoso.com'], windowsAttributes: true }, key.privateKeyPem);
    const fromPem = parseCsr(new TextEncoder().encode(csr.pem));
    expect(parseCsr(csr.der)).toEqual(fromPem);
    expect(fromPem.microsoft.enrollmentCsp?.keySpec).toBe(1);
    expect(fromPem.signature.valid).toBe(true);
  });
});

describe('parseCsr refuses hostile and wrong input fast, with one clear line', () => {
  const good = readCsrDer(fixture('openssl-rsa-san.pem'));
  let tmp: string;
  let certificatePem: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'certdesk-csr-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(tmp, 'k'), '-subj', '/CN=x', '-out', join(tmp, 'c.pem')], {
      stdio: 'ignore',
    });
    certificatePem = readFileSync(join(tmp, 'c.pem'), 'utf8');
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const cases: [string, () => Uint8Array, RegExp][] = [
    ['truncated', () => good.subarray(0, good.length - 10), /truncated/],
    ['trailing bytes', () => Uint8Array.from([...good, 0, 0]), /2 unexpected bytes follow/],
    ['deep nesting', () => {
      let d = derInteger(1);
      for (let i = 0; i < 500; i++) d = derSequence(d);
      return d;
    }, /nested more than 40 levels/],
    ['huge lengths', () => Uint8Array.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x30, 0x00]), /truncated/],
    ['indefinite length', () => Uint8Array.from([0x30, 0x80, 0x02, 0x01, 0x00, 0x00, 0x00]), /indefinite/],
    ['empty file', () => new Uint8Array(0), /empty/],
    ['binary garbage', () => Uint8Array.from({ length: 4096 }, (_, i) => (i * 97 + 1) % 256), /neither PEM text, base64 nor DER/],
    ['a DER structure that is not a CSR', () => derSequence(derInteger(1)), /expected 3 parts/],
    ['two requests in one file', () => new TextEncoder().encode(toPem(good, 'CERTIFICATE REQUEST') + toPem(good, 'NEW CERTIFICATE REQUEST')), /holds 2 certificate requests/],
  ];
  it.each(cases)('refuses %s', (_name, make, pattern) => {
    const f = failure(make());
    expect(f.code).toBe('PARSE_ERROR');
    expect(f.message).toMatch(pattern);
    expect(f.message).not.toContain('\n');
    // A guard against pathological (super-linear or hanging) parsing, not a speed goal: those live in `npm run bench`.
    expect(f.ms).toBeLessThan(2000);
  });

  it('refuses a wrong PEM label, naming what the file holds', () => {
    expect(failure(new TextEncoder().encode(certificatePem)).message).toBe('not a valid certificate request: the file holds PEM "CERTIFICATE", not "CERTIFICATE REQUEST"');
  });

  it('recognises a certificate handed over as DER or bare base64', () => {
    const der = Buffer.from(certificatePem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    expect(failure(new Uint8Array(der)).message).toBe('not a valid certificate request: this is a certificate, not a certificate request');
  });

  it('refuses a 10 MB file before reading it', () => {
    const f = failure(new Uint8Array(10 * 1024 * 1024).fill(0x4d));
    expect(f.code).toBe('INVALID_INPUT');
    expect(f.message).toMatch(/too large for a certificate request/);
    // A guard against pathological (super-linear or hanging) parsing, not a speed goal: those live in `npm run bench`.
    expect(f.ms).toBeLessThan(2000);
  });

  it('reports a tampered signature as not verifying (an error finding), not as a crash', () => {
    const tampered = Uint8Array.from(good);
    tampered[tampered.length - 5] = (tampered[tampered.length - 5] as number) ^ 0x01;
    const d = parseCsrDer(tampered);
    expect(d.signature.valid).toBe(false);
    expect(d.findings[0]).toMatchObject({ code: 'CSR_SIGNATURE_INVALID', severity: 'error' });
    expect(renderCsrText(d)).toContain('Signature does NOT match the public key');
  });

  it('reports an altered subject as a signature that does not verify', () => {
    const text = Buffer.from(good).toString('latin1').replace('Redmond', 'Redmonx');
    expect(parseCsrDer(new Uint8Array(Buffer.from(text, 'latin1'))).signature.valid).toBe(false);
  });

  it('survives 600 random mutations: every result is a decode or a CertdeskError', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const windows = readCsrDer(fixture('windows-certreq.req'));
    for (let i = 0; i < 600; i++) {
      const m = Uint8Array.from(i % 2 ? good : windows);
      for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) m[Math.floor(rnd() * m.length)] = Math.floor(rnd() * 256);
      try {
        parseCsrDer(m);
      } catch (e) {
        if (!isCertdeskError(e)) throw e;
      }
    }
  });
});
