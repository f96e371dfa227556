import { CertdeskError } from '../common/errors.js';

/**
 * A small strict DER reader for data we did not make (foreign CSRs, CA answers). It never trusts a
 * length: every element must fit inside its parent, indefinite lengths (BER) are refused, and nesting
 * is capped so a crafted file cannot exhaust the stack.
 */

/** Tag classes as the identifier octet encodes them. */
export const TagClass = { universal: 0, application: 1, context: 2, private: 3 } as const;

/** Universal tag numbers the PKI code reads. */
export const Tag = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  UTF8_STRING: 12,
  SEQUENCE: 16,
  SET: 17,
  NUMERIC_STRING: 18,
  PRINTABLE_STRING: 19,
  T61_STRING: 20,
  IA5_STRING: 22,
  UTC_TIME: 23,
  GENERALIZED_TIME: 24,
  VISIBLE_STRING: 26,
  UNIVERSAL_STRING: 28,
  BMP_STRING: 30,
} as const;

/** One parsed element. `raw` and `content` are views into the input (no copies). */
export interface DerNode {
  tagClass: number;
  constructed: boolean;
  tagNumber: number;
  /** The whole TLV: what a signature covers. */
  raw: Uint8Array;
  content: Uint8Array;
  /** Parsed children of a constructed element (empty for primitive ones). */
  children: DerNode[];
}

/** Deep enough for any real CSR or certificate (about 10 levels), far below a stack risk. */
export const MAX_DER_DEPTH = 40;

function fail(what: string, why: string): never {
  throw new CertdeskError('PARSE_ERROR', `${what}: ${why}`);
}

function parseAt(buf: Uint8Array, start: number, end: number, depth: number, what: string): DerNode {
  if (depth > MAX_DER_DEPTH) fail(what, `the structure is nested more than ${MAX_DER_DEPTH} levels deep`);
  let p = start;
  if (p >= end) fail(what, 'the data is truncated');
  const id = buf[p++] as number;
  const tagClass = id >> 6;
  const constructed = (id & 0x20) !== 0;
  let tagNumber = id & 0x1f;
  if (tagNumber === 0x1f) {
    // High tag numbers: base-128 digits; three are plenty for any PKI structure.
    tagNumber = 0;
    for (let i = 0; ; i++) {
      if (p >= end) fail(what, 'the data is truncated inside a tag');
      if (i >= 3) fail(what, 'a tag number is too large');
      const b = buf[p++] as number;
      tagNumber = tagNumber * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (p >= end) fail(what, 'the data is truncated inside a length');
  const first = buf[p++] as number;
  let length: number;
  if (first < 0x80) {
    length = first;
  } else if (first === 0x80) {
    fail(what, 'indefinite lengths (BER) are not allowed in DER');
  } else {
    const n = first & 0x7f;
    // Four length octets already allow 4 GiB: anything longer is hostile, not a bigger file.
    if (n > 4) fail(what, 'an element claims an impossible length');
    if (p + n > end) fail(what, 'the data is truncated inside a length');
    if (buf[p] === 0) fail(what, 'a length is not minimally encoded (a leading zero octet: BER, not DER)');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (buf[p++] as number);
    if (length < 0x80) fail(what, 'a length below 128 is in long form (BER, not DER)');
  }
  if (length > end - p) fail(what, 'the data is truncated (an element is longer than the data left)');
  const contentStart = p;
  const contentEnd = p + length;
  const node: DerNode = {
    tagClass,
    constructed,
    tagNumber,
    raw: buf.subarray(start, contentEnd),
    content: buf.subarray(contentStart, contentEnd),
    children: [],
  };
  if (constructed) {
    let q = contentStart;
    while (q < contentEnd) {
      const child = parseAt(buf, q, contentEnd, depth + 1, what);
      node.children.push(child);
      q += child.raw.length;
    }
  }
  return node;
}

/**
 * Parses one complete DER element that must span all of `input`. `what` prefixes every error
 * message (e.g. "not a valid certificate request").
 */
export function parseDer(input: Uint8Array, what: string): DerNode {
  if (input.length === 0) fail(what, 'the data is empty');
  const node = parseAt(input, 0, input.length, 0, what);
  if (node.raw.length !== input.length) fail(what, `${input.length - node.raw.length} unexpected bytes follow the data`);
  return node;
}

const TAG_NAMES: Record<number, string> = {
  [Tag.BOOLEAN]: 'BOOLEAN',
  [Tag.INTEGER]: 'INTEGER',
  [Tag.BIT_STRING]: 'BIT STRING',
  [Tag.OCTET_STRING]: 'OCTET STRING',
  [Tag.NULL]: 'NULL',
  [Tag.OID]: 'OBJECT IDENTIFIER',
  [Tag.SEQUENCE]: 'SEQUENCE',
  [Tag.SET]: 'SET',
};

/** Checks a node's tag (universal class unless `tagClass` says otherwise) and returns it. */
export function expectTag(node: DerNode | undefined, tagNumber: number, what: string, tagClass: number = TagClass.universal): DerNode {
  if (!node) fail(what, `a required ${TAG_NAMES[tagNumber] ?? `[${tagNumber}]`} is missing`);
  if (node.tagNumber !== tagNumber || node.tagClass !== tagClass) {
    fail(what, `expected ${tagClass === TagClass.universal ? (TAG_NAMES[tagNumber] ?? `tag ${tagNumber}`) : `[${tagNumber}]`} but found ${describeTag(node)}`);
  }
  const mustBeConstructed = tagClass === TagClass.universal && (tagNumber === Tag.SEQUENCE || tagNumber === Tag.SET);
  if (tagClass === TagClass.universal && node.constructed !== mustBeConstructed) fail(what, `${describeTag(node)} has the wrong form`);
  return node;
}

/** A short human name for a node's tag, for error messages. */
export function describeTag(node: DerNode): string {
  if (node.tagClass === TagClass.universal) return TAG_NAMES[node.tagNumber] ?? `universal tag ${node.tagNumber}`;
  if (node.tagClass === TagClass.context) return `[${node.tagNumber}]`;
  return `${node.tagClass === TagClass.application ? 'application' : 'private'} tag ${node.tagNumber}`;
}

/** Dotted OBJECT IDENTIFIER of an OID node. */
export function readOid(node: DerNode | undefined, what: string): string {
  return decodeOidContent(expectTag(node, Tag.OID, what).content, what);
}

/** Dotted form of OID content octets (also under an implicit tag, e.g. a registeredID SAN). */
export function decodeOidContent(c: Uint8Array, what: string): string {
  if (c.length === 0 || ((c[c.length - 1] as number) & 0x80) !== 0) fail(what, 'an object identifier is malformed');
  // Real OIDs have a few dozen arcs; this bounds the BigInt work on hostile input.
  if (c.length > 256) fail(what, 'an object identifier is too long');
  const arcs: bigint[] = [];
  let v = 0n;
  let fresh = true;
  for (const b of c) {
    if (fresh && b === 0x80) fail(what, 'an object identifier is not minimally encoded');
    v = (v << 7n) | BigInt(b & 0x7f);
    fresh = (b & 0x80) === 0;
    if (fresh) {
      arcs.push(v);
      v = 0n;
    }
  }
  const first = arcs[0] as bigint;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

/** True when the children of a SET OF are in DER order (ascending by their encodings, X.690 11.6). */
export function isDerSortedSetOf(node: DerNode): boolean {
  for (let i = 1; i < node.children.length; i++) {
    if (compareBytes((node.children[i - 1] as DerNode).raw, (node.children[i] as DerNode).raw) > 0) return false;
  }
  return true;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

/** Value of an INTEGER node. */
export function readInteger(node: DerNode | undefined, what: string): bigint {
  const c = expectTag(node, Tag.INTEGER, what).content;
  if (c.length === 0) fail(what, 'an integer is empty');
  if (c.length > 1 && ((c[0] === 0 && ((c[1] as number) & 0x80) === 0) || (c[0] === 0xff && ((c[1] as number) & 0x80) !== 0))) {
    fail(what, 'an integer is not minimally encoded (BER, not DER)');
  }
  // One hex conversion instead of a shift per byte: linear even for a hostile megabyte integer.
  let v = BigInt(`0x${toHex(c)}`);
  if (((c[0] as number) & 0x80) !== 0) v -= 1n << BigInt(c.length * 8);
  return v;
}

/** Bit length of a non-negative INTEGER node (e.g. an RSA modulus), without building a BigInt. */
export function integerBitLength(node: DerNode | undefined, what: string): number {
  const c = expectTag(node, Tag.INTEGER, what).content;
  let i = 0;
  while (i < c.length && c[i] === 0) i++;
  if (i === c.length) return 0;
  return (c.length - i - 1) * 8 + (32 - Math.clz32(c[i] as number));
}

/** Value of an INTEGER that must fit a safe JavaScript number. */
export function readSmallInteger(node: DerNode | undefined, what: string): number {
  const v = readInteger(node, what);
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) fail(what, 'an integer is out of range');
  return Number(v);
}

/** Value of a BOOLEAN node. */
export function readBoolean(node: DerNode | undefined, what: string): boolean {
  const c = expectTag(node, Tag.BOOLEAN, what).content;
  if (c.length !== 1) fail(what, 'a boolean is malformed');
  // DER: TRUE is 0xFF only (X.690 11.1); 0x01 and friends are BER.
  if (c[0] !== 0 && c[0] !== 0xff) fail(what, `a boolean is 0x${(c[0] as number).toString(16).padStart(2, '0')}, not 0xff (BER, not DER)`);
  return c[0] !== 0;
}

/** Bytes and unused-bit count of a BIT STRING node. */
export function readBitString(node: DerNode | undefined, what: string): { bytes: Uint8Array; unusedBits: number } {
  const c = expectTag(node, Tag.BIT_STRING, what).content;
  if (c.length === 0) fail(what, 'a bit string is empty');
  const unusedBits = c[0] as number;
  if (unusedBits > 7 || (c.length === 1 && unusedBits !== 0)) fail(what, 'a bit string is malformed');
  return { bytes: c.subarray(1), unusedBits };
}

/** Content of an OCTET STRING node. */
export function readOctetString(node: DerNode | undefined, what: string): Uint8Array {
  return expectTag(node, Tag.OCTET_STRING, what).content;
}

const STRING_TAGS = new Set<number>([
  Tag.UTF8_STRING,
  Tag.NUMERIC_STRING,
  Tag.PRINTABLE_STRING,
  Tag.T61_STRING,
  Tag.IA5_STRING,
  Tag.VISIBLE_STRING,
  Tag.UNIVERSAL_STRING,
  Tag.BMP_STRING,
]);

/** True for the universal character-string types. */
export function isStringNode(node: DerNode): boolean {
  return node.tagClass === TagClass.universal && !node.constructed && STRING_TAGS.has(node.tagNumber);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/** Text of any universal character-string node (UTF8, Printable, IA5, BMP, Universal, T61...). */
export function readString(node: DerNode | undefined, what: string): string {
  if (!node || !isStringNode(node)) fail(what, `expected a text string but found ${node ? describeTag(node) : 'nothing'}`);
  const c = node.content;
  switch (node.tagNumber) {
    case Tag.UTF8_STRING:
      try {
        return utf8.decode(c);
      } catch {
        return fail(what, 'a UTF8String holds invalid UTF-8');
      }
    case Tag.BMP_STRING: {
      if (c.length % 2 !== 0) fail(what, 'a BMPString has an odd length');
      let s = '';
      for (let i = 0; i < c.length; i += 2) s += String.fromCharCode(((c[i] as number) << 8) | (c[i + 1] as number));
      return s;
    }
    case Tag.UNIVERSAL_STRING: {
      if (c.length % 4 !== 0) fail(what, 'a UniversalString has a bad length');
      let s = '';
      for (let i = 0; i < c.length; i += 4) {
        const cp = (((c[i] as number) << 24) | ((c[i + 1] as number) << 16) | ((c[i + 2] as number) << 8) | (c[i + 3] as number)) >>> 0;
        if (cp > 0x10ffff) fail(what, 'a UniversalString holds an invalid character');
        s += String.fromCodePoint(cp);
      }
      return s;
    }
    default:
      // Printable/IA5/Visible/Numeric are ASCII subsets; T61 in practice carries Latin-1.
      return latin1.decode(c);
  }
}

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
