/**
 * The forge-based PFX reader (src-main/pki/pfx-read.ts) against real OpenSSL 3 files of every kind
 * an admin brings: `-legacy` (RC2-40 certificate bags, 3DES key), the 3.x default (PBES2/AES-256,
 * SHA-256 MAC), AES-128, 3DES with a SHA-1 MAC, 1 and 600,000 iterations, the empty password, a
 * non-ASCII password; and every way a file can be unusable, each with its own stable reason.
 * The keys are made by the test; nothing is committed.
 */
import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src-main/pki/fingerprint.js';
import { derContextConstructed, derInteger, derNull, derOctetString, derOid, derSequence } from '../../src-main/pki/der-encode.js';
import { parseDer } from '../../src-main/pki/der.js';
import { openPfx, verifyPfxReadBack } from '../../src-main/pki/pfx-read.js';
import { PKCS12_OID, SCHANNEL_CSP, createPfx } from '../../src-main/pki/pkcs12.js';
import { PBE_OID, pfxMac } from '../../src-main/pki/pkcs12-crypto.js';
import { type IssuedCert, type TestCa, createTestCa } from '../helpers/openssl-ca.js';

const PASSWORD = 'Adopt-Me-2024!';
let ca: TestCa;
let dir: string;
let keyPath: string;
let leaf: IssuedCert;
let originalSpkiSha256: string;

function openssl(args: string[]): Buffer {
  return execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `openssl pkcs12 -export` of the test key, leaf and intermediate with extra options; returns the file's bytes. */
function pfxOf(name: string, password: string, extra: string[]): Uint8Array {
  const out = join(dir, `${name}.pfx`);
  openssl(['pkcs12', '-export', '-inkey', keyPath, '-in', leaf.path, '-certfile', ca.intermediate.certPath, '-out', out, '-passout', `pass:${password}`, ...extra]);
  return readFileSync(out);
}

async function reasonOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'opened';
  } catch (e) {
    return (e as { reason?: string }).reason ?? `no reason: ${(e as Error).message}`;
  }
}

beforeAll(() => {
  ca = createTestCa('rsa');
  dir = mkdtempSync(join(tmpdir(), 'certdesk-pfx-read-'));
  keyPath = join(dir, 'key.pem');
  const csr = execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-subj', '/CN=webext.contoso.com'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  leaf = ca.sign(csr, { sans: ['webext.contoso.com', 'meet.contoso.com'] });
  originalSpkiSha256 = sha256Hex(createPublicKey(readFileSync(keyPath)).export({ format: 'der', type: 'spki' }));
});
afterAll(() => {
  ca?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('openPfx reads what OpenSSL writes', () => {
  const kinds: [string, string, string[]][] = [
    ['OpenSSL 1.x style -legacy (RC2-40 certificates, 3DES key, SHA-1 MAC)', PASSWORD, ['-legacy']],
    ['OpenSSL 3 default (PBES2 AES-256, SHA-256 MAC)', PASSWORD, []],
    ['AES-128 key and certificates', PASSWORD, ['-keypbe', 'AES-128-CBC', '-certpbe', 'AES-128-CBC']],
    ['3DES with a SHA-1 MAC (Windows "TripleDES-SHA1")', PASSWORD, ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']],
    ['one iteration', PASSWORD, ['-iter', '1']],
    ['unencrypted certificates', PASSWORD, ['-certpbe', 'NONE']],
    ['the empty password', '', []],
    ['the empty password, legacy', '', ['-legacy']],
    ['a non-ASCII password (UTF-8 for PBES2, BMPString for the MAC)', 'Pässwörd-密碼-2024', []],
  ];
  it.each(kinds)('%s: the key, its certificate and the chain', async (_label, password, extra) => {
    const opened = await openPfx(pfxOf(`k${kinds.findIndex((k) => k[2] === extra)}`, password, extra), password);
    expect(opened.publicKeySha256).toBe(originalSpkiSha256);
    expect(opened.rsaBits).toBe(2048);
    expect(opened.leaf.der).toEqual(leaf.der);
    expect(opened.others.map((c) => c.sha256)).toEqual([sha256Hex(ca.intermediate.der)]);
    expect(opened.keyAttributes.localKeyId).toBe(opened.leafAttributes.localKeyId);
  });

  it('reads the friendly name and the CSP attribute', async () => {
    const opened = await openPfx(pfxOf('named', PASSWORD, ['-name', 'Reverse Proxy 2024 – 反向代理', '-CSP', SCHANNEL_CSP]), PASSWORD);
    expect(opened.keyAttributes.friendlyName).toBe('Reverse Proxy 2024 – 反向代理');
    expect(opened.leafAttributes.friendlyName).toBe('Reverse Proxy 2024 – 反向代理');
    expect(opened.keyAttributes.cspName).toBe(SCHANNEL_CSP);
  });

  it('reads 600,000 iterations (the most Windows accepts) without blocking the event loop', async () => {
    // Certificates unencrypted: two key derivations (key, MAC) at 600,000 are proof enough and keep CI short.
    const pfx = pfxOf('iter600k', PASSWORD, ['-iter', '600000', '-certpbe', 'NONE']);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 50);
    try {
      const opened = await openPfx(pfx, PASSWORD);
      expect(opened.publicKeySha256).toBe(originalSpkiSha256);
    } finally {
      clearInterval(timer);
    }
    // The parse runs in a worker: the main thread kept its timers running meanwhile.
    expect(ticks).toBeGreaterThan(3);
  }, 120_000);
});

describe('openPfx refuses, each with its own reason', () => {
  it('a wrong password', async () => {
    expect(await reasonOf(openPfx(pfxOf('wrong', PASSWORD, []), 'Not-The-Password-1'))).toBe('PFX_WRONG_PASSWORD');
    expect(await reasonOf(openPfx(pfxOf('wrong-legacy', PASSWORD, ['-legacy']), 'Not-The-Password-1'))).toBe('PFX_WRONG_PASSWORD');
    expect(await reasonOf(openPfx(pfxOf('wrong-empty', PASSWORD, []), ''))).toBe('PFX_WRONG_PASSWORD');
  });

  it('a damaged MAC (the password still opens the contents)', async () => {
    const pfx = Buffer.from(pfxOf('mac', PASSWORD, []));
    // PFX = SEQUENCE { version, authSafe, macData { DigestInfo { alg, OCTET STRING mac }, salt, iterations } }
    const macData = parseDer(pfx, 'pfx').children[2];
    const macValue = macData?.children[0]?.children[1];
    if (!macValue) throw new Error('no MAC in the OpenSSL file');
    const at = pfx.indexOf(Buffer.from(macValue.content));
    pfx[at] = (pfx[at] as number) ^ 0xff;
    expect(await reasonOf(openPfx(pfx, PASSWORD))).toBe('PFX_MAC_DAMAGED');
  });

  it('files that are not PKCS#12: a certificate (DER and PEM), a truncated PFX, an empty file', async () => {
    expect(await reasonOf(openPfx(leaf.der, PASSWORD))).toBe('PFX_NOT_PKCS12');
    expect(await reasonOf(openPfx(Buffer.from(leaf.pem), PASSWORD))).toBe('PFX_NOT_PKCS12');
    expect(await reasonOf(openPfx(pfxOf('cut', PASSWORD, []).subarray(0, 200), PASSWORD))).toBe('PFX_NOT_PKCS12');
    expect(await reasonOf(openPfx(new Uint8Array(0), PASSWORD))).toBe('PFX_NOT_PKCS12');
  });

  it('a PFX with certificates only', async () => {
    const out = join(dir, 'nokey.pfx');
    openssl(['pkcs12', '-export', '-nokeys', '-in', leaf.path, '-out', out, '-passout', `pass:${PASSWORD}`]);
    expect(await reasonOf(openPfx(readFileSync(out), PASSWORD))).toBe('PFX_NO_KEY');
  });

  /** A minimal PFX (plain key bags, one unencrypted safe) assembled by hand, for shapes OpenSSL will not make. */
  async function handMade(keys: string[], certs: Uint8Array[]): Promise<Uint8Array> {
    const bag = (oid: string, value: Uint8Array) => derSequence(derOid(oid), derContextConstructed(0, value));
    const pkcs8 = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const safe = derSequence(
      ...keys.map((k) => bag(PKCS12_OID.keyBag, pkcs8(k))),
      ...certs.map((c) => bag(PKCS12_OID.certBag, derSequence(derOid(PKCS12_OID.x509Certificate), derContextConstructed(0, derOctetString(c))))),
    );
    const authSafe = derSequence(derSequence(derOid(PKCS12_OID.data), derContextConstructed(0, derOctetString(safe))));
    const salt = Buffer.alloc(8, 7);
    const mac = await pfxMac('sha256', PASSWORD, salt, 2048, authSafe);
    return derSequence(
      derInteger(3),
      derSequence(derOid(PKCS12_OID.data), derContextConstructed(0, derOctetString(authSafe))),
      derSequence(derSequence(derSequence(derOid(PBE_OID.sha256), derNull()), derOctetString(mac)), derOctetString(salt), derInteger(2048)),
    );
  }

  it('a PFX with two keys, and one whose key belongs to none of its certificates', async () => {
    const key = execFileSync('openssl', ['pkey', '-in', keyPath], { encoding: 'utf8' });
    const other = execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], { encoding: 'utf8' });
    expect(await reasonOf(openPfx(await handMade([key], [leaf.der]), PASSWORD))).toBe('opened');
    expect(await reasonOf(openPfx(await handMade([key, other], [leaf.der]), PASSWORD))).toBe('PFX_SEVERAL_KEYS');
    expect(await reasonOf(openPfx(await handMade([other], [leaf.der, ca.intermediate.der]), PASSWORD))).toBe('PFX_KEY_MISMATCH');
    expect(await reasonOf(openPfx(await handMade([key], []), PASSWORD))).toBe('PFX_NO_CERTIFICATE');
  });
});

describe('verifyPfxReadBack catches what a buggy writer would get wrong', () => {
  const key = () => execFileSync('openssl', ['pkey', '-in', keyPath], { encoding: 'utf8' });
  const expected = () => ({ thumbprint: leafThumbprint(), friendlyName: 'Reverse Proxy', cspName: SCHANNEL_CSP, caSha256: [sha256Hex(ca.intermediate.der)] });
  const leafThumbprint = () => execFileSync('openssl', ['x509', '-in', leaf.path, '-noout', '-fingerprint', '-sha1'], { encoding: 'utf8' }).split('=')[1]?.replace(/[:\s]/g, '') ?? '';

  it.each(['legacy', 'modern'] as const)('%s: accepts the right file', async (profile) => {
    const pfx = await createPfx({ privateKeyPem: key(), certificate: leaf.der, caCertificates: [ca.intermediate.der], friendlyName: 'Reverse Proxy', cspName: SCHANNEL_CSP }, { profile, password: PASSWORD });
    await expect(verifyPfxReadBack(pfx, PASSWORD, expected())).resolves.toBeUndefined();
  });

  it('refuses a file with another friendly name, another CSP, a missing intermediate', async () => {
    const make = (o: { friendlyName?: string; cspName?: string; cas?: Uint8Array[] }) =>
      createPfx(
        { privateKeyPem: key(), certificate: leaf.der, caCertificates: o.cas ?? [ca.intermediate.der], friendlyName: o.friendlyName ?? 'Reverse Proxy', cspName: o.cspName ?? SCHANNEL_CSP },
        { profile: 'legacy', password: PASSWORD },
      );
    await expect(verifyPfxReadBack(await make({ friendlyName: 'Other' }), PASSWORD, expected())).rejects.toThrow(/friendly name differs/);
    await expect(verifyPfxReadBack(await make({ cspName: 'Microsoft Software Key Storage Provider' }), PASSWORD, expected())).rejects.toThrow(/CSP attribute/);
    await expect(verifyPfxReadBack(await make({ cas: [] }), PASSWORD, expected())).rejects.toThrow(/0 CA certificates, not the 1 meant/);
    await expect(verifyPfxReadBack(await make({}), 'Another-Password-9', expected())).rejects.toThrow(/does not open with its password/);
  });
});
