import { createPrivateKey, createPublicKey } from 'node:crypto';
import forge from 'node-forge';
import { CertdeskError } from '../common/errors.js';
import { KEY_SIZES, type KeySize } from '../common/requests.js';

/** A fresh RSA key pair in the encodings the store and the CSR builder use. */
export interface RsaKeyPair {
  /** PKCS#8 PEM ("BEGIN PRIVATE KEY"), unencrypted: the store encrypts it before it touches disk. */
  privateKeyPem: string;
  /** SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY"). */
  publicKeyPem: string;
  /** SubjectPublicKeyInfo DER: its SHA-256 is the request's publicKeySha256. */
  spkiDer: Uint8Array;
}

// forge.options exists at runtime (lib/forge.js) but @types/node-forge does not declare it.
interface ForgeOptions {
  options: { usePureJavaScript: boolean };
}

/** The RSA public exponent the profile requires (F4). */
export const RSA_PUBLIC_EXPONENT = 0x10001;

/**
 * Generates an RSA key pair (2048, 3072 or 4096 bits, e = 65537) without blocking the event loop.
 *
 * node-forge's `pki.rsa.generateKeyPair` with a callback (and without `prng` or usePureJavaScript)
 * hands the work to Node's `crypto.generateKeyPair`, which runs on the libuv thread pool; forge only
 * parses the PEM result afterwards (a few milliseconds). Without a callback it would block, and in
 * pure JavaScript it would take seconds, so both are avoided here.
 */
export async function generateRsaKeyPair(bits: KeySize): Promise<RsaKeyPair> {
  if (!(KEY_SIZES as readonly number[]).includes(bits)) {
    throw new CertdeskError('INVALID_INPUT', `the key size must be one of ${KEY_SIZES.join(', ')} bits`);
  }
  if ((forge as unknown as ForgeOptions).options.usePureJavaScript) {
    // A global switch someone flipped (the bench does, briefly): never fall back to seconds of pure JS.
    throw new CertdeskError('INTERNAL', 'node-forge is set to pure JavaScript; native key generation is required');
  }
  const pair = await new Promise<forge.pki.rsa.KeyPair>((resolve, reject) => {
    forge.pki.rsa.generateKeyPair({ bits, e: RSA_PUBLIC_EXPONENT }, (err, keypair) => {
      if (err) reject(new CertdeskError('INTERNAL', `RSA key generation failed: ${err.message}`));
      else resolve(keypair);
    });
  });
  // Re-encode through OpenSSL so the PEM is canonical (LF line ends) and the key is checked once more.
  const pkcs1Der = forge.asn1.toDer(forge.pki.privateKeyToAsn1(pair.privateKey)).getBytes();
  const privateKey = createPrivateKey({ key: Buffer.from(pkcs1Der, 'binary'), format: 'der', type: 'pkcs1' });
  const details = privateKey.asymmetricKeyDetails;
  if (privateKey.asymmetricKeyType !== 'rsa' || details?.modulusLength !== bits || details.publicExponent !== BigInt(RSA_PUBLIC_EXPONENT)) {
    throw new CertdeskError('INTERNAL', 'the generated key does not have the requested size and exponent');
  }
  const publicKey = createPublicKey(privateKey);
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    spkiDer: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
  };
}
