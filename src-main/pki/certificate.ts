import { X509Certificate, createPublicKey } from 'node:crypto';
import type { CertificateIdentity } from '../common/certificates.js';
import { formatDistinguishedName } from '../common/csr.js';
import { CertdeskError } from '../common/errors.js';
import { type DerNode, Tag, TagClass, expectTag, parseDer, readBitString, readOid, toHex } from './der.js';
import { decodeExtensions } from './extensions.js';
import { sha1Hex, sha256Hex } from './fingerprint.js';
import { decodeName } from './general-names.js';
import { EXTENDED_KEY_USAGES, OID, SIGNATURE_ALGORITHMS } from './oids.js';
import { describePublicKey } from './public-key.js';

/**
 * X.509 certificates of any key type (RSA leaf, RSA or ECDSA CA) parsed from DER with our strict
 * reader. Names, GeneralNames, extensions and public keys go through the same decoders as CSRs
 * (general-names.ts, extensions.ts, public-key.ts), so one certificate and one request naming the
 * same things print them identically. node-forge is not used here: it rejects EC keys ("OID is not
 * RSA"), and CA answers from modern CAs often chain to ECDSA roots.
 */

const WHAT = 'not a valid certificate';

/** A parsed X.509 certificate: plain data plus the DER it came from. */
export interface Certificate {
  der: Uint8Array;
  /** SHA-256 of the DER, lowercase hex. */
  sha256: string;
  /** SHA-1 of the DER, uppercase hex: the "Thumbprint" Windows shows. */
  sha1Thumbprint: string;
  /** Serial number, uppercase hex as Windows shows it. */
  serialNumber: string;
  /** RFC 4514 rendering, most specific first (`CN=..., O=...`). */
  subject: string;
  issuer: string;
  subjectDer: Uint8Array;
  issuerDer: Uint8Array;
  /** The last CN of the subject, or null. */
  commonName: string | null;
  notBefore: Date;
  notAfter: Date;
  spkiDer: Uint8Array;
  /** SHA-256 of the SubjectPublicKeyInfo DER, lowercase hex (how answers find their request). */
  publicKeySha256: string;
  /** e.g. `RSA 2048`, `EC P-384`. */
  keyAlgorithm: string;
  signatureAlgorithm: string;
  dnsNames: string[];
  ipAddresses: string[];
  /** Null when the extension is absent. */
  keyUsage: string[] | null;
  keyUsageCritical: boolean;
  /** Names (or OIDs when unknown); null when the extension is absent. */
  extendedKeyUsage: string[] | null;
  /** basicConstraints cA; null when the extension is absent. */
  isCa: boolean | null;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  /** Subject and issuer names are byte-identical (a root, or a self-issued cross certificate). */
  selfIssued: boolean;
}

/** Bytes as Latin-1 text: safe for any length, unlike String.fromCharCode(...bytes). */
function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** UTCTime or GeneralizedTime in the whole-second Z form RFC 5280 requires. */
function readTime(node: DerNode | undefined): Date {
  const text = node ? latin1(node.content) : '';
  let m: RegExpExecArray | null = null;
  let year = 0;
  if (node?.tagNumber === Tag.UTC_TIME && (m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text))) {
    const yy = Number(m[1]);
    year = yy < 50 ? 2000 + yy : 1900 + yy; // RFC 5280 4.1.2.5.1
  } else if (node?.tagNumber === Tag.GENERALIZED_TIME && (m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text))) {
    year = Number(m[1]);
  }
  if (!m) throw new CertdeskError('PARSE_ERROR', `${WHAT}: a validity date is malformed`);
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

function isContext(node: DerNode | undefined, n: number): node is DerNode {
  return node !== undefined && node.tagClass === TagClass.context && node.tagNumber === n;
}

/** `RSA 2048`, `EC P-384`, `Ed25519`: from the same SubjectPublicKeyInfo reader CSRs use. */
function keyDescription(spki: DerNode): string {
  const k = describePublicKey(spki, WHAT);
  if (k.curve !== null) return `${k.algorithm} ${k.curve}`;
  if (k.bits !== null && (k.algorithm === 'RSA' || k.algorithm === 'RSASSA-PSS' || k.algorithm === 'DSA')) return `${k.algorithm} ${k.bits}`;
  return k.algorithm;
}

/** Parses one DER certificate; anything malformed is a PARSE_ERROR. */
export function parseCertificate(der: Uint8Array): Certificate {
  const top = expectTag(parseDer(der, WHAT), Tag.SEQUENCE, WHAT).children;
  const tbs = expectTag(top[0], Tag.SEQUENCE, WHAT).children;
  let i = isContext(tbs[0], 0) ? 1 : 0; // version [0] EXPLICIT
  const serial = expectTag(tbs[i++], Tag.INTEGER, WHAT).content;
  expectTag(tbs[i++], Tag.SEQUENCE, WHAT); // signature algorithm, repeated outside the TBS
  const issuerNode = expectTag(tbs[i++], Tag.SEQUENCE, WHAT);
  const [nb, na] = expectTag(tbs[i++], Tag.SEQUENCE, WHAT).children;
  const subjectNode = expectTag(tbs[i++], Tag.SEQUENCE, WHAT);
  const spki = expectTag(tbs[i++], Tag.SEQUENCE, WHAT);
  const sigOid = readOid(expectTag(top[1], Tag.SEQUENCE, WHAT).children[0], WHAT);
  readBitString(top[2], WHAT);
  const subject = decodeName(subjectNode, WHAT);
  const cns = subject.filter((x) => x.oid === OID.commonName);
  const extsNode = tbs.slice(i).find((n) => isContext(n, 3));
  const ext = extsNode ? decodeExtensions(extsNode.children[0], WHAT) : null;
  // CSRs are shown whatever their extensions hold; an issued certificate with a malformed or
  // repeated extension (RFC 5280 4.2) is refused, since every later check would rest on it.
  if (ext && ext.problems.length > 0) throw new CertdeskError('PARSE_ERROR', `${WHAT}: ${ext.problems[0]}`);
  const sans = ext?.subjectAltNames ?? [];
  const ku = ext?.extensions.find((e) => e.oid === OID.keyUsage);
  return {
    der,
    sha256: sha256Hex(der),
    sha1Thumbprint: sha1Hex(der).toUpperCase(),
    serialNumber: toHex(serial.length > 1 && serial[0] === 0 ? serial.subarray(1) : serial).toUpperCase(),
    subject: formatDistinguishedName(subject),
    issuer: formatDistinguishedName(decodeName(issuerNode, WHAT)),
    subjectDer: subjectNode.raw,
    issuerDer: issuerNode.raw,
    commonName: cns.length > 0 ? (cns[cns.length - 1] as { value: string }).value : null,
    notBefore: readTime(nb),
    notAfter: readTime(na),
    spkiDer: spki.raw,
    publicKeySha256: sha256Hex(spki.raw),
    keyAlgorithm: keyDescription(spki),
    signatureAlgorithm: SIGNATURE_ALGORITHMS[sigOid]?.name ?? sigOid,
    dnsNames: sans.filter((n) => n.type === 'dns').map((n) => n.value),
    ipAddresses: sans.filter((n) => n.type === 'ip').map((n) => n.value),
    keyUsage: ext?.keyUsage ?? null,
    keyUsageCritical: ku?.critical ?? false,
    extendedKeyUsage: ext?.extendedKeyUsage?.map((e) => EXTENDED_KEY_USAGES[e.oid]?.name ?? e.oid) ?? null,
    isCa: ext?.basicConstraints ? ext.basicConstraints.ca : null,
    subjectKeyId: ext?.subjectKeyId ?? null,
    authorityKeyId: ext?.authorityKeyId ?? null,
    selfIssued: bytesEqual(subjectNode.raw, issuerNode.raw),
  };
}

/**
 * True when `issuer`'s key verifies `cert`'s signature (RSA PKCS#1 v1.5, RSASSA-PSS, ECDSA, EdDSA via
 * OpenSSL). Names are not compared here: the chain builder does that.
 */
export function verifySignedBy(cert: Certificate, issuer: Certificate): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(issuer.spkiDer), format: 'der', type: 'spki' });
    return new X509Certificate(Buffer.from(cert.der)).verify(key);
  } catch {
    // An unsupported algorithm or a key Node cannot load does not verify.
    return false;
  }
}

/** True when `cert` names `issuer` as its issuer (names byte-equal, key identifiers agree when both are present). */
export function namesIssuer(cert: Certificate, issuer: Certificate): boolean {
  // Byte equality is the norm; the text fallback covers CAs that re-encode a PrintableString name as
  // UTF8String in what they issue (RFC 5280 7.1 compares names case-insensitively).
  if (!bytesEqual(cert.issuerDer, issuer.subjectDer) && cert.issuer.toLowerCase() !== issuer.subject.toLowerCase()) return false;
  return cert.authorityKeyId === null || issuer.subjectKeyId === null || cert.authorityKeyId === issuer.subjectKeyId;
}

/** The plain-data identity of a certificate, as records, reports and the UI show it. */
export function describeCertificate(c: Certificate): CertificateIdentity {
  return {
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serialNumber,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    thumbprint: c.sha1Thumbprint,
    sha256: c.sha256,
    keyAlgorithm: c.keyAlgorithm,
    signatureAlgorithm: c.signatureAlgorithm,
  };
}
