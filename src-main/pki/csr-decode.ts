import type { DecodedCsr } from '../common/csr.js';
import { formatDistinguishedName } from '../common/csr.js';
import { CertdeskError } from '../common/errors.js';
import type { Finding } from '../common/findings.js';
import { decodeAttributes } from './csr-attributes.js';
import { type DerNode, Tag, TagClass, expectTag, isDerSortedSetOf, parseDer, readBitString, readSmallInteger } from './der.js';
import { sha256Hex } from './fingerprint.js';
import { decodeName } from './general-names.js';
import { checkDnsName } from './names.js';
import { decodePemBlocks } from './pem.js';
import { describePublicKey, verifySignature } from './public-key.js';

/** A CSR is a few KiB; 1 MiB leaves room for odd tools and still refuses a wrong file at once. */
export const MAX_CSR_BYTES = 1024 * 1024;

/** PEM labels a certificate request may carry: RFC 7468's and the one Windows certreq writes. */
export const CSR_PEM_LABELS = ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'] as const;

const WHAT = 'not a valid certificate request';

function parseError(why: string): never {
  throw new CertdeskError('PARSE_ERROR', `${WHAT}: ${why}`);
}

/**
 * The DER of the one certificate request in `input` (PEM with either label, bare base64, DER; any
 * line ends, BOM or UTF-16 text). Throws PARSE_ERROR naming what the file is instead, if it can.
 */
export function readCsrDer(input: Uint8Array): Uint8Array {
  const blocks = decodePemBlocks(input, { what: 'certificate request', maxBytes: MAX_CSR_BYTES });
  if (blocks.length === 1 && blocks[0]?.label === null) return blocks[0].der;
  const csrs = blocks.filter((b) => (CSR_PEM_LABELS as readonly (string | null)[]).includes(b.label));
  if (csrs.length === 0) {
    const labels = [...new Set(blocks.map((b) => b.label))].join(', ');
    parseError(`the file holds PEM "${labels}", not "CERTIFICATE REQUEST"`);
  }
  if (csrs.length > 1) parseError(`the file holds ${csrs.length} certificate requests; decode one at a time`);
  return (csrs[0] as { der: Uint8Array }).der;
}

/** A certificate's TBSCertificate starts with [0] EXPLICIT version; a CSR's info with an INTEGER. */
function looksLikeCertificate(root: DerNode): boolean {
  const first = root.children[0]?.children[0];
  return first?.tagClass === TagClass.context && first.tagNumber === 0;
}

const EXTENSION_REQUEST_OID = '1.2.840.113549.1.9.14';

function profileFindings(d: Omit<DecodedCsr, 'findings'>, problems: string[]): Finding[] {
  const f: Finding[] = [];
  const add = (code: string, severity: Finding['severity'], message: string) => f.push({ code, severity, message });
  const sig = d.signature;
  if (sig.valid === false) add('CSR_SIGNATURE_INVALID', 'error', 'the signature does not verify: the request was altered or is corrupt');
  if (sig.valid === null) add('CSR_SIGNATURE_UNCHECKED', 'warning', `the signature could not be checked: ${sig.note ?? 'unsupported algorithm'}`);
  if (sig.oid === '1.2.840.113549.1.1.10') add('CSR_PSS_SIGNATURE', 'warning', 'the request is signed with RSASSA-PSS, which Lync Server 2013 does not support');
  if (/^(md[25]|sha1)|SHA1$/.test(sig.algorithm)) add('CSR_WEAK_SIGNATURE', 'warning', `the request is signed with ${sig.algorithm}; use SHA-256`);
  if (d.publicKey.algorithm !== 'RSA') add('CSR_KEY_NOT_RSA', 'warning', `the key is ${d.publicKey.algorithm}; Lync Server 2013 reverse proxies need an RSA key`);
  else if (d.publicKey.bits !== null && d.publicKey.bits < 2048) add('CSR_KEY_TOO_SMALL', 'warning', `the RSA key has ${d.publicKey.bits} bits; public CAs require at least 2048`);
  const dns = d.subjectAltNames.filter((n) => n.type === 'dns').map((n) => n.value.toLowerCase());
  if (dns.length === 0) add('CSR_NO_DNS_SAN', 'warning', 'the request has no DNS subject alternative names');
  else if (d.commonName !== null && !dns.includes(d.commonName.toLowerCase())) {
    add('CSR_CN_NOT_IN_SAN', 'warning', `the subject CN "${d.commonName}" is not among the SANs; the procedure requires it`);
  }
  for (const n of d.subjectAltNames) {
    if (n.type !== 'dns') continue;
    const bad = checkDnsName(n.value).findings.find((x) => x.severity === 'error');
    if (bad) add('CSR_INVALID_DNS_NAME', 'warning', `invalid DNS name: ${bad.message}`);
  }
  // NSS (certutil -C and CAs built on it) reads only the first attribute. DER sorts the SET OF by
  // encoding, so a longer extensionRequest lands after Microsoft's CSP attribute (docs/pki.md).
  if (d.attributes.findIndex((a) => a.oid === EXTENSION_REQUEST_OID) > 0) {
    add('CSR_EXTENSIONS_NOT_FIRST', 'info', 'the requested extensions (SANs, key usage) are not the first request attribute: an NSS-based CA (certutil -C) reads only the first and would issue without them; Windows AD CS, OpenSSL, EJBCA and public CAs read all attributes');
  }
  for (const p of problems) add('CSR_MALFORMED_PART', 'warning', p);
  return f;
}

/**
 * Decodes a PKCS#10 request from DER: subject, SANs, key, signature (checked), extensions and
 * attributes. Malformed structure throws PARSE_ERROR; unknown algorithms and extensions are reported
 * by OID.
 */
export function parseCsrDer(der: Uint8Array): DecodedCsr {
  const root = expectTag(parseDer(der, WHAT), Tag.SEQUENCE, WHAT);
  if (looksLikeCertificate(root)) parseError('this is a certificate, not a certificate request');
  if (root.children.length !== 3) parseError(`expected 3 parts (request info, algorithm, signature) but found ${root.children.length}`);
  const [infoNode, sigAlg, sigNode] = root.children as [DerNode, DerNode, DerNode];
  const info = expectTag(infoNode, Tag.SEQUENCE, WHAT);
  const [versionNode, subjectNode, spkiNode, attrsNode, ...extra] = info.children;
  const version = readSmallInteger(versionNode, WHAT);
  if (version !== 0) parseError(`unknown request version ${version + 1}`);
  const subject = decodeName(subjectNode, WHAT);
  const spki = expectTag(spkiNode, Tag.SEQUENCE, WHAT);
  // Some old tools omit the (mandatory) [0] attributes entirely: accept that, refuse anything else.
  if (attrsNode && !(attrsNode.tagClass === TagClass.context && attrsNode.tagNumber === 0 && attrsNode.constructed)) {
    parseError('the request attributes are malformed');
  }
  if (extra.length > 0) parseError('the request info has unexpected trailing fields');
  const publicKey = describePublicKey(spki, WHAT);
  const sigBits = readBitString(sigNode, WHAT);
  if (sigBits.unusedBits !== 0) parseError('the signature is not a whole number of bytes');
  const signature = verifySignature(sigAlg, sigBits.bytes, info.raw, spki.raw, WHAT);
  const attrs = decodeAttributes(attrsNode, WHAT);
  const ext = attrs.extensions;
  const cns = subject.filter((a) => a.shortName === 'CN');
  const decoded: Omit<DecodedCsr, 'findings'> = {
    version: version + 1,
    subject,
    subjectDn: formatDistinguishedName(subject),
    commonName: cns.length > 0 ? (cns[cns.length - 1] as { value: string }).value : null,
    subjectAltNames: ext?.subjectAltNames ?? [],
    publicKey,
    signature,
    extensions: ext?.extensions ?? [],
    keyUsage: ext?.keyUsage ?? null,
    extendedKeyUsage: ext?.extendedKeyUsage ?? null,
    basicConstraints: ext?.basicConstraints ?? null,
    challengePassword: attrs.challengePassword,
    microsoft: attrs.microsoft,
    attributes: attrs.attributes,
    publicKeySha256: sha256Hex(spki.raw),
    sha256: sha256Hex(der),
    derLength: der.length,
  };
  const findings = profileFindings(decoded, [...attrs.problems, ...(ext?.problems ?? [])]);
  // An unsorted attribute SET (BER) is reported, not refused: the signature covers the bytes as
  // sent, and CAs re-read rather than re-encode. Lengths, integers and booleans are strict DER (der.ts).
  if (attrsNode && !isDerSortedSetOf(attrsNode)) {
    findings.push({ code: 'CSR_NOT_DER', severity: 'info', message: 'the request attributes are not in DER order (a BER SET OF); most CAs accept it' });
  }
  return { ...decoded, findings };
}

/**
 * Decodes any certificate request a user may hand over: PEM (either label), bare base64 or DER, with
 * CRLF, a BOM or UTF-16 text. Throws PARSE_ERROR (INVALID_INPUT when over 1 MiB) with one clear line.
 */
export function parseCsr(input: Uint8Array): DecodedCsr {
  return parseCsrDer(readCsrDer(input));
}
