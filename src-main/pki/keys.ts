import { generateKeyPair, type KeyObject } from 'node:crypto';
import { CertdeskError } from '../common/errors.js';
import { KEY_SIZES, type KeySize } from '../common/requests.js';
import { toPem } from './pem.js';

/** A fresh RSA key pair in the encodings the store and the CSR builder use. */
export interface RsaKeyPair {
  /** PKCS#8 PEM ("BEGIN PRIVATE KEY"), unencrypted: the store encrypts it before it touches disk. */
  privateKeyPem: string;
  /** SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY"). */
  publicKeyPem: string;
  /** SubjectPublicKeyInfo DER: its SHA-256 is the request's publicKeySha256. */
  spkiDer: Uint8Array;
  /** The private key as OpenSSL holds it, so signing the CSR does not parse the PEM again. */
  privateKey: KeyObject;
}

/** The RSA public exponent the profile requires (F4). */
export const RSA_PUBLIC_EXPONENT = 0x10001;

/**
 * Generates an RSA key pair (2048, 3072 or 4096 bits, e = 65537) without blocking the event loop.
 *
 * `crypto.generateKeyPair` runs OpenSSL's generator on the libuv thread pool; the event loop only
 * sees the callback. Each encoding the callers need is exported once from OpenSSL's key objects:
 * no PEM is parsed back (node-forge's wrapper of the same call used to parse its PEM output into
 * JavaScript big integers and re-encode it, which cost more than a 2048-bit CSR signature).
 */
export async function generateRsaKeyPair(bits: KeySize): Promise<RsaKeyPair> {
  if (!(KEY_SIZES as readonly number[]).includes(bits)) {
    throw new CertdeskError('INVALID_INPUT', `the key size must be one of ${KEY_SIZES.join(', ')} bits`);
  }
  const { publicKey, privateKey } = await new Promise<{ publicKey: KeyObject; privateKey: KeyObject }>((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: bits, publicExponent: RSA_PUBLIC_EXPONENT }, (err, pub, priv) => {
      if (err) reject(new CertdeskError('INTERNAL', `RSA key generation failed: ${err.message}`));
      else resolve({ publicKey: pub, privateKey: priv });
    });
  });
  const spkiDer = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKeyPem: toPem(spkiDer, 'PUBLIC KEY'),
    spkiDer,
    privateKey,
  };
}
