import { CertdeskError } from '../common/errors.js';
import { type DerNode, Tag, TagClass, expectTag, parseDer, readOid } from './der.js';

/**
 * PKCS#7 / CMS "certs-only" SignedData (.p7b, .p7c): how AD CS and many public CAs return a
 * certificate with its chain. Only the certificates are read; a certs-only file has no signers.
 */

const SIGNED_DATA = '1.2.840.113549.1.7.2';
const WHAT = 'not a valid PKCS#7 certificate bundle';

/** True when `der` starts like a PKCS#7 ContentInfo (SEQUENCE { OID, [0] ... }) rather than a certificate. */
export function looksLikePkcs7(der: Uint8Array): boolean {
  // SEQUENCE, length, then OBJECT IDENTIFIER: a certificate starts SEQUENCE, length, SEQUENCE.
  let i = 1;
  const len = der[i];
  if (der[0] !== 0x30 || len === undefined) return false;
  i += len > 0x80 ? 1 + (len & 0x7f) : 1;
  return der[i] === 0x06;
}

/** The DER certificates of a certs-only PKCS#7 SignedData, in file order. */
export function parsePkcs7Certificates(der: Uint8Array): Uint8Array[] {
  const ci = expectTag(parseDer(der, WHAT), Tag.SEQUENCE, WHAT).children;
  const type = readOid(ci[0], WHAT);
  if (type !== SIGNED_DATA) throw new CertdeskError('PARSE_ERROR', `${WHAT}: content type ${type} is not signedData`);
  const wrapper = expectTag(ci[1], 0, WHAT, TagClass.context);
  const sd = expectTag(wrapper.children[0], Tag.SEQUENCE, WHAT).children;
  // version, digestAlgorithms, encapContentInfo, then [0] IMPLICIT certificates when present.
  const certsNode = sd.slice(3).find((n: DerNode) => n.tagClass === TagClass.context && n.tagNumber === 0);
  const certs = (certsNode?.children ?? []).filter((n) => n.tagClass === TagClass.universal && n.tagNumber === Tag.SEQUENCE).map((n) => n.raw);
  if (certs.length === 0) throw new CertdeskError('PARSE_ERROR', `${WHAT}: it holds no certificates`);
  return certs;
}
