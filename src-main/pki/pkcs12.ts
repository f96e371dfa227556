import { createPrivateKey } from 'node:crypto';
import { CertdeskError } from '../common/errors.js';
import { PFX_PROFILE_INFO, type PfxProfile } from '../common/exports.js';
import { derContextConstructed, derContextPrimitive, derInteger, derNull, derOctetString, derOid, derSequence, derSet, derBmpString } from './der-encode.js';
import { sha1Hex } from './fingerprint.js';
import { PBE_OID, cbc, pbeSha1TripleDes, pbkdf2Async, pfxMac, random } from './pkcs12-crypto.js';

/**
 * Builds PFX (PKCS#12) files for Windows on node:crypto, both profiles of docs/pki.md section 4:
 *
 * - legacy: key bag and certificate safe under pbeWithSHAAnd3-KeyTripleDES-CBC, HMAC-SHA1 MAC,
 *   2048 iterations. Certificates are 3DES-encrypted too: that is exactly the "TripleDES-SHA1" file
 *   Windows itself exports and Microsoft tells admins to use for systems before Server 2019, so
 *   CryptoAPI on Server 2008 R2 (TMG 2010) walks a path it is known to handle.
 * - modern: PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) for key and certificates, HMAC-SHA256 MAC,
 *   10,000 iterations by default: what Windows Server 2019+ and OpenSSL 3 write.
 *
 * node-forge is not used: its toPkcs12Asn1 cannot make the modern profile and runs its KDFs in pure
 * JavaScript on the main thread.
 */

/** OIDs of the PKCS#12 structure. */
export const PKCS12_OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  msCspName: '1.3.6.1.4.1.311.17.1',
} as const;

/** The legacy CAPI provider Lync/Skype and Exchange 2013 need (they reject CNG keys). */
export const SCHANNEL_CSP = 'Microsoft RSA SChannel Cryptographic Provider';

/** What goes into a PFX. */
export interface PfxContent {
  /** PKCS#8 PEM (as the store returns it) of the key matching `certificate`. */
  privateKeyPem: string;
  /** The leaf certificate, DER. */
  certificate: Uint8Array;
  /** CA certificates to add after the leaf (intermediates, and the root when asked), DER. */
  caCertificates: readonly Uint8Array[];
  /** friendlyName on key and leaf; Windows also names the key container after it. */
  friendlyName: string;
  /** CSP to import the key into (attribute 1.3.6.1.4.1.311.17.1); default the SChannel CSP. */
  cspName?: string;
}

/** How to protect it. */
export interface PfxProtection {
  profile: PfxProfile;
  /** Printable ASCII (checked by pfx-password.ts before it gets here). */
  password: string;
  /** Default: the profile's; must lie in the profile's range. */
  iterations?: number;
}

/** Checks the iteration count against the profile's range (Windows refuses more than 600,000). */
export function resolveIterations(profile: PfxProfile, iterations: number | undefined): number {
  const info = PFX_PROFILE_INFO[profile];
  const n = iterations ?? info.defaultIterations;
  if (!Number.isSafeInteger(n) || n < info.minIterations || n > info.maxIterations) {
    throw new CertdeskError('INVALID_INPUT', `the ${profile} profile takes ${info.minIterations}-${info.maxIterations} iterations, not ${String(n)}`);
  }
  return n;
}

function attribute(oid: string, value: Uint8Array): Uint8Array {
  return derSequence(derOid(oid), derSet(value));
}

function safeBag(oid: string, value: Uint8Array, attributes: Uint8Array[]): Uint8Array {
  return derSequence(derOid(oid), derContextConstructed(0, value), ...(attributes.length > 0 ? [derSet(...attributes)] : []));
}

function contentInfoData(content: Uint8Array): Uint8Array {
  return derSequence(derOid(PKCS12_OID.data), derContextConstructed(0, derOctetString(content)));
}

/** Encrypts `plain` for the profile; returns the AlgorithmIdentifier and the ciphertext. */
async function encrypt(protection: Required<PfxProtection>, plain: Uint8Array): Promise<{ algorithm: Uint8Array; ciphertext: Uint8Array }> {
  if (protection.profile === 'legacy') {
    const salt = random(8);
    const ciphertext = await pbeSha1TripleDes('encrypt', protection.password, salt, protection.iterations, plain);
    return { algorithm: derSequence(derOid(PBE_OID.sha1And3DesCbc), derSequence(derOctetString(salt), derInteger(protection.iterations))), ciphertext };
  }
  const salt = random(16);
  const iv = random(16);
  // PBES2 takes the password as raw bytes (UTF-8), unlike the BMPString of the appendix-B KDF.
  const key = await pbkdf2Async(Buffer.from(protection.password, 'utf8'), salt, protection.iterations, 32, 'sha256');
  const ciphertext = cbc('encrypt', 'aes-256-cbc', key, iv, plain);
  const kdf = derSequence(
    derOid(PBE_OID.pbkdf2),
    derSequence(derOctetString(salt), derInteger(protection.iterations), derSequence(derOid(PBE_OID.hmacWithSha256), derNull())),
  );
  const scheme = derSequence(derOid(PBE_OID.aes256Cbc), derOctetString(iv));
  return { algorithm: derSequence(derOid(PBE_OID.pbes2), derSequence(kdf, scheme)), ciphertext };
}

/** The SHA-1 of the leaf DER: Windows' own localKeyID choice, unique per certificate. */
export function localKeyIdFor(certificate: Uint8Array): Uint8Array {
  return Buffer.from(sha1Hex(certificate), 'hex');
}

/** Builds a PFX. Async and yielding: the KDFs never hold the event loop for more than a few ms. */
export async function createPfx(content: PfxContent, protection: PfxProtection): Promise<Uint8Array> {
  const p: Required<PfxProtection> = { ...protection, iterations: resolveIterations(protection.profile, protection.iterations) };
  let pkcs8: Buffer;
  try {
    pkcs8 = createPrivateKey(content.privateKeyPem).export({ format: 'der', type: 'pkcs8' });
  } catch {
    throw new CertdeskError('INVALID_INPUT', 'the private key could not be read');
  }
  const localKeyId = derOctetString(localKeyIdFor(content.certificate));
  const friendlyName = derBmpString(content.friendlyName);

  const keyEnc = await encrypt(p, pkcs8);
  const keyBag = safeBag(PKCS12_OID.pkcs8ShroudedKeyBag, derSequence(keyEnc.algorithm, derOctetString(keyEnc.ciphertext)), [
    attribute(PKCS12_OID.localKeyId, localKeyId),
    attribute(PKCS12_OID.friendlyName, friendlyName),
    attribute(PKCS12_OID.msCspName, derBmpString(content.cspName ?? SCHANNEL_CSP)),
  ]);

  const certBag = (der: Uint8Array, attrs: Uint8Array[]): Uint8Array =>
    safeBag(PKCS12_OID.certBag, derSequence(derOid(PKCS12_OID.x509Certificate), derContextConstructed(0, derOctetString(der))), attrs);
  const certSafe = derSequence(
    certBag(content.certificate, [attribute(PKCS12_OID.localKeyId, localKeyId), attribute(PKCS12_OID.friendlyName, friendlyName)]),
    ...content.caCertificates.map((c) => certBag(c, [])),
  );
  const certEnc = await encrypt(p, certSafe);
  const encryptedData = derSequence(
    derInteger(0),
    derSequence(derOid(PKCS12_OID.data), certEnc.algorithm, derContextPrimitive(0, certEnc.ciphertext)),
  );

  // Key first, then certificates: the order Windows' own export uses.
  const authSafe = derSequence(contentInfoData(derSequence(keyBag)), derSequence(derOid(PKCS12_OID.encryptedData), derContextConstructed(0, encryptedData)));
  const digest = p.profile === 'legacy' ? 'sha1' : 'sha256';
  const macSalt = random(p.profile === 'legacy' ? 8 : 16);
  const mac = await pfxMac(digest, p.password, macSalt, p.iterations, authSafe);
  const macData = derSequence(
    derSequence(derSequence(derOid(digest === 'sha1' ? PBE_OID.sha1 : PBE_OID.sha256), derNull()), derOctetString(mac)),
    derOctetString(macSalt),
    derInteger(p.iterations),
  );
  return derSequence(derInteger(3), contentInfoData(authSafe), macData);
}
