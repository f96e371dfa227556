import { createCipheriv, createDecipheriv, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { CertdeskError } from '../common/errors.js';
import { deriveOnWorker } from './pkcs12-kdf-worker.js';

/**
 * The cryptography of PKCS#12 (RFC 7292) on node:crypto: the PKCS#12 key derivation (appendix B) for
 * the legacy PBE and the MAC, PBES2 with native async PBKDF2, and 3DES/AES through OpenSSL. Nothing
 * here blocks the event loop: PBKDF2 runs on libuv's thread pool and the appendix-B loop on worker
 * threads, so a PFX with 600,000 iterations keeps the app responsive.
 */

/** OIDs of the PKCS#12 and PKCS#5 algorithms Certdesk writes and reads. */
export const PBE_OID = {
  sha1And3DesCbc: '1.2.840.113549.1.12.1.3',
  sha1And40BitRc2: '1.2.840.113549.1.12.1.6',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSha1: '1.2.840.113549.2.7',
  hmacWithSha256: '1.2.840.113549.2.9',
  hmacWithSha384: '1.2.840.113549.2.10',
  hmacWithSha512: '1.2.840.113549.2.11',
  aes128Cbc: '2.16.840.1.101.3.4.1.2',
  aes192Cbc: '2.16.840.1.101.3.4.1.22',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  desEde3Cbc: '1.2.840.113549.3.7',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
} as const;

/** Digests the PKCS#12 KDF and MAC use. */
export type Pkcs12Digest = 'sha1' | 'sha256' | 'sha384' | 'sha512';

const DIGEST_SIZES: Record<Pkcs12Digest, { u: number; v: number }> = {
  sha1: { u: 20, v: 64 },
  sha256: { u: 32, v: 64 },
  sha384: { u: 48, v: 128 },
  sha512: { u: 64, v: 128 },
};

/** The password as PKCS#12's KDF wants it: BMPString (UTF-16BE) with a two-byte terminator. */
export function bmpPassword(password: string): Buffer {
  const out = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), 2 * i);
  return out;
}

/**
 * RFC 7292 appendix B.2: derives `n` bytes for purpose `id` (1 key, 2 IV, 3 MAC key) from a
 * BMPString password and a salt, on a worker thread (pkcs12-kdf-worker.ts).
 */
export function pkcs12Kdf(digest: Pkcs12Digest, password: Uint8Array, salt: Uint8Array, id: 1 | 2 | 3, iterations: number, n: number): Promise<Buffer> {
  const { u, v } = DIGEST_SIZES[digest];
  return deriveOnWorker({ digest, u, v, password, salt, purpose: id, iterations, n });
}

/** Native PBKDF2 on the thread pool. */
export function pbkdf2Async(password: Uint8Array, salt: Uint8Array, iterations: number, keyLength: number, digest: Pkcs12Digest): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, keyLength, digest, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Cipher names node:crypto knows for the PBES2 encryption-scheme OIDs, with key and IV sizes. */
export const PBES2_CIPHERS: Readonly<Record<string, { name: string; keyLength: number; ivLength: number }>> = {
  [PBE_OID.aes128Cbc]: { name: 'aes-128-cbc', keyLength: 16, ivLength: 16 },
  [PBE_OID.aes192Cbc]: { name: 'aes-192-cbc', keyLength: 24, ivLength: 16 },
  [PBE_OID.aes256Cbc]: { name: 'aes-256-cbc', keyLength: 32, ivLength: 16 },
  [PBE_OID.desEde3Cbc]: { name: 'des-ede3-cbc', keyLength: 24, ivLength: 8 },
};

/** PBKDF2 PRF OIDs and their digests. */
export const PBKDF2_PRFS: Readonly<Record<string, Pkcs12Digest>> = {
  [PBE_OID.hmacWithSha1]: 'sha1',
  [PBE_OID.hmacWithSha256]: 'sha256',
  [PBE_OID.hmacWithSha384]: 'sha384',
  [PBE_OID.hmacWithSha512]: 'sha512',
};

/** Encrypts or decrypts with a block cipher in CBC mode (PKCS#7 padding). */
export function cbc(mode: 'encrypt' | 'decrypt', cipher: string, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  if (mode === 'encrypt') {
    const c = createCipheriv(cipher, key, iv);
    return Buffer.concat([c.update(data), c.final()]);
  }
  try {
    const d = createDecipheriv(cipher, key, iv);
    return Buffer.concat([d.update(data), d.final()]);
  } catch {
    // Bad padding: a wrong password, or a damaged file. Never echo anything derived from the key.
    throw new CertdeskError('INVALID_INPUT', 'the PFX could not be decrypted: wrong password or damaged file');
  }
}

/** pbeWithSHAAnd3-KeyTripleDES-CBC (RFC 7292 appendix C): key and IV from the appendix-B KDF. */
export async function pbeSha1TripleDes(mode: 'encrypt' | 'decrypt', password: string, salt: Uint8Array, iterations: number, data: Uint8Array): Promise<Buffer> {
  const pw = bmpPassword(password);
  // Key and IV are independent derivations: on two workers they take the time of one.
  const [key, iv] = await Promise.all([pkcs12Kdf('sha1', pw, salt, 1, iterations, 24), pkcs12Kdf('sha1', pw, salt, 2, iterations, 8)]);
  return cbc(mode, 'des-ede3-cbc', key, iv, data);
}

/** The PFX MAC: HMAC over the authenticated safe with a key from the appendix-B KDF (id 3). */
export async function pfxMac(digest: Pkcs12Digest, password: string, salt: Uint8Array, iterations: number, data: Uint8Array): Promise<Buffer> {
  const key = await pkcs12Kdf(digest, bmpPassword(password), salt, 3, iterations, DIGEST_SIZES[digest].u);
  return createHmac(digest, key).update(data).digest();
}

/** Constant-time comparison of a computed and a stored MAC. */
export function macEquals(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Fresh random bytes for salts and IVs. */
export function random(n: number): Buffer {
  return randomBytes(n);
}
