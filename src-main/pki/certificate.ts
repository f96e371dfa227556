import { X509Certificate, createPublicKey } from 'node:crypto';
import type { CertificateIdentity } from '../common/certificates.js';
import { CertdeskError } from '../common/errors.js';
import { type DerNode, Tag, TagClass, expectTag, parseDer, readBitString, readBoolean, readOctetString, readOid, readString, toHex } from './der.js';
import { sha1Hex, sha256Hex } from './fingerprint.js';
import { KEY_USAGE_BITS } from './oids.js';

/**
 * X.509 certificates of any key type (RSA leaf, RSA or ECDSA CA) parsed from DER with our strict
 * reader. node-forge is not used here: it rejects EC keys ("OID is not RSA"), and CA answers from
 * modern CAs often chain to ECDSA roots.
 */

const WHAT = 'not a valid certificate';

/** Extended key usage OIDs by the names openssl and RFC 5280 use. */
export const EKU_NAMES: Readonly<Record<string, string>> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
  '1.3.6.1.4.1.311.10.3.3': 'msSGC',
};

const ATTR_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'E',
};

const SIG_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'Ed25519',
};

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

const NEEDS_ESCAPE = /[,+"\\<>;]/g;

function escapeRdnValue(v: string): string {
  let s = v.replace(NEEDS_ESCAPE, (c) => `\\${c}`);
  if (s.startsWith(' ') || s.startsWith('#')) s = `\\${s}`;
  if (s.endsWith(' ') && s.length > 1) s = `${s.slice(0, -1)}\\ `;
  return s;
}

/** Renders a Name per RFC 4514 (last RDN first) and picks out its CN. */
export function readName(node: DerNode): { text: string; commonName: string | null } {
  const rdns: string[] = [];
  let commonName: string | null = null;
  for (const rdn of expectTag(node, Tag.SEQUENCE, WHAT).children) {
    const parts: string[] = [];
    for (const atv of expectTag(rdn, Tag.SET, WHAT).children) {
      const [type, value] = expectTag(atv, Tag.SEQUENCE, WHAT).children;
      const oid = readOid(type, WHAT);
      const text = readString(value, WHAT);
      if (oid === '2.5.4.3') commonName = text;
      parts.push(`${ATTR_NAMES[oid] ?? oid}=${escapeRdnValue(text)}`);
    }
    rdns.push(parts.join('+'));
  }
  return { text: rdns.reverse().join(', '), commonName };
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

function readSubjectAltNames(ext: Uint8Array): { dns: string[]; ip: string[] } {
  const dns: string[] = [];
  const ip: string[] = [];
  for (const gn of expectTag(parseDer(ext, WHAT), Tag.SEQUENCE, WHAT).children) {
    if (isContext(gn, 2) && !gn.constructed) dns.push(latin1(gn.content));
    else if (isContext(gn, 7) && !gn.constructed) {
      const c = gn.content;
      ip.push(c.length === 4 ? Array.from(c).join('.') : Array.from({ length: c.length / 2 }, (_, i) => (((c[2 * i] as number) << 8) | (c[2 * i + 1] as number)).toString(16)).join(':'));
    }
  }
  return { dns, ip };
}

function readKeyUsage(ext: Uint8Array): string[] {
  const { bytes } = readBitString(parseDer(ext, WHAT), WHAT);
  return KEY_USAGE_BITS.filter((_, i) => (((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1) === 1);
}

const CURVES: Readonly<Record<string, string>> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

function keyDescription(spki: DerNode): string {
  try {
    const key = createPublicKey({ key: Buffer.from(spki.raw), format: 'der', type: 'spki' });
    const d = key.asymmetricKeyDetails;
    if (key.asymmetricKeyType === 'rsa') return `RSA ${d?.modulusLength ?? '?'}`;
    if (key.asymmetricKeyType === 'ec') return `EC ${CURVES[d?.namedCurve ?? ''] ?? d?.namedCurve ?? '?'}`;
    return (key.asymmetricKeyType ?? 'unknown').toUpperCase();
  } catch {
    // A key type Node cannot load is still described, by its OID.
    return `unsupported key (${readOid(spki.children[0]?.children[0], WHAT)})`;
  }
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
  const subject = readName(subjectNode);
  const cert: Certificate = {
    der,
    sha256: sha256Hex(der),
    sha1Thumbprint: sha1Hex(der).toUpperCase(),
    serialNumber: toHex(serial.length > 1 && serial[0] === 0 ? serial.subarray(1) : serial).toUpperCase(),
    subject: subject.text,
    issuer: readName(issuerNode).text,
    subjectDer: subjectNode.raw,
    issuerDer: issuerNode.raw,
    commonName: subject.commonName,
    notBefore: readTime(nb),
    notAfter: readTime(na),
    spkiDer: spki.raw,
    publicKeySha256: sha256Hex(spki.raw),
    keyAlgorithm: keyDescription(spki),
    signatureAlgorithm: SIG_NAMES[sigOid] ?? sigOid,
    dnsNames: [],
    ipAddresses: [],
    keyUsage: null,
    keyUsageCritical: false,
    extendedKeyUsage: null,
    isCa: null,
    subjectKeyId: null,
    authorityKeyId: null,
    selfIssued: bytesEqual(subjectNode.raw, issuerNode.raw),
  };
  const extsNode = tbs.slice(i).find((n) => isContext(n, 3));
  if (extsNode) readExtensions(cert, expectTag(extsNode.children[0], Tag.SEQUENCE, WHAT).children);
  return cert;
}

function readExtensions(cert: Certificate, exts: DerNode[]): void {
  for (const ext of exts) {
    const parts = expectTag(ext, Tag.SEQUENCE, WHAT).children;
    const oid = readOid(parts[0], WHAT);
    const critical = parts.length === 3 ? readBoolean(parts[1], WHAT) : false;
    const value = readOctetString(parts[parts.length - 1], WHAT);
    switch (oid) {
      case '2.5.29.17': {
        const { dns, ip } = readSubjectAltNames(value);
        cert.dnsNames = dns;
        cert.ipAddresses = ip;
        break;
      }
      case '2.5.29.15':
        cert.keyUsage = readKeyUsage(value);
        cert.keyUsageCritical = critical;
        break;
      case '2.5.29.37':
        cert.extendedKeyUsage = expectTag(parseDer(value, WHAT), Tag.SEQUENCE, WHAT).children.map((n) => {
          const o = readOid(n, WHAT);
          return EKU_NAMES[o] ?? o;
        });
        break;
      case '2.5.29.19': {
        const first = expectTag(parseDer(value, WHAT), Tag.SEQUENCE, WHAT).children[0];
        cert.isCa = first !== undefined && first.tagNumber === Tag.BOOLEAN && first.tagClass === TagClass.universal && readBoolean(first, WHAT);
        break;
      }
      case '2.5.29.14':
        cert.subjectKeyId = toHex(readOctetString(parseDer(value, WHAT), WHAT));
        break;
      case '2.5.29.35': {
        const keyId = expectTag(parseDer(value, WHAT), Tag.SEQUENCE, WHAT).children.find((n) => isContext(n, 0));
        cert.authorityKeyId = keyId ? toHex(keyId.content) : null;
        break;
      }
      default:
        break;
    }
  }
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
