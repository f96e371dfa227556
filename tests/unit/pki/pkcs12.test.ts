import { performance as nodePerformance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCertdeskError } from '../../../src-main/common/errors.js';
import { parseCertificate } from '../../../src-main/pki/certificate.js';
import { sha1Hex } from '../../../src-main/pki/fingerprint.js';
import { SCHANNEL_CSP, createPfx, resolveIterations } from '../../../src-main/pki/pkcs12.js';
import { bmpPassword, pkcs12Kdf } from '../../../src-main/pki/pkcs12-crypto.js';
import { parsePfx } from '../../../src-main/pki/pkcs12-parse.js';
import { type IssuedCert, type TestCa, createTestCa } from '../../helpers/openssl-ca.js';

const PASSWORD = 'Correct-Horse-9-Battery';
let ca: TestCa;
let dir: string;
let keyPem: string;
let leaf: IssuedCert;

beforeAll(() => {
  ca = createTestCa('ecdsa');
  dir = mkdtempSync(join(tmpdir(), 'certdesk-p12-'));
  const keyPath = join(dir, 'key.pem');
  const csr = execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-subj', '/CN=webext.contoso.com'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  keyPem = readFileSync(keyPath, 'utf8');
  leaf = ca.sign(csr, { sans: ['webext.contoso.com', 'meet.contoso.com'] });
});
afterAll(() => {
  ca?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function content(includeRoot = false) {
  return { privateKeyPem: keyPem, certificate: leaf.der, caCertificates: includeRoot ? [ca.intermediate.der, ca.root.der] : [ca.intermediate.der], friendlyName: 'Reverse Proxy Listener for Lync Server' };
}

describe('PKCS#12 key derivation (RFC 7292 appendix B)', () => {
  it('matches the PKCS#12 test vector for "smeg" (key, IV and MAC key purposes)', async () => {
    // Vectors published with the original PKCS#12 implementations (also in OpenSSL's and BouncyCastle's tests).
    const salt = Buffer.from('0a58cf64530d823f', 'hex');
    const pw = bmpPassword('smeg');
    expect((await pkcs12Kdf('sha1', pw, salt, 1, 1, 24)).toString('hex').toUpperCase()).toBe('8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3');
    expect((await pkcs12Kdf('sha1', pw, salt, 2, 1, 8)).toString('hex').toUpperCase()).toBe('79993DFE048D3B76');
    const macSalt = Buffer.from('3D83C0E4546AC140', 'hex');
    expect((await pkcs12Kdf('sha1', pw, macSalt, 3, 1, 20)).toString('hex').toUpperCase()).toBe('8D967D88F6CAA9D714800AB3D48051D63F73A312');
  });
  it('matches the multi-iteration vector for "queeg" (1000 iterations)', async () => {
    const salt = Buffer.from('05DEC959ACFF72F7', 'hex');
    expect((await pkcs12Kdf('sha1', bmpPassword('queeg'), salt, 1, 1000, 24)).toString('hex').toUpperCase()).toBe('ED2034E36328830FF09DF1E1A07DD357185DAC0D4F9EB3D4');
  });
});

describe('createPfx and parsePfx', () => {
  it.each(['legacy', 'modern'] as const)('%s: reads back with the password: key, leaf, intermediate and Windows bag attributes', async (profile) => {
    const pfx = await createPfx(content(), { profile, password: PASSWORD });
    const parsed = await parsePfx(pfx, PASSWORD);
    expect(parsed.macDigest).toBe(profile === 'legacy' ? 'sha1' : 'sha256');
    expect(parsed.macIterations).toBe(profile === 'legacy' ? 2048 : 10000);
    expect(parsed.keys).toHaveLength(1);
    const key = parsed.keys[0]!;
    expect(key.encryption).toBe(profile === 'legacy' ? 'pbeWithSHAAnd3-KeyTripleDES-CBC' : 'PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)');
    expect(parsed.certificateSafeEncryption).toEqual([key.encryption]);
    expect(key.attributes.friendlyName).toBe('Reverse Proxy Listener for Lync Server');
    expect(key.attributes.cspName).toBe(SCHANNEL_CSP);
    expect(key.attributes.localKeyId).toBe(sha1Hex(leaf.der));
    expect(parsed.certificates.map((c) => parseCertificate(c.der).subject)).toEqual([parseCertificate(leaf.der).subject, parseCertificate(ca.intermediate.der).subject]);
    expect(parsed.certificates[0]!.attributes.localKeyId).toBe(sha1Hex(leaf.der));
    expect(parsed.certificates[1]!.attributes.localKeyId).toBeNull();
    const pub = createPublicKey(createPrivateKey({ key: Buffer.from(key.pkcs8Der), format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
    expect(Buffer.from(pub).equals(Buffer.from(parseCertificate(leaf.der).spkiDer))).toBe(true);
  });

  it('adds the root only when asked', async () => {
    const parsed = await parsePfx(await createPfx(content(true), { profile: 'modern', password: PASSWORD, iterations: 20000 }), PASSWORD);
    expect(parsed.certificates).toHaveLength(3);
    expect(parsed.macIterations).toBe(20000);
  });

  it('refuses a wrong password with one clear line', async () => {
    const pfx = await createPfx(content(), { profile: 'legacy', password: PASSWORD });
    await expect(parsePfx(pfx, 'Wrong-Password-123')).rejects.toThrow(/password is wrong/);
  });

  it('refuses a truncated or altered file as damaged', async () => {
    const pfx = await createPfx(content(), { profile: 'modern', password: PASSWORD });
    await expect(parsePfx(pfx.subarray(0, pfx.length - 10), PASSWORD)).rejects.toThrow(/not a valid PFX file/);
    const altered = Uint8Array.from(pfx);
    altered[200] = (altered[200] as number) ^ 0xff;
    await expect(parsePfx(altered, PASSWORD)).rejects.toSatisfy((e) => isCertdeskError(e));
  });

  it('refuses iteration counts outside the profile (Windows stops at 600,000)', () => {
    expect(resolveIterations('modern', undefined)).toBe(10000);
    expect(resolveIterations('legacy', undefined)).toBe(2048);
    expect(() => resolveIterations('modern', 600_001)).toThrow(/10000-600000 iterations/);
    expect(() => resolveIterations('modern', 5000)).toThrow(/10000-600000/);
    expect(() => resolveIterations('legacy', 10000)).toThrow(/2000-2048/);
  });

  it('derives keys beside the event loop, so 600,000 iterations do not freeze the app', async () => {
    // Counted, not timed: timers fire only while the main thread is free, and the event-loop
    // utilisation says how much of the derivation's wall time the main thread itself was busy. A loop
    // on the main thread (even one that yields) keeps it near 1; on a worker it stays near 0.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const before = nodePerformance.eventLoopUtilization();
    try {
      await pkcs12Kdf('sha256', bmpPassword(PASSWORD), Buffer.alloc(16, 7), 3, 150_000, 32);
    } finally {
      clearInterval(timer);
    }
    const elu = nodePerformance.eventLoopUtilization(before);
    expect(ticks).toBeGreaterThanOrEqual(10);
    expect(elu.utilization).toBeLessThan(0.5);
  });

  it('reads PFX files OpenSSL writes by default, and names RC2-40 (openssl -legacy) as obsolete', async () => {
    writeFileSync(join(dir, 'pw'), PASSWORD);
    const made = (extra: string[]) => {
      const out = join(dir, `openssl-${extra.length}.pfx`);
      execFileSync('openssl', ['pkcs12', '-export', '-inkey', join(dir, 'key.pem'), '-in', leaf.path, '-certfile', ca.intermediate.certPath, '-name', 'from openssl', '-passout', `file:${join(dir, 'pw')}`, '-out', out, ...extra], { stdio: 'ignore' });
      return readFileSync(out);
    };
    const parsed = await parsePfx(made([]), PASSWORD);
    expect(parsed.keys[0]?.encryption).toBe('PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)');
    expect(parsed.keys[0]?.attributes.friendlyName).toBe('from openssl');
    expect(parsed.certificates).toHaveLength(2);
    await expect(parsePfx(made(['-legacy']), PASSWORD)).rejects.toThrow(/RC2-40 encryption, which is obsolete/);
  });

  it('writes files OpenSSL 3 opens without -legacy', async () => {
    for (const profile of ['legacy', 'modern'] as const) {
      const p = join(dir, `${profile}.pfx`);
      writeFileSync(p, await createPfx(content(), { profile, password: PASSWORD }));
      writeFileSync(join(dir, 'pw'), PASSWORD);
      const out = execFileSync('openssl', ['pkcs12', '-in', p, '-info', '-nokeys', '-passin', `file:${join(dir, 'pw')}`], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
      expect(out).toContain('BEGIN CERTIFICATE');
    }
  });
});
