/**
 * The Authenticode signature Certdesk puts on Install-Certificate.ps1 (`bundle --sign-with`), checked
 * by osslsigncode, an independent Authenticode implementation (its script.c follows the PowerShell
 * SIP): it verifies our signature against the test CA's root, computes the same digest when it signs
 * the same script itself, and rejects the script once one character changed. The code-signing PFX
 * comes from an OpenSSL test CA made at test time. Skipped, with a line saying so, where osslsigncode
 * is not installed (CI's image and this machine have 2.9).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windowsText } from '../../src-main/media/bundle-plan.js';
import { powerShellScriptDigest, signPowerShellScript } from '../../src-main/pki/authenticode.js';
import { openCodeSigningPfx } from '../../src-main/pki/code-signing-pfx.js';
import { type CodeSigningPfx, makeCodeSigningPfx, osslsigncodeSkipReason } from '../helpers/code-signing.js';
import { type TestCa, createTestCa } from '../helpers/openssl-ca.js';

const OSSLSIGNCODE_MISSING = osslsigncodeSkipReason();
const HAVE_OSSLSIGNCODE = OSSLSIGNCODE_MISSING === null;
const SKIP_REASON = `${OSSLSIGNCODE_MISSING ?? ''}: the Authenticode signature cannot be checked by an independent tool here`;
if (!HAVE_OSSLSIGNCODE) console.log(`authenticode-osslsigncode.test.ts: SKIPPED: ${SKIP_REASON}`);

/** A script like the bundle's: UTF-8 with BOM, CRLF, and non-ASCII text (an IDN node, a zh-TW word). */
const SCRIPT = windowsText(
  [
    '#Requires -Version 2.0',
    '# Install-Certificate.ps1 (test script)',
    "$nodes = @{ 'rp01.bücher.contoso.com' = 'legacy'; 'RP02' = 'modern' }",
    "Write-Host '憑證 imported'",
    '',
  ].join('\n'),
);

let ca: TestCa;
let work: string;
let good: CodeSigningPfx;
let signedPath: string;

function osslsigncode(args: string[]): { status: number | null; out: string } {
  const r = spawnSync('osslsigncode', args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The digest osslsigncode reads from the signature ("Current message digest") and computes ("Calculated"). */
function digests(out: string): { current: string; calculated: string } {
  const current = /Current message digest\s*:\s*([0-9A-F]+)/.exec(out)?.[1] ?? '';
  const calculated = /Calculated message digest\s*:\s*([0-9A-F]+)/.exec(out)?.[1] ?? '';
  return { current: current.toLowerCase(), calculated: calculated.toLowerCase() };
}

describe.skipIf(!HAVE_OSSLSIGNCODE)('Install-Certificate.ps1 signed by Certdesk, checked by osslsigncode', () => {
  beforeAll(async () => {
    ca = createTestCa('rsa', 'Code Signing');
    work = mkdtempSync(join(tmpdir(), 'certdesk-authenticode-'));
    good = makeCodeSigningPfx(ca, work, 'good');
    const signer = await openCodeSigningPfx(good.pfx, good.password, new Date());
    signedPath = join(work, 'Install-Certificate.ps1');
    writeFileSync(signedPath, signPowerShellScript(SCRIPT, signer));
  });
  afterAll(() => {
    ca?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('appends the standard block: the script unchanged, then CRLF lines of 64 base64 characters between the markers', () => {
    const signed = readFileSync(signedPath);
    expect(signed.subarray(0, SCRIPT.length)).toEqual(Buffer.from(SCRIPT));
    const block = signed.subarray(SCRIPT.length).toString('utf8');
    expect(block).toMatch(/^\r\n# SIG # Begin signature block\r\n(# [A-Za-z0-9+/]{64}\r\n)+# [A-Za-z0-9+/=]{1,64}\r\n# SIG # End signature block\r\n$/);
  });

  it('verifies with osslsigncode against the CA root: "Signature verification: ok", the digests equal', () => {
    const r = osslsigncode(['verify', '-in', signedPath, '-CAfile', ca.root.certPath]);
    expect(r.out).toContain('Signature verification: ok');
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain('Microsoft Individual Code Signing purpose');
    const d = digests(r.out);
    expect(d.current).toBe(Buffer.from(powerShellScriptDigest(SCRIPT)).toString('hex'));
    expect(d.calculated).toBe(d.current);
  });

  it('computes the digest osslsigncode computes when it signs the same script with the same PFX', () => {
    const unsigned = join(work, 'unsigned.ps1');
    const theirs = join(work, 'osslsigncode-signed.ps1');
    writeFileSync(unsigned, SCRIPT);
    const s = osslsigncode(['sign', '-pkcs12', good.pfxPath, '-readpass', good.passwordFile, '-h', 'sha256', '-in', unsigned, '-out', theirs]);
    expect(s.status, s.out).toBe(0);
    const r = osslsigncode(['verify', '-in', theirs, '-CAfile', ca.root.certPath]);
    expect(r.status, r.out).toBe(0);
    expect(digests(r.out).current).toBe(Buffer.from(powerShellScriptDigest(SCRIPT)).toString('hex'));
    // And osslsigncode's own file carries the script byte for byte before its block, as ours does.
    expect(readFileSync(theirs).subarray(0, SCRIPT.length)).toEqual(Buffer.from(SCRIPT));
  });

  it('carries the code-signing certificate and its intermediate, not the root, and the four signed attributes (no signing time)', () => {
    const text = readFileSync(signedPath, 'utf8');
    const b64 = [...text.matchAll(/^# ([A-Za-z0-9+/=]+)\r$/gm)].map((m) => m[1]).join('');
    const der = Buffer.from(b64, 'base64');
    const certs = execFileSync('openssl', ['pkcs7', '-inform', 'DER', '-print_certs', '-noout'], { input: der, encoding: 'utf8' });
    expect(certs).toMatch(/^subject=O = Contoso, CN = Contoso Script Signing$/m);
    expect(certs).toMatch(/^subject=O = Certdesk Tests, CN = Certdesk Test Code Signing Issuing CA$/m);
    expect(certs).not.toMatch(/^subject=.*Root CA$/m);
    const asn1 = execFileSync('openssl', ['asn1parse', '-inform', 'DER'], { input: der, encoding: 'utf8' });
    const oids = [...asn1.matchAll(/prim: OBJECT\s+:(.+)$/gm)].map((m) => m[1]);
    // SignedData content type and the SIP info, then the signed attributes (OpenSSL names the ones it knows).
    for (const oid of ['1.3.6.1.4.1.311.2.1.4', '1.3.6.1.4.1.311.2.1.30', 'contentType', 'messageDigest', '1.3.6.1.4.1.311.2.1.12', '1.3.6.1.4.1.311.2.1.11', 'Microsoft Individual Code Signing']) {
      expect(oids, oid).toContain(oid);
    }
    expect(oids).not.toContain('signingTime');
  });

  it('fails verification once one character of the script changed', () => {
    const signed = readFileSync(signedPath);
    const at = signed.indexOf(Buffer.from('legacy'));
    const tampered = Buffer.from(signed);
    tampered[at] = 'L'.charCodeAt(0);
    const p = join(work, 'tampered.ps1');
    writeFileSync(p, tampered);
    const r = osslsigncode(['verify', '-in', p, '-CAfile', ca.root.certPath]);
    expect(r.status).not.toBe(0);
    expect(r.out).not.toContain('Signature verification: ok');
    const d = digests(r.out);
    expect(d.calculated).not.toBe(d.current);
  });

  it('fails verification against a root that did not issue the signing certificate', () => {
    const other = createTestCa('rsa', 'Other');
    try {
      const r = osslsigncode(['verify', '-in', signedPath, '-CAfile', other.root.certPath]);
      expect(r.status).not.toBe(0);
    } finally {
      other.cleanup();
    }
  });
});

// These need OpenSSL only, so they run where osslsigncode is missing too.
describe('code-signing PFX files Certdesk refuses, one line each', () => {
  let refuseCa: TestCa;
  let dir: string;
  beforeAll(() => {
    refuseCa = createTestCa('rsa', 'Refusals');
    dir = mkdtempSync(join(tmpdir(), 'certdesk-authenticode-refuse-'));
  });
  afterAll(() => {
    refuseCa?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function refusal(pfx: Uint8Array, password: string): Promise<string> {
    try {
      await openCodeSigningPfx(pfx, password, new Date());
    } catch (e) {
      const m = (e as Error).message;
      expect(m).not.toContain('\n');
      expect(m).not.toContain(password === '' ? '\u0000' : password);
      return m;
    }
    throw new Error('accepted');
  }

  it('a certificate without the Code Signing EKU', async () => {
    const p = makeCodeSigningPfx(refuseCa, dir, 'server', { eku: ['serverAuth'] });
    expect(await refusal(p.pfx, p.password)).toMatch(/is not for code signing: it lacks the Code Signing extended key usage \(1\.3\.6\.1\.5\.5\.7\.3\.3\)$/);
  });

  it('an expired certificate, and one not valid yet', async () => {
    const old = makeCodeSigningPfx(refuseCa, dir, 'old', { startDate: new Date('2020-01-01'), endDate: new Date('2021-01-01') });
    expect(await refusal(old.pfx, old.password)).toMatch(/expired on 2021-01-01/);
    const future = makeCodeSigningPfx(refuseCa, dir, 'future', { startDate: new Date(Date.now() + 30 * 86_400_000), endDate: new Date(Date.now() + 400 * 86_400_000) });
    expect(await refusal(future.pfx, future.password)).toMatch(/is not valid yet/);
  });

  it('a wrong password', async () => {
    const p = makeCodeSigningPfx(refuseCa, dir, 'pw');
    expect(await refusal(p.pfx, 'Not-The-Password-1')).toBe('code-signing PFX: the PFX password is wrong');
  });

  it('an ECDSA key (RSA only, said so)', async () => {
    const ec = makeCodeSigningPfx(refuseCa, dir, 'ec', { key: 'ec' });
    expect(await refusal(ec.pfx, ec.password)).toMatch(/has an EC key, not RSA: Certdesk signs scripts with RSA keys only$/);
  });

  it('a file that is not a PFX (a PEM certificate)', async () => {
    expect(await refusal(new TextEncoder().encode(refuseCa.root.pem), 'x')).toMatch(/^code-signing PFX: the file is not a PFX/);
  });
});
