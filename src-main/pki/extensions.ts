import type { CsrExtension, CsrGeneralName } from '../common/csr.js';
import { generalNameLabel } from '../common/csr.js';
import { isCertdeskError } from '../common/errors.js';
import {
  type DerNode,
  Tag,
  TagClass,
  expectTag,
  parseDer,
  readBitString,
  readBoolean,
  readOctetString,
  readOid,
  readSmallInteger,
  readString,
  toHex,
} from './der.js';
import { decodeGeneralNames } from './general-names.js';
import { EXTENDED_KEY_USAGES, EXTENSION_NAMES, KEY_USAGE_BITS, KEY_USAGE_LABELS, OID } from './oids.js';

/** X.509v3 extensions decoded for display and for comparison with the profile. */
export interface DecodedExtensions {
  extensions: CsrExtension[];
  subjectAltNames: CsrGeneralName[];
  keyUsage: string[] | null;
  extendedKeyUsage: { oid: string; name: string | null }[] | null;
  basicConstraints: { ca: boolean; pathLength: number | null } | null;
  /** subjectKeyIdentifier and authorityKeyIdentifier's keyIdentifier, lowercase hex. */
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  /** Extensions that could not be decoded or appear twice, as plain sentences. */
  problems: string[];
}

/** Key usage bit names from the BIT STRING of a keyUsage extension (bit 0 = most significant). */
export function keyUsageNames(bytes: Uint8Array, unusedBits: number): string[] {
  const names: string[] = [];
  const total = bytes.length * 8 - unusedBits;
  for (let bit = 0; bit < total; bit++) {
    if (((bytes[bit >> 3] as number) >> (7 - (bit & 7))) & 1) names.push(KEY_USAGE_BITS[bit] ?? `bit ${bit}`);
  }
  return names;
}

function shortHex(b: Uint8Array): string {
  return b.length <= 32 ? toHex(b) : `${toHex(b.subarray(0, 32))}... (${b.length} bytes)`;
}

/**
 * Decodes Extensions (SEQUENCE OF Extension). Known extensions get structured values; unknown or
 * malformed ones are listed by OID, so a foreign request is always shown rather than refused.
 */
export function decodeExtensions(node: DerNode | undefined, what: string): DecodedExtensions {
  const out: DecodedExtensions = { extensions: [], subjectAltNames: [], keyUsage: null, extendedKeyUsage: null, basicConstraints: null, subjectKeyId: null, authorityKeyId: null, problems: [] };
  const seen = new Set<string>();
  for (const ext of expectTag(node, Tag.SEQUENCE, what).children) {
    const parts = expectTag(ext, Tag.SEQUENCE, what).children;
    const oid = readOid(parts[0], what);
    const hasCritical = parts.length === 3;
    const critical = hasCritical ? readBoolean(parts[1], what) : false;
    const value = readOctetString(parts[hasCritical ? 2 : 1], what);
    if (parts.length > 3) out.problems.push(`the extension ${oid} has unexpected fields`);
    if (seen.has(oid)) out.problems.push(`the extension ${EXTENSION_NAMES[oid] ?? oid} appears more than once`);
    seen.add(oid);
    const entry: CsrExtension = { oid, name: EXTENSION_NAMES[oid] ?? null, critical, values: [] };
    try {
      entry.values = decodeValue(oid, value, what, out);
    } catch (e) {
      if (!isCertdeskError(e)) throw e;
      entry.values = [`(malformed: ${e.message})`];
      out.problems.push(`the extension ${entry.name ?? oid} is malformed`);
    }
    out.extensions.push(entry);
  }
  return out;
}

function decodeValue(oid: string, value: Uint8Array, what: string, out: DecodedExtensions): string[] {
  const inner = `${what} (extension ${EXTENSION_NAMES[oid] ?? oid})`;
  switch (oid) {
    case OID.subjectAltName: {
      const names = decodeGeneralNames(parseDer(value, inner), inner);
      out.subjectAltNames.push(...names);
      return names.map((n) => `${generalNameLabel(n.type)}=${n.value}`);
    }
    case OID.keyUsage: {
      const { bytes, unusedBits } = readBitString(parseDer(value, inner), inner);
      const names = keyUsageNames(bytes, unusedBits);
      out.keyUsage = names;
      return [`${names.map((n) => KEY_USAGE_LABELS[n] ?? n).join(', ') || '(none)'} (${toHex(bytes) || '00'})`];
    }
    case OID.extKeyUsage: {
      const ekus = expectTag(parseDer(value, inner), Tag.SEQUENCE, inner).children.map((n) => {
        const o = readOid(n, inner);
        return { oid: o, name: EXTENDED_KEY_USAGES[o]?.label ?? null };
      });
      out.extendedKeyUsage = ekus;
      return ekus.map((e) => `${e.name ?? 'Unknown purpose'} (${e.oid})`);
    }
    case OID.basicConstraints: {
      const seq = expectTag(parseDer(value, inner), Tag.SEQUENCE, inner).children;
      let i = 0;
      const ca = seq[i]?.tagNumber === Tag.BOOLEAN ? readBoolean(seq[i++], inner) : false;
      const pathLength = seq[i] ? readSmallInteger(seq[i], inner) : null;
      out.basicConstraints = { ca, pathLength };
      return [`Subject Type=${ca ? 'CA' : 'End Entity'}`, `Path Length Constraint=${pathLength ?? 'None'}`];
    }
    case '2.5.29.14':
      out.subjectKeyId = toHex(readOctetString(parseDer(value, inner), inner));
      return [`Key identifier ${out.subjectKeyId}`];
    case '2.5.29.35': {
      const keyId = expectTag(parseDer(value, inner), Tag.SEQUENCE, inner).children.find((n) => n.tagClass === TagClass.context && n.tagNumber === 0);
      out.authorityKeyId = keyId ? toHex(keyId.content) : null;
      return [`KeyID=${out.authorityKeyId ?? '(none)'}`];
    }
    case '1.3.6.1.4.1.311.20.2':
      return [`Template=${readString(parseDer(value, inner), inner)}`];
    case '1.3.6.1.4.1.311.21.7': {
      const [t, major, minor] = expectTag(parseDer(value, inner), Tag.SEQUENCE, inner).children;
      const v = [major, minor].filter((n): n is DerNode => n !== undefined).map((n) => readSmallInteger(n, inner));
      return [`Template=${readOid(t, inner)}`, ...(v.length ? [`Version=${v.join('.')}`] : [])];
    }
    default:
      return [`${value.length} bytes: ${shortHex(value)}`];
  }
}
