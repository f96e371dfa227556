import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate } from '../../../src-main/pki/certificate.js';
import { looksLikePkcs7, parsePkcs7Certificates } from '../../../src-main/pki/pkcs7.js';
import { type TestCa, createTestCa } from '../../helpers/openssl-ca.js';

let ca: TestCa;
beforeAll(() => {
  ca = createTestCa('rsa');
});
afterAll(() => ca?.cleanup());

describe('PKCS#7 certs-only bundles', () => {
  it('returns the certificates of an openssl crl2pkcs7 file in file order', () => {
    const p7b = execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', ca.intermediate.certPath, '-certfile', ca.root.certPath, '-outform', 'DER']);
    expect(looksLikePkcs7(p7b)).toBe(true);
    expect(looksLikePkcs7(ca.root.der)).toBe(false);
    expect(parsePkcs7Certificates(p7b).map((d) => parseCertificate(d).commonName)).toEqual(['Certdesk Test RSA Issuing CA', 'Certdesk Test RSA Root CA']);
  });

  it('refuses a bundle with no certificates', () => {
    const empty = execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-outform', 'DER'], { input: '' });
    expect(() => parsePkcs7Certificates(empty)).toThrow(/^not a valid PKCS#7 certificate bundle: it holds no certificates$/);
  });

  it('refuses a truncated bundle and other content types', () => {
    const p7b = execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', ca.root.certPath, '-outform', 'DER']);
    expect(() => parsePkcs7Certificates(p7b.subarray(0, p7b.length - 1))).toThrow(/truncated/);
    // ContentInfo { id-data, [0] OCTET STRING }: a PKCS#7 that is not signedData.
    const data = Buffer.from('3011' + '06092a864886f70d010701' + 'a004' + '0402abcd', 'hex');
    expect(() => parsePkcs7Certificates(data)).toThrow(/content type 1\.2\.840\.113549\.1\.7\.1 is not signedData/);
  });
});
