import { CertdeskError } from '../common/errors.js';

/**
 * A minimal DER writer for the structures Certdesk makes itself (CSRs). Our own writer instead of
 * forge.asn1 because the profile needs exact control: string types per attribute, SET OF sorted as
 * DER demands, and byte arrays that go straight to node:crypto for signing.
 */

/** Concatenates byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function encodeLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** One TLV with a single identifier octet (every tag the profile uses is below 31). */
export function tlv(identifier: number, content: Uint8Array): Uint8Array {
  return concatBytes([Uint8Array.of(identifier), encodeLength(content.length), content]);
}

/** SEQUENCE of already-encoded elements, in the given order. */
export function derSequence(...items: Uint8Array[]): Uint8Array {
  return tlv(0x30, concatBytes(items));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

/** DER orders SET OF by the encodings as octet strings (X.690 11.6); strict parsers check it. */
export function sortSetOf(items: readonly Uint8Array[]): Uint8Array[] {
  return [...items].sort(compareBytes);
}

/** SET OF already-encoded elements, sorted as DER requires. */
export function derSet(...items: Uint8Array[]): Uint8Array {
  return tlv(0x31, concatBytes(sortSetOf(items)));
}

/** Context-specific constructed [n] (IMPLICIT over a SET/SEQUENCE, or EXPLICIT wrapper). */
export function derContextConstructed(n: number, content: Uint8Array): Uint8Array {
  return tlv(0xa0 | n, content);
}

/** Context-specific primitive [n], e.g. a dNSName [2] IA5String. */
export function derContextPrimitive(n: number, content: Uint8Array): Uint8Array {
  return tlv(0x80 | n, content);
}

/** OBJECT IDENTIFIER from dotted form. */
export function derOid(dotted: string): Uint8Array {
  if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(dotted)) throw new CertdeskError('INTERNAL', `bad OID literal ${dotted}`);
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const [a0, a1, ...rest] = arcs as [bigint, bigint, ...bigint[]];
  const out: number[] = [];
  for (const arc of [a0 * 40n + a1, ...rest]) {
    const digits: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) digits.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...digits);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/** INTEGER from a non-negative safe integer. */
export function derInteger(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new CertdeskError('INTERNAL', 'derInteger takes a non-negative safe integer');
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  if (bytes.length === 0 || (bytes[0] as number) & 0x80) bytes.unshift(0);
  return tlv(0x02, Uint8Array.from(bytes));
}

/** BOOLEAN (DER: TRUE is 0xFF). */
export function derBoolean(v: boolean): Uint8Array {
  return tlv(0x01, Uint8Array.of(v ? 0xff : 0x00));
}

/** NULL. */
export function derNull(): Uint8Array {
  return Uint8Array.of(0x05, 0x00);
}

/** BIT STRING with the given unused-bit count in the last octet. */
export function derBitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  return tlv(0x03, concatBytes([Uint8Array.of(unusedBits), bytes]));
}

/** OCTET STRING. */
export function derOctetString(bytes: Uint8Array): Uint8Array {
  return tlv(0x04, bytes);
}

/** UTF8String. */
export function derUtf8String(s: string): Uint8Array {
  return tlv(0x0c, new TextEncoder().encode(s));
}

/** PrintableString; the caller guarantees the PrintableString alphabet. */
export function derPrintableString(s: string): Uint8Array {
  return tlv(0x13, asciiBytes(s));
}

/** BMPString (UCS-2 big-endian), as Microsoft's CSP name attribute uses. */
export function derBmpString(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i] = c >> 8;
    out[2 * i + 1] = c & 0xff;
  }
  return tlv(0x1e, out);
}

function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) throw new CertdeskError('INTERNAL', 'non-ASCII character in an ASCII string type');
    out[i] = c;
  }
  return out;
}
