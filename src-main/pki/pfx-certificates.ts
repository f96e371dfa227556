import { CertdeskError } from '../common/errors.js';
import { type DerNode, Tag, TagClass, expectTag, parseDer, readOctetString, readOid, readSmallInteger } from './der.js';
import { PKCS12_OID } from './pkcs12.js';

/**
 * The certificates a PFX carries in the clear, read without its password (`request new
 * --from-certificate FILE.pfx`): PKCS#12 keeps certificate bags either in a plain `data` safe
 * (OpenSSL with `-certpbe NONE`, some appliances) or in an `encryptedData` safe (Windows, OpenSSL's
 * default), which only the password opens. Keys are never touched; the MAC is not checked (it needs
 * the password too), so the certificates are only names to copy, never trusted.
 */

/** True when the bytes look like a PFX (PFX ::= SEQUENCE { version 3, authSafe ContentInfo, ... }). */
export function looksLikePfx(bytes: Uint8Array): boolean {
  try {
    const top = expectTag(parseDer(bytes, 'a PFX'), Tag.SEQUENCE, 'a PFX').children;
    return top.length >= 2 && readSmallInteger(top[0], 'a PFX') === 3 && top[1]?.tagNumber === Tag.SEQUENCE;
  } catch {
    return false;
  }
}

function explicit0(node: DerNode | undefined, what: string): DerNode {
  const inner = expectTag(node, 0, what, TagClass.context).children[0];
  if (!inner) throw new CertdeskError('PARSE_ERROR', `${what}: an explicit [0] is empty`);
  return inner;
}

/**
 * The X.509 certificates (DER) of the PFX's unencrypted safes. INVALID_INPUT, saying what to do, when
 * every certificate is in an encrypted safe; PARSE_ERROR when the file is no readable PFX.
 */
export function readPfxCertificatesWithoutPassword(pfx: Uint8Array, name: string): Uint8Array[] {
  const what = `${name}: not a readable PFX file`;
  const top = expectTag(parseDer(pfx, what), Tag.SEQUENCE, what).children;
  const [ciType, ciContent] = expectTag(top[1], Tag.SEQUENCE, what).children;
  if (readOid(ciType, what) !== PKCS12_OID.data) throw new CertdeskError('PARSE_ERROR', `${what}: its contents are signed with a public key, which Certdesk does not read`);
  const authSafe = readOctetString(explicit0(ciContent, what), what);
  const out: Uint8Array[] = [];
  let encrypted = 0;
  for (const ci of expectTag(parseDer(authSafe, what), Tag.SEQUENCE, what).children) {
    const [typeNode, content] = expectTag(ci, Tag.SEQUENCE, what).children;
    const type = readOid(typeNode, what);
    if (type === PKCS12_OID.encryptedData) encrypted++;
    if (type !== PKCS12_OID.data) continue;
    const safe = readOctetString(explicit0(content, what), what);
    for (const bag of expectTag(parseDer(safe, what), Tag.SEQUENCE, what).children) {
      const [idNode, valueWrapper] = expectTag(bag, Tag.SEQUENCE, what).children;
      if (readOid(idNode, what) !== PKCS12_OID.certBag) continue;
      const [certType, certWrapper] = expectTag(explicit0(valueWrapper, what), Tag.SEQUENCE, what).children;
      if (readOid(certType, what) === PKCS12_OID.x509Certificate) out.push(readOctetString(explicit0(certWrapper, what), what));
    }
  }
  if (out.length === 0) {
    throw new CertdeskError(
      'INVALID_INPUT',
      encrypted > 0
        ? `${name}: the certificates in this PFX are encrypted with its password; export the certificate alone (.cer) and use that, or adopt the PFX with its password (certdesk pfx import)`
        : `${name}: the PFX holds no certificate`,
    );
  }
  return out;
}
