import { CertdeskError } from '../common/errors.js';
import type { CsrGeneralName, CsrNameAttribute } from '../common/csr.js';
import { formatDistinguishedName } from '../common/csr.js';
import { type DerNode, Tag, TagClass, decodeOidContent, expectTag, isStringNode, readOid, readString, toHex } from './der.js';
import { DN_SHORT_NAMES, OID } from './oids.js';

/** Decodes an X.501 Name (SEQUENCE OF RDN) into its attributes in encoding order. */
export function decodeName(node: DerNode | undefined, what: string): CsrNameAttribute[] {
  const name = expectTag(node, Tag.SEQUENCE, what);
  const out: CsrNameAttribute[] = [];
  for (const rdn of name.children) {
    for (const atv of expectTag(rdn, Tag.SET, what).children) {
      const parts = expectTag(atv, Tag.SEQUENCE, what).children;
      const [type, value] = parts;
      const oid = readOid(type, what);
      if (!value || parts.length !== 2) throw new CertdeskError('PARSE_ERROR', `${what}: a name attribute is malformed`);
      out.push({
        oid,
        shortName: DN_SHORT_NAMES[oid] ?? null,
        // RFC 4514: a value that is not a string is shown as # and the hex of its BER encoding.
        value: isStringNode(value) ? readString(value, what) : `#${toHex(value.raw)}`,
      });
    }
  }
  return out;
}

/** RFC 5952 text of an IPv4 or IPv6 address from its octets (other lengths as hex). */
export function formatIpAddress(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length !== 16) return `#${toHex(b)}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] as number) << 8) | (b[i + 1] as number));
  // The longest run of at least two zero groups becomes "::" (first one on a tie).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

const latin1 = new TextDecoder('latin1');

function otherName(node: DerNode, what: string): string {
  const [typeId, wrapped] = node.children;
  const oid = readOid(typeId, what);
  const inner = wrapped && wrapped.tagClass === TagClass.context && wrapped.tagNumber === 0 ? wrapped.children[0] : undefined;
  if (!inner) return `${oid}=(empty)`;
  const label = oid === OID.msUpn ? 'UPN' : oid;
  return `${label}=${isStringNode(inner) ? readString(inner, what) : `#${toHex(inner.raw)}`}`;
}

/** Decodes one GeneralName (RFC 5280 4.2.1.6). Unknown tags are kept as hex, never refused. */
export function decodeGeneralName(node: DerNode, what: string): CsrGeneralName {
  if (node.tagClass !== TagClass.context) return { type: 'otherName', value: `#${toHex(node.raw)}` };
  switch (node.tagNumber) {
    case 0:
      return { type: 'otherName', value: otherName(node, what) };
    case 1:
      return { type: 'email', value: latin1.decode(node.content) };
    case 2:
      return { type: 'dns', value: latin1.decode(node.content) };
    case 3:
      return { type: 'x400Address', value: `#${toHex(node.content)}` };
    case 4:
      return { type: 'directoryName', value: formatDistinguishedName(decodeName(node.children[0], what)) };
    case 5:
      return { type: 'ediPartyName', value: `#${toHex(node.content)}` };
    case 6:
      return { type: 'uri', value: latin1.decode(node.content) };
    case 7:
      return { type: 'ip', value: formatIpAddress(node.content) };
    case 8:
      return { type: 'registeredId', value: decodeOidContent(node.content, what) };
    default:
      return { type: 'otherName', value: `[${node.tagNumber}]#${toHex(node.content)}` };
  }
}

/** Decodes GeneralNames (SEQUENCE OF GeneralName), e.g. a subjectAltName extension value. */
export function decodeGeneralNames(node: DerNode | undefined, what: string): CsrGeneralName[] {
  return expectTag(node, Tag.SEQUENCE, what).children.map((n) => decodeGeneralName(n, what));
}
