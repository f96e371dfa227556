/**
 * The Authenticode encoding without osslsigncode (which tests/interop/authenticode-osslsigncode.test.ts
 * uses where it is installed): the digest against a value recorded from osslsigncode 2.9, and our
 * SignedData read back by node-forge's ASN.1 parser (an implementation independent of our DER writer)
 * with its signature checked by node:crypto against the certificate OpenSSL issued. README.txt's
 * signature section, signed and not.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundlePlan } from '../../../src-main/media/bundle-plan.js';
import { windowsText } from '../../../src-main/media/bundle-plan.js';
import { executionPolicyLines } from '../../../src-main/media/readme-windows.js';
import { authenticodeSignedData, powerShellScriptDigest, signPowerShellScript } from '../../../src-main/pki/authenticode.js';
import { type CodeSigner, openCodeSigningPfx } from '../../../src-main/pki/code-signing-pfx.js';
import { makeCodeSigningPfx } from '../../helpers/code-signing.js';
import { type TestCa, createTestCa } from '../../helpers/openssl-ca.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('the PowerShell SIP digest', () => {
  it('is the SHA-256 of the text as UTF-16LE, BOM included: the value osslsigncode 2.9 put in its own signature', () => {
    // Recorded: `osslsigncode sign` of exactly these bytes, then `osslsigncode verify` printed
    // "Current message digest : B15F1415...3C179B" (UTF-8 BOM, two CRLF lines).
    const script = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Write-Host "hi"\r\nWrite-Host "x"\r\n')]);
    expect(hex(powerShellScriptDigest(script))).toBe('b15f141593f714529d39e1c1779467e717af546976cc07e8bb7da8f0a93c179b');
    // Without the BOM the digest differs: the mark is part of what is signed.
    expect(hex(powerShellScriptDigest(script.subarray(3)))).not.toBe('b15f141593f714529d39e1c1779467e717af546976cc07e8bb7da8f0a93c179b');
  });
});

describe('the SignedData Certdesk writes, read by forge', () => {
  let ca: TestCa;
  let dir: string;
  let signer: CodeSigner;
  const script = windowsText("Write-Host 'Contoso 憑證'\n");

  beforeAll(async () => {
    ca = createTestCa('rsa', 'Authenticode Unit');
    dir = mkdtempSync(join(tmpdir(), 'certdesk-authenticode-unit-'));
    const p = makeCodeSigningPfx(ca, dir, 'unit');
    signer = await openCodeSigningPfx(p.pfx, p.password, new Date(Date.now() + 60_000));
  });
  afterAll(() => {
    ca?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has the Authenticode structure, a messageDigest of the content value, and an RSA signature the certificate verifies', () => {
    const digest = powerShellScriptDigest(script);
    const der = authenticodeSignedData(digest, signer);
    const ci = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(der).toString('binary')));
    const oid = (n: forge.asn1.Asn1): string => forge.asn1.derToOid(n.value as string);
    const kids = (n: forge.asn1.Asn1 | undefined): forge.asn1.Asn1[] => (n?.value ?? []) as forge.asn1.Asn1[];
    const [ciType, ciContent] = kids(ci);
    expect(oid(ciType as forge.asn1.Asn1)).toBe('1.2.840.113549.1.7.2');
    const sd = kids(kids(ciContent)[0]);
    const [, , encap, certs, signerInfos] = sd;
    const [encapType, encapWrapper] = kids(encap);
    expect(oid(encapType as forge.asn1.Asn1)).toBe('1.3.6.1.4.1.311.2.1.4');
    const indirect = kids(encapWrapper)[0] as forge.asn1.Asn1;
    const [sipData, digestInfo] = kids(indirect);
    expect(oid(kids(sipData)[0] as forge.asn1.Asn1)).toBe('1.3.6.1.4.1.311.2.1.30');
    const sipInfo = kids(kids(sipData)[1]);
    expect(Buffer.from(sipInfo[1]?.value as string, 'binary').toString('hex')).toBe('1fcc3b60594b084eb724d2c6297ef351');
    expect(Buffer.from(kids(digestInfo)[1]?.value as string, 'binary')).toEqual(Buffer.from(digest));
    // The certificates: the leaf and the intermediate (not the root).
    expect(kids(certs).length).toBe(2);

    const si = kids(kids(signerInfos)[0]);
    const attrsNode = si[3] as forge.asn1.Asn1;
    const attrs = new Map(kids(attrsNode).map((a) => [oid(kids(a)[0] as forge.asn1.Asn1), kids(kids(a)[1])[0] as forge.asn1.Asn1]));
    expect([...attrs.keys()].sort()).toEqual(['1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4', '1.3.6.1.4.1.311.2.1.11', '1.3.6.1.4.1.311.2.1.12']);
    expect(oid(attrs.get('1.2.840.113549.1.9.3') as forge.asn1.Asn1)).toBe('1.3.6.1.4.1.311.2.1.4');
    expect(oid(kids(attrs.get('1.3.6.1.4.1.311.2.1.11'))[0] as forge.asn1.Asn1)).toBe('1.3.6.1.4.1.311.2.1.21');
    // messageDigest: over the SpcIndirectDataContent's value octets (its tag and length excluded).
    const indirectDer = Buffer.from(forge.asn1.toDer(indirect).getBytes(), 'binary');
    const lengthByte = indirectDer[1] ?? 0;
    const valueOctets = indirectDer.subarray(lengthByte >= 0x80 ? 2 + (lengthByte & 0x7f) : 2);
    expect(Buffer.from(attrs.get('1.2.840.113549.1.9.4')?.value as string, 'binary').toString('hex')).toBe(createHash('sha256').update(valueOctets).digest('hex'));
    // The signature covers the attributes re-tagged as a SET OF (0x31).
    const attrsDer = Buffer.from(forge.asn1.toDer(attrsNode).getBytes(), 'binary');
    attrsDer[0] = 0x31;
    const signature = Buffer.from(si[5]?.value as string, 'binary');
    const leafKey = createPublicKey({ key: Buffer.from(signer.leaf.spkiDer), format: 'der', type: 'spki' });
    expect(verify('sha256', attrsDer, leafKey, signature)).toBe(true);
  });

  it('appends the block to the script bytes and refuses a script signed already', () => {
    const signed = signPowerShellScript(script, signer);
    expect(Buffer.from(signed.subarray(0, script.length))).toEqual(Buffer.from(script));
    expect(() => signPowerShellScript(signed, signer)).toThrow(/signed already/);
  });
});

describe("README.txt's signature section", () => {
  const base = { scriptSigner: undefined } as unknown as BundlePlan;
  const signed = { scriptSigner: { subject: 'CN=Contoso Script Signing, O=Contoso', thumbprint: 'AB'.repeat(20), issuer: 'CN=Contoso Issuing CA', notAfter: '2027-02-28T10:00:00.000Z' } } as unknown as BundlePlan;

  it('without a signature: says how to sign, no Signature section', () => {
    const text = executionPolicyLines(base).join('\n');
    expect(text).toContain('certdesk bundle --sign-with');
    expect(text).not.toContain('Signature\n---------');
  });

  it('with one: the signer, Trusted Publishers, and the date after which it no longer validates', () => {
    const text = executionPolicyLines(signed).join('\n');
    expect(text).toContain('Install-Certificate.ps1 is signed (Authenticode, SHA-256) by\n      CN=Contoso Script Signing, O=Contoso');
    expect(text).toContain(`thumbprint  ${'AB'.repeat(20)}`);
    expect(text).toContain('Trusted Publishers');
    expect(text).toMatch(/after 2027-02-28 the signature no longer validates/);
    expect(text).not.toContain('certdesk bundle --sign-with');
  });
});
