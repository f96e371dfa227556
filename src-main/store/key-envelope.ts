import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CertdeskError } from '../common/errors.js';

/** The store key is AES-256: 32 random bytes. */
export const STORE_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * key.enc: a small JSON envelope so a future format can be told apart. The request id is the
 * associated data, so a key file copied onto another request fails authentication instead of
 * silently pairing a key with the wrong CSR.
 */
interface KeyEnvelopeV1 {
  format: 'certdesk-private-key';
  version: 1;
  cipher: 'aes-256-gcm';
  aad: 'request-id';
  iv: string;
  tag: string;
  ciphertext: string;
}

/** Encrypts a PKCS#8 PEM private key for request `requestId`; returns the key.enc bytes. */
export function sealPrivateKey(storeKey: Buffer, requestId: string, privateKeyPem: string): Buffer {
  if (storeKey.length !== STORE_KEY_BYTES) throw new CertdeskError('INTERNAL', 'the store key has the wrong length');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', storeKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(requestId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(privateKeyPem, 'utf8'), cipher.final()]);
  const envelope: KeyEnvelopeV1 = {
    format: 'certdesk-private-key',
    version: 1,
    cipher: 'aes-256-gcm',
    aad: 'request-id',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
  return Buffer.from(`${JSON.stringify(envelope)}\n`, 'utf8');
}

function corrupt(requestId: string, why: string): CertdeskError {
  return new CertdeskError('STORE_CORRUPT', `the private key of request ${requestId} cannot be read: ${why}`);
}

function b64(value: unknown, length: number | null): Buffer | null {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return null;
  const buf = Buffer.from(value, 'base64');
  return length === null || buf.length === length ? buf : null;
}

/** Decrypts key.enc bytes for `requestId`; STORE_CORRUPT when the file is damaged, moved or the key is wrong. */
export function openPrivateKey(storeKey: Buffer, requestId: string, data: Uint8Array): string {
  let env: Partial<Record<keyof KeyEnvelopeV1, unknown>>;
  try {
    env = JSON.parse(Buffer.from(data).toString('utf8')) as typeof env;
  } catch {
    throw corrupt(requestId, 'key.enc is not a Certdesk key envelope');
  }
  if (env === null || typeof env !== 'object' || env.format !== 'certdesk-private-key') {
    throw corrupt(requestId, 'key.enc is not a Certdesk key envelope');
  }
  if (env.version !== 1 || env.cipher !== 'aes-256-gcm') {
    throw corrupt(requestId, `key.enc has an unknown format version (${String(env.version)}); a newer Certdesk wrote it`);
  }
  const iv = b64(env.iv, IV_BYTES);
  const tag = b64(env.tag, TAG_BYTES);
  const ciphertext = b64(env.ciphertext, null);
  if (!iv || !tag || !ciphertext) throw corrupt(requestId, 'key.enc is damaged');
  try {
    const decipher = createDecipheriv('aes-256-gcm', storeKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(requestId, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    // GCM does not say which: a changed byte, a file from another request, or another store's key.
    throw corrupt(requestId, 'key.enc failed its integrity check (damaged, copied from another request, or encrypted under a different store key)');
  }
}
