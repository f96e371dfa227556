import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Certificate, parseCertificate } from '../../../src-main/pki/certificate.js';
import { buildChain } from '../../../src-main/pki/chain.js';
import { type IssuedCert, type TestCa, createTestCa } from '../../helpers/openssl-ca.js';

let ca: TestCa;
let twin: TestCa;
let dir: string;
let leaf: IssuedCert;
let leafCert: Certificate;

const answer = (...certs: Uint8Array[]) => certs.map((d) => ({ certificate: parseCertificate(d), source: 'answer' as const }));

beforeAll(() => {
  ca = createTestCa('rsa');
  // Same names, different keys: a CA rebuilt from scratch, or an impostor.
  twin = createTestCa('rsa');
  dir = mkdtempSync(join(tmpdir(), 'certdesk-chain-'));
  const csr = execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'leaf.key'), '-subj', '/CN=webext.contoso.com'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  leaf = ca.sign(csr, { sans: ['webext.contoso.com'] });
  leafCert = parseCertificate(leaf.der);
});
afterAll(() => {
  ca?.cleanup();
  twin?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('buildChain', () => {
  it('orders leaf, intermediate, root out of shuffled candidates and verifies every signature', () => {
    const chain = buildChain(leafCert, answer(ca.root.der, twin.intermediate.der, ca.intermediate.der, twin.root.der));
    expect(chain.links.map((l) => [l.role, l.certificate.sha256])).toEqual([
      ['leaf', leafCert.sha256],
      ['intermediate', parseCertificate(ca.intermediate.der).sha256],
      ['root', parseCertificate(ca.root.der).sha256],
    ]);
    expect(chain.links.every((l) => l.signatureVerified)).toBe(true);
    expect(chain.complete).toBe(true);
    expect(chain.findings).toEqual([]);
  });

  it('reports an incomplete chain when the root is missing', () => {
    const chain = buildChain(leafCert, answer(ca.intermediate.der));
    expect(chain.complete).toBe(false);
    expect(chain.links).toHaveLength(2);
    expect(chain.findings.map((f) => [f.code, f.severity])).toEqual([['CHAIN_INCOMPLETE', 'warning']]);
    expect(chain.findings[0]?.message).toMatch(/its issuer CN=Certdesk Test RSA Root CA, O=Certdesk Tests is neither in the file nor among the stored CA certificates/);
  });

  it('does not take a CA with the same name but another key as the issuer', () => {
    const chain = buildChain(leafCert, answer(twin.intermediate.der, twin.root.der));
    expect(chain.links).toHaveLength(1);
    expect(chain.findings.map((f) => f.code)).toEqual(['CHAIN_INCOMPLETE']);
  });

  it("refuses a certificate whose signature does not verify with its issuer's key", () => {
    const tampered = Uint8Array.from(leaf.der);
    tampered[tampered.length - 3] = (tampered[tampered.length - 3] as number) ^ 0x01;
    const chain = buildChain(parseCertificate(tampered), answer(ca.intermediate.der, ca.root.der));
    expect(chain.findings.map((f) => [f.code, f.severity])).toEqual([['CHAIN_BAD_SIGNATURE', 'error']]);
    expect(chain.findings[0]?.message).toBe('the signature on CN=webext.contoso.com does not verify with the key of CN=Certdesk Test RSA Issuing CA, O=Certdesk Tests');
    expect(chain.links[0]?.signatureVerified).toBe(false);
  });

  it('refuses an end-entity certificate used as an issuer', () => {
    const csr = execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'sub.key'), '-subj', '/CN=sub.contoso.com'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    writeFileSync(join(dir, 'sub.csr'), csr);
    execFileSync('openssl', ['x509', '-req', '-in', join(dir, 'sub.csr'), '-CA', leaf.path, '-CAkey', join(dir, 'leaf.key'), '-CAcreateserial', '-days', '30', '-out', join(dir, 'sub.pem')], { stdio: 'ignore' });
    const sub = parseCertificate(Buffer.from(readFileSync(join(dir, 'sub.pem'), 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64'));
    const chain = buildChain(sub, answer(leaf.der, ca.intermediate.der, ca.root.der));
    expect(chain.findings.map((f) => f.code)).toEqual(['CHAIN_NOT_A_CA']);
  });
});
