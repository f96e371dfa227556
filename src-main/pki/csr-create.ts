import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { CertdeskError } from '../common/errors.js';
import type { SubjectFields } from '../common/requests.js';
import {
  concatBytes,
  derBitString,
  derBmpString,
  derBoolean,
  derContextConstructed,
  derContextPrimitive,
  derInteger,
  derNull,
  derOctetString,
  derOid,
  derPrintableString,
  derSequence,
  derSet,
  derUtf8String,
  sortSetOf,
} from './der-encode.js';
import { OID } from './oids.js';
import { toPem } from './pem.js';

/** What goes into a request: the subject, the dNSName SANs and whether to add Microsoft's CSP attribute. */
export interface CsrSpec {
  subject: SubjectFields;
  /** dNSName SANs as A-labels; the caller puts the CN in (checkNameSet does). */
  sans: string[];
  /** Adds the enrollment CSP attribute (KeySpec 1 = Exchange, SChannel CSP), as the MMC does. */
  windowsAttributes: boolean;
}

/** The legacy CAPI provider Lync/Skype for Business servers need the key in (pki.md section 4). */
export const SCHANNEL_CSP_NAME = 'Microsoft RSA SChannel Cryptographic Provider';
/** AT_KEYEXCHANGE: the MMC's key type "Exchange". */
export const KEYSPEC_EXCHANGE = 1;

/** PEM label RFC 7468 gives a PKCS#10 request (Windows writes "NEW CERTIFICATE REQUEST"; we read both). */
export const CSR_PEM_LABEL = 'CERTIFICATE REQUEST';

// X.520 upper bounds (RFC 5280 appendix A): CAs reject longer values.
const LIMITS: Record<Exclude<keyof SubjectFields, 'country'>, [label: string, max: number]> = {
  commonName: ['subject CN', 64],
  organization: ['organization (O)', 64],
  organizationalUnit: ['organizational unit (OU)', 64],
  locality: ['locality (L)', 128],
  state: ['state or province (ST)', 128],
};

function invalid(message: string): never {
  throw new CertdeskError('INVALID_INPUT', message);
}

/**
 * Trims every subject field, drops empty optional ones, upper-cases the country and checks the
 * X.520 lengths, control characters and the two-letter country code.
 */
export function normalizeSubject(subject: SubjectFields): SubjectFields {
  const out: SubjectFields = { commonName: '' };
  for (const key of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
    const raw = subject[key];
    if (raw === undefined) continue;
    if (typeof raw !== 'string') invalid(`the ${LIMITS[key][0]} must be text`);
    const v = raw.trim();
    const [label, max] = LIMITS[key];
    if (v.length === 0) {
      if (key === 'commonName') invalid('the subject CN is empty');
      continue;
    }
    if ([...v].length > max) invalid(`the ${label} is longer than ${max} characters`);
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    if (/[\u0000-\u001f\u007f-\u009f]/.test(v)) invalid(`the ${label} contains a control character`);
    out[key] = v;
  }
  if (subject.country !== undefined) {
    const c = String(subject.country).trim();
    if (c.length > 0) {
      if (!/^[A-Za-z]{2}$/.test(c)) invalid('the country (C) must be a two-letter code such as US or DE');
      out.country = c.toUpperCase();
    }
  }
  return out;
}

// A dNSName is IA5 (ASCII): internationalized names must arrive as A-labels.
const DNS_CHARS = /^[A-Za-z0-9*._-]+$/;

function checkSans(input: unknown, commonName: string): string[] {
  // Typed callers can't pass a non-array, but IPC and JSON inputs are not typed callers.
  const sans: unknown[] = Array.isArray(input) ? (input as unknown[]) : [];
  if (sans.length === 0) invalid('a request needs at least one subject alternative name');
  const seen = new Set<string>();
  for (const san of sans) {
    if (typeof san !== 'string' || san.length === 0) invalid('a subject alternative name is empty');
    if (san.length > 253) invalid(`the subject alternative name "${san.slice(0, 40)}..." is longer than 253 characters`);
    if (!DNS_CHARS.test(san)) invalid(`the subject alternative name "${san}" is not an ASCII DNS name (internationalized names must be given as A-labels)`);
    const folded = san.toLowerCase();
    if (seen.has(folded)) invalid(`the subject alternative name "${san}" is listed twice`);
    seen.add(folded);
  }
  // The procedure: "the subject name must also be a SAN" (clients ignore the CN when SANs exist).
  if (!seen.has(commonName.toLowerCase())) invalid(`the subject CN "${commonName}" must also be one of the subject alternative names`);
  return sans as string[];
}

function rdn(oid: string, value: Uint8Array): Uint8Array {
  return derSet(derSequence(derOid(oid), value));
}

/** Encoding order C, ST, L, O, OU, CN: what OpenSSL and certreq write (printed reversed, CN first). */
function encodeSubject(s: SubjectFields): Uint8Array {
  const rdns: Uint8Array[] = [];
  // RFC 5280: countryName is a PrintableString; other attributes are UTF8String.
  if (s.country) rdns.push(rdn(OID.countryName, derPrintableString(s.country)));
  if (s.state) rdns.push(rdn(OID.stateOrProvinceName, derUtf8String(s.state)));
  if (s.locality) rdns.push(rdn(OID.localityName, derUtf8String(s.locality)));
  if (s.organization) rdns.push(rdn(OID.organizationName, derUtf8String(s.organization)));
  if (s.organizationalUnit) rdns.push(rdn(OID.organizationalUnitName, derUtf8String(s.organizationalUnit)));
  rdns.push(rdn(OID.commonName, derUtf8String(s.commonName)));
  return derSequence(...rdns);
}

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? derSequence(derOid(oid), derBoolean(true), derOctetString(value)) : derSequence(derOid(oid), derOctetString(value));
}

/** The profile's requested extensions: SAN, KU (critical), EKU (not critical). */
function encodeExtensions(sans: readonly string[]): Uint8Array {
  const enc = new TextEncoder();
  const san = derSequence(...sans.map((n) => derContextPrimitive(2, enc.encode(n))));
  // digitalSignature (bit 0) + keyEncipherment (bit 2) = 0b1010_0000; DER drops the 5 trailing zero bits.
  const keyUsage = derBitString(Uint8Array.of(0xa0), 5);
  const eku = derSequence(derOid(OID.serverAuth), derOid(OID.clientAuth));
  return derSequence(extension(OID.subjectAltName, false, san), extension(OID.keyUsage, true, keyUsage), extension(OID.extKeyUsage, false, eku));
}

/** MS-WCCE 2.2.2.7.1: SEQUENCE { KeySpec INTEGER, CSP name BMPString, signature BIT STRING (empty) }. */
function encodeEnrollmentCsp(): Uint8Array {
  return derSequence(derInteger(KEYSPEC_EXCHANGE), derBmpString(SCHANNEL_CSP_NAME), derBitString(new Uint8Array(0)));
}

function attribute(oid: string, value: Uint8Array): Uint8Array {
  return derSequence(derOid(oid), derSet(value));
}

function readRsaKey(privateKey: string | KeyObject): { key: KeyObject; spkiDer: Uint8Array } {
  let key: KeyObject;
  try {
    key = typeof privateKey === 'string' ? createPrivateKey({ key: privateKey, format: 'pem' }) : privateKey;
  } catch {
    // The message from OpenSSL could quote the input; say only what is wrong.
    return invalid('the private key could not be read (expected an unencrypted PKCS#8 PEM RSA key)');
  }
  if (key.asymmetricKeyType !== 'rsa') invalid('the private key is not an RSA key (the reverse-proxy profile needs RSA)');
  return { key, spkiDer: new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' })) };
}

/**
 * Creates a PKCS#10 request exactly to the reverse-proxy profile (pki.md section 1): subject CN
 * (+ O, OU, L, ST, C), dNSName SANs, KU digitalSignature+keyEncipherment critical, EKU serverAuth+
 * clientAuth not critical, optionally the enrollment CSP attribute, signed sha256WithRSAEncryption.
 * Throws INVALID_INPUT for a bad subject, SAN list or key. The key is an unencrypted PKCS#8 PEM, or
 * the KeyObject generateRsaKeyPair returns (so a new request's key is not parsed twice).
 */
export function createCsr(spec: CsrSpec, privateKey: string | KeyObject): { der: Uint8Array; pem: string } {
  const subject = normalizeSubject(spec.subject);
  const sans = checkSans(spec.sans, subject.commonName);
  const { key, spkiDer } = readRsaKey(privateKey);
  const attributes = [attribute(OID.extensionRequest, encodeExtensions(sans))];
  if (spec.windowsAttributes) attributes.push(attribute(OID.msEnrollmentCsp, encodeEnrollmentCsp()));
  const info = derSequence(
    derInteger(0), // version v1
    encodeSubject(subject),
    spkiDer,
    // attributes [0] IMPLICIT SET OF Attribute: sorted like any DER SET OF.
    derContextConstructed(0, concatBytes(sortSetOf(attributes))),
  );
  // node:crypto signs natively (forge's pure-JS RSA would stall the UI for a 4096-bit key).
  // RSA keys sign PKCS#1 v1.5 by default: RSASSA-PSS is not accepted by Lync Server 2013.
  const signature = sign('sha256', info, key);
  const der = derSequence(info, derSequence(derOid(OID.sha256WithRSAEncryption), derNull()), derBitString(new Uint8Array(signature)));
  return { der, pem: toPem(der, CSR_PEM_LABEL) };
}
