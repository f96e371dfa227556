import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { CertdeskError, type ErrorCode } from '../common/errors.js';
import { type Certificate, parseCertificate } from './certificate.js';
import { sha256Hex } from './fingerprint.js';
import { MAX_INPUT_BYTES } from './pem.js';
import { type ForgeBagAttributes, parsePfxWithForge } from './pfx-forge-worker.js';

/**
 * Opens any PFX (PKCS#12) file with node-forge, an implementation independent of the one Certdesk
 * writes with (pkcs12.ts on node:crypto): RC2-40 certificate bags (OpenSSL's -legacy), 3DES,
 * PBES2/AES-128/192/256, SHA-1/SHA-256/384/512 MACs, any iteration count, the empty password.
 * Used to adopt a PFX made elsewhere and to read back every PFX Certdesk writes.
 */

/** Why a PFX could not be opened: stable reasons the UI and scripts branch on. */
export const PFX_READ_REASONS = {
  PFX_NOT_PKCS12: 'PARSE_ERROR',
  PFX_UNSUPPORTED: 'PARSE_ERROR',
  PFX_WRONG_PASSWORD: 'INVALID_INPUT',
  PFX_MAC_DAMAGED: 'PARSE_ERROR',
  PFX_NO_KEY: 'INVALID_INPUT',
  PFX_SEVERAL_KEYS: 'INVALID_INPUT',
  PFX_NO_CERTIFICATE: 'INVALID_INPUT',
  PFX_KEY_MISMATCH: 'MISMATCH',
} as const satisfies Record<string, ErrorCode>;
/** One stable reason a PFX is refused. */
export type PfxReadReason = keyof typeof PFX_READ_REASONS;

/** A CertdeskError whose `reason` says exactly what is wrong with the PFX. */
export class PfxReadError extends CertdeskError {
  constructor(reason: PfxReadReason, message: string) {
    super(PFX_READ_REASONS[reason], message, [], reason);
  }
}

/** Bag attributes as Windows reads them (the first value of each). */
export interface PfxAttributes {
  friendlyName: string | null;
  /** Lowercase hex. */
  localKeyId: string | null;
  cspName: string | null;
}

/** A PFX opened and checked: exactly one key, and the certificate that key belongs to. */
export interface OpenedPfx {
  /** PKCS#8 PEM. Key material: never log it, never hand it to a renderer. */
  privateKeyPem: string;
  /** SHA-256 of the key's SubjectPublicKeyInfo DER, lowercase hex. */
  publicKeySha256: string;
  /** RSA modulus length in bits, or null for another key type. */
  rsaBits: number | null;
  keyType: string;
  keyAttributes: PfxAttributes;
  /** The certificate of the key. */
  leaf: Certificate;
  leafAttributes: PfxAttributes;
  /** Every other certificate of the file, in file order (the chain, usually). */
  others: Certificate[];
  /** Whether the empty password was the empty text (OpenSSL) or no password at all (some Windows exports). */
  passwordForm: 'text' | 'empty' | 'absent';
}

function first(attrs: ForgeBagAttributes): PfxAttributes {
  return { friendlyName: attrs.friendlyName[0] ?? null, localKeyId: attrs.localKeyId[0] ?? null, cspName: attrs.cspName[0] ?? null };
}

function keyOf(pkcs8Der: Uint8Array): KeyObject {
  try {
    return createPrivateKey({ key: Buffer.from(pkcs8Der), format: 'der', type: 'pkcs8' });
  } catch {
    throw new PfxReadError('PFX_UNSUPPORTED', 'the PFX holds a private key that cannot be read');
  }
}

/** Total length the outer DER header declares, or null for BER's indefinite length (some Java tools write it). */
function outerLength(der: Uint8Array): number | null {
  const first = der[1] ?? 0;
  if (first === 0x80) return null;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n > 4 || der.length < 2 + n) return -1;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + (der[2 + i] as number);
  return 2 + n + len;
}

/**
 * Opens `pfx` with `password` ('' is the empty password: tried as empty text, then as no password).
 * Throws a PfxReadError for each way a file can be unusable, one line each, never with key material.
 */
export async function openPfx(pfx: Uint8Array, password: string): Promise<OpenedPfx> {
  if (pfx.length === 0) throw new PfxReadError('PFX_NOT_PKCS12', 'the file is empty, not a PFX');
  if (pfx.length > MAX_INPUT_BYTES) throw new PfxReadError('PFX_NOT_PKCS12', `the file is too large for a PFX (${Math.ceil(pfx.length / 1024)} KiB)`);
  // A PFX is a DER SEQUENCE; PEM text, a CSR or a certificate say so before any key derivation runs.
  if (pfx[0] !== 0x30) throw new PfxReadError('PFX_NOT_PKCS12', 'the file is not a PFX (PKCS#12): it does not start like one');
  const declared = outerLength(pfx);
  if (declared !== null && declared !== pfx.length) throw new PfxReadError('PFX_NOT_PKCS12', 'the file is not a complete PFX (PKCS#12): it is cut short or has bytes after its end');
  const outcome = await parsePfxWithForge(pfx, password);
  if (!outcome.ok) {
    const { kind, message } = outcome.failure;
    if (kind === 'mac') throw new PfxReadError('PFX_WRONG_PASSWORD', 'the PFX password is wrong');
    if (kind === 'mac-damaged') throw new PfxReadError('PFX_MAC_DAMAGED', 'the PFX is damaged: its integrity check (MAC) fails although the password opens it');
    if (kind === 'decrypt') throw new PfxReadError('PFX_WRONG_PASSWORD', 'the PFX password is wrong (its contents do not decrypt)');
    if (/PKCS#12 PFX|Too few bytes|Unparsed DER|ASN\.1/i.test(message)) throw new PfxReadError('PFX_NOT_PKCS12', 'the file is not a PFX (PKCS#12)');
    throw new PfxReadError('PFX_UNSUPPORTED', `the PFX cannot be read: ${message.split('\n')[0]?.slice(0, 200) ?? 'unknown problem'}`);
  }
  const { keys, certificates, passwordForm } = outcome.value;
  if (keys.length === 0) throw new PfxReadError('PFX_NO_KEY', 'the PFX holds no private key (only certificates): export it again with its private key');
  if (keys.length > 1) throw new PfxReadError('PFX_SEVERAL_KEYS', `the PFX holds ${keys.length} private keys; Certdesk takes a PFX with exactly one`);
  const key = keys[0] as (typeof keys)[number];
  if (certificates.length === 0) throw new PfxReadError('PFX_NO_CERTIFICATE', 'the PFX holds a private key but no certificate');
  const keyObject = keyOf(key.pkcs8Der);
  const spki = createPublicKey(keyObject).export({ format: 'der', type: 'spki' });
  const publicKeySha256 = sha256Hex(spki);
  const parsed = certificates.map((c) => ({ certificate: parseCertificate(c.der), attributes: first(c.attributes) }));
  const match = parsed.find((c) => c.certificate.publicKeySha256 === publicKeySha256);
  if (!match) {
    const subjects = parsed.map((c) => c.certificate.subject).join('; ');
    throw new PfxReadError('PFX_KEY_MISMATCH', `the private key in the PFX belongs to none of its certificates (${subjects})`);
  }
  const details = keyObject.asymmetricKeyDetails;
  return {
    privateKeyPem: keyObject.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeySha256,
    rsaBits: keyObject.asymmetricKeyType === 'rsa' ? (details?.modulusLength ?? null) : null,
    keyType: keyObject.asymmetricKeyType ?? 'unknown',
    keyAttributes: first(key.attributes),
    leaf: match.certificate,
    leafAttributes: match.attributes,
    others: parsed.filter((c) => c !== match).map((c) => c.certificate),
    passwordForm,
  };
}

/** What a PFX Certdesk just wrote must hold. */
export interface ExpectedPfx {
  /** SHA-1 thumbprint of the leaf, uppercase hex. */
  thumbprint: string;
  friendlyName: string;
  cspName: string;
  /** SHA-256 of every CA certificate after the leaf, in order. */
  caSha256: readonly string[];
}

/**
 * Reads back a PFX Certdesk wrote, with forge rather than the code that wrote it (a bug there must
 * not be able to hide itself): one key matching the leaf, the friendly name on key and leaf, the
 * CSP attribute on the key, and exactly the chain that was meant to go in. INTERNAL on any
 * difference: it means Certdesk built a wrong file.
 */
export async function verifyPfxReadBack(pfx: Uint8Array, password: string, expected: ExpectedPfx): Promise<void> {
  let opened: OpenedPfx;
  try {
    opened = await openPfx(pfx, password);
  } catch (e) {
    throw new CertdeskError('INTERNAL', `the PFX just built does not open with its password in an independent reader: ${e instanceof Error ? e.message : String(e)}`);
  }
  const problems: string[] = [];
  if (opened.leaf.sha1Thumbprint !== expected.thumbprint) problems.push(`its key belongs to certificate ${opened.leaf.sha1Thumbprint}, not ${expected.thumbprint}`);
  if (opened.keyAttributes.friendlyName !== expected.friendlyName || opened.leafAttributes.friendlyName !== expected.friendlyName) problems.push('the friendly name differs');
  if (opened.keyAttributes.cspName !== expected.cspName) problems.push('the key lacks the CSP attribute');
  if (opened.keyAttributes.localKeyId === null || opened.keyAttributes.localKeyId !== opened.leafAttributes.localKeyId) problems.push('key and certificate are not linked by a localKeyID');
  const chain = opened.others.map((c) => c.sha256);
  if (chain.length !== expected.caSha256.length || chain.some((h, i) => h !== expected.caSha256[i])) problems.push(`it holds ${chain.length} CA certificates, not the ${expected.caSha256.length} meant`);
  if (problems.length > 0) throw new CertdeskError('INTERNAL', `the PFX just built reads back wrong: ${problems.join('; ')}`);
}
