/**
 * `request new --from-certificate FILE`: names copied from a certificate made by a real OpenSSL CA,
 * in PEM, DER, a PEM bundle with its chain, and a PFX read without its password (certificates in
 * the clear only; an encrypted certificate safe is refused with what to do instead).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namesFromCertificate } from '../../../src-main/services/from-certificate.js';
import { type IssuedCert, type TestCa, createTestCa } from '../../helpers/openssl-ca.js';

let ca: TestCa;
let dir: string;
let leaf: IssuedCert;
let keyPath: string;

beforeAll(() => {
  ca = createTestCa('rsa');
  dir = mkdtempSync(join(tmpdir(), 'certdesk-fromcert-'));
  keyPath = join(dir, 'leaf.key');
  const csr = execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-subj', '/C=TW/O=Contoso Ltd/OU=IT/CN=webext.contoso.com'], { stdio: ['ignore', 'pipe', 'ignore'] });
  leaf = ca.sign(csr.toString(), { sans: ['meet.contoso.com', 'webext.contoso.com', 'dialin.contoso.com'] });
});
afterAll(() => {
  ca?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function pfx(extra: string[]): Uint8Array {
  const out = join(dir, `x${Math.random().toString(36).slice(2)}.pfx`);
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', keyPath, '-in', leaf.path, '-out', out, '-passout', 'pass:Secret-2024!', ...extra]);
  return readFileSync(out);
}

const expected = {
  subject: { commonName: 'webext.contoso.com', organization: 'Contoso Ltd', organizationalUnit: 'IT', country: 'TW' },
  sans: ['webext.contoso.com', 'meet.contoso.com', 'dialin.contoso.com'],
};

describe('names from an existing certificate', () => {
  it.each([
    ['PEM', () => new TextEncoder().encode(leaf.pem)],
    ['DER', () => leaf.der],
    ['PEM bundle with the chain, root first', () => new TextEncoder().encode(ca.bundle(leaf, { order: 'root-first', includeRoot: true }))],
    ['PFX with unencrypted certificates, no password', () => pfx(['-certpbe', 'NONE', '-certfile', ca.intermediate.certPath])],
  ])('%s: subject fields and SANs, CN first', (_kind, data) => {
    const names = namesFromCertificate({ name: 'current.cer', data: data() });
    expect(names.subject).toEqual(expected.subject);
    expect(names.sans).toEqual(expected.sans);
    expect(names.certificate.thumbprint).toMatch(/^[0-9A-F]{40}$/);
  });

  it('refuses a PFX whose certificates are encrypted, saying what to give instead', () => {
    expect(() => namesFromCertificate({ name: 'windows.pfx', data: pfx([]) })).toThrow(/^windows\.pfx: the certificates in this PFX are encrypted with its password; export the certificate alone/);
  });

  it('refuses a file with only CA certificates, and one that is no certificate', () => {
    expect(() => namesFromCertificate({ name: 'root.cer', data: new TextEncoder().encode(ca.root.pem) })).toThrow(/only CA certificates/);
    expect(() => namesFromCertificate({ name: 'junk.cer', data: new TextEncoder().encode('hello') })).toThrow(/^junk\.cer: /);
  });
});
