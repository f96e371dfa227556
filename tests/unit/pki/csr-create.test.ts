import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { isCertdeskError } from '../../../src-main/common/errors.js';
import { type CsrSpec, createCsr, normalizeSubject } from '../../../src-main/pki/csr-create.js';
import { parseCsrDer } from '../../../src-main/pki/csr-decode.js';
import { toHex } from '../../../src-main/pki/der.js';
import { sha256Hex } from '../../../src-main/pki/fingerprint.js';
import { generateRsaKeyPair, type RsaKeyPair } from '../../../src-main/pki/keys.js';
import { decodePemBlocks } from '../../../src-main/pki/pem.js';

let key: RsaKeyPair;
beforeAll(async () => {
  key = await generateRsaKeyPair(2048);
});

const spec = (over: Partial<CsrSpec> = {}): CsrSpec => ({
  subject: { commonName: 'webext.contoso.com', organization: 'Contoso', organizationalUnit: 'IT', locality: 'Redmond', state: 'Washington', country: 'US' },
  sans: ['webext.contoso.com', 'meet.contoso.com', 'dialin.contoso.com'],
  windowsAttributes: true,
  ...over,
});

function inputError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isCertdeskError(e) && e.code === 'INVALID_INPUT') return e.message;
    throw e;
  }
  throw new Error('accepted');
}

describe('createCsr: the reverse-proxy profile', () => {
  it('writes subject, SANs, KU, EKU and the signature as the profile says', () => {
    const d = parseCsrDer(createCsr(spec(), key.privateKeyPem).der);
    expect(d.subjectDn).toBe('CN=webext.contoso.com, OU=IT, O=Contoso, L=Redmond, ST=Washington, C=US');
    expect(d.subjectAltNames).toEqual(spec().sans.map((value) => ({ type: 'dns', value })));
    expect(d.extensions.map((e) => [e.oid, e.critical])).toEqual([
      ['2.5.29.17', false],
      ['2.5.29.15', true],
      ['2.5.29.37', false],
    ]);
    expect(d.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(d.extendedKeyUsage?.map((e) => e.oid)).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(d.signature).toEqual({ algorithm: 'sha256WithRSAEncryption', oid: '1.2.840.113549.1.1.11', valid: true, note: null });
    expect(d.publicKey).toMatchObject({ algorithm: 'RSA', bits: 2048, exponent: 65537 });
    expect(d.publicKeySha256).toBe(sha256Hex(key.spkiDer));
    // Only the info that NSS reads the first attribute alone (docs/pki.md 3a) may be there.
    expect(d.findings.filter((f) => f.code !== 'CSR_EXTENSIONS_NOT_FIRST')).toEqual([]);
  });

  it('encodes KU as a critical BIT STRING 05 a0 and EKU without a critical flag, byte for byte', () => {
    const der = toHex(createCsr(spec(), key.privateKeyPem).der);
    expect(der).toContain('300e0603551d0f0101ff0404030205a0');
    expect(der).toContain('301d0603551d250416301406082b0601050507030106082b06010505070302');
  });

  it('adds the enrollment CSP attribute: KeySpec 1 and the SChannel provider, empty signature', () => {
    const out = createCsr(spec(), key.privateKeyPem);
    const bmp = toHex(Buffer.from('Microsoft RSA SChannel Cryptographic Provider', 'utf16le').swap16());
    expect(toHex(out.der)).toContain(`060a2b0601040182370d0202316430620201011e5a${bmp}030100`);
    expect(parseCsrDer(out.der).microsoft.enrollmentCsp).toEqual({
      keySpec: 1,
      keySpecName: 'exchange',
      cspName: 'Microsoft RSA SChannel Cryptographic Provider',
      signatureBytes: 0,
    });
  });

  it('leaves the CSP attribute out when Windows attributes are switched off', () => {
    const d = parseCsrDer(createCsr(spec({ windowsAttributes: false }), key.privateKeyPem).der);
    expect(d.attributes.map((a) => a.oid)).toEqual(['1.2.840.113549.1.9.14']);
    expect(d.microsoft.enrollmentCsp).toBeNull();
  });

  it('writes C as PrintableString and the other attributes as UTF8String', () => {
    const der = toHex(createCsr(spec(), key.privateKeyPem).der);
    expect(der).toContain('06035504061302' + toHex(Buffer.from('US')));
    expect(der).toContain('06035504030c12' + toHex(Buffer.from('webext.contoso.com')));
  });

  it('returns the same request as PEM (RFC 7468 label) and DER', () => {
    const out = createCsr(spec(), key.privateKeyPem);
    expect(out.pem.startsWith('-----BEGIN CERTIFICATE REQUEST-----\n')).toBe(true);
    expect(decodePemBlocks(new TextEncoder().encode(out.pem))).toEqual([{ label: 'CERTIFICATE REQUEST', der: out.der }]);
  });

  it('is deterministic for the same key and spec (PKCS#1 v1.5 signatures are)', () => {
    expect(toHex(createCsr(spec(), key.privateKeyPem).der)).toBe(toHex(createCsr(spec(), key.privateKeyPem).der));
  });

  it('writes a CN-only subject when the optional parts are absent or blank', () => {
    const d = parseCsrDer(createCsr(spec({ subject: { commonName: ' webext.contoso.com ', organization: '  ' } }), key.privateKeyPem).der);
    expect(d.subject).toEqual([{ oid: '2.5.4.3', shortName: 'CN', value: 'webext.contoso.com' }]);
  });
});

describe('createCsr: refusals', () => {
  it('refuses a country that is not two letters, and upper-cases a valid one', () => {
    expect(inputError(() => createCsr(spec({ subject: { commonName: 'webext.contoso.com', country: 'USA' } }), key.privateKeyPem))).toBe(
      'the country (C) must be a two-letter code such as US or DE',
    );
    expect(inputError(() => normalizeSubject({ commonName: 'a.example', country: 'U1' }))).toMatch(/two-letter/);
    expect(normalizeSubject({ commonName: 'a.example', country: 'de' }).country).toBe('DE');
  });

  it('refuses an empty CN, over-long fields and control characters', () => {
    expect(inputError(() => normalizeSubject({ commonName: '  ' }))).toBe('the subject CN is empty');
    expect(inputError(() => normalizeSubject({ commonName: `${'a'.repeat(61)}.com` }))).toBe('the subject CN is longer than 64 characters');
    expect(inputError(() => normalizeSubject({ commonName: 'a.example', organization: 'x'.repeat(65) }))).toMatch(/organization \(O\) is longer than 64/);
    expect(inputError(() => normalizeSubject({ commonName: 'a.example', locality: 'Red\nmond' }))).toMatch(/locality \(L\) contains a control character/);
  });

  it('refuses SAN lists without the CN, with duplicates, empty, or with U-labels', () => {
    expect(inputError(() => createCsr(spec({ sans: ['meet.contoso.com'] }), key.privateKeyPem))).toBe(
      'the subject CN "webext.contoso.com" must also be one of the subject alternative names',
    );
    expect(inputError(() => createCsr(spec({ sans: ['webext.contoso.com', 'WEBEXT.contoso.com'] }), key.privateKeyPem))).toMatch(/listed twice/);
    expect(inputError(() => createCsr(spec({ sans: [] }), key.privateKeyPem))).toMatch(/at least one subject alternative name/);
    expect(inputError(() => createCsr(spec({ sans: ['webext.contoso.com', 'bücher.example'] }), key.privateKeyPem))).toMatch(/A-labels/);
  });

  it('refuses a non-RSA key and an unreadable key without echoing it', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(inputError(() => createCsr(spec(), ec))).toMatch(/not an RSA key/);
    const broken = key.privateKeyPem.replace(/[A-Za-z]{10}\n/, '!!!!!!!!!!\n');
    const msg = inputError(() => createCsr(spec(), broken));
    expect(msg).toBe('the private key could not be read (expected an unencrypted PKCS#8 PEM RSA key)');
  });
});
