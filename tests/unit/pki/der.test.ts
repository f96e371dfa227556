import { describe, expect, it } from 'vitest';
import { isCertdeskError } from '../../../src-main/common/errors.js';
import {
  MAX_DER_DEPTH,
  integerBitLength,
  parseDer,
  readBitString,
  readInteger,
  readOid,
  readString,
  toHex,
} from '../../../src-main/pki/der.js';
import {
  derBitString,
  derBmpString,
  derInteger,
  derOid,
  derPrintableString,
  derSequence,
  derSet,
  derUtf8String,
  tlv,
} from '../../../src-main/pki/der-encode.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

function parseFailure(input: Uint8Array): string {
  try {
    parseDer(input, 'not valid');
  } catch (e) {
    if (isCertdeskError(e) && e.code === 'PARSE_ERROR') return e.message;
    throw e;
  }
  throw new Error('parseDer accepted the input');
}

describe('DER writer', () => {
  it('encodes OIDs in base 128, including arcs beyond 2^53', () => {
    expect(toHex(derOid('1.2.840.113549.1.9.14'))).toBe('06092a864886f70d01090e');
    expect(toHex(derOid('2.5.29.15'))).toBe('0603551d0f');
    const big = '2.25.329800735698586629295641978511506172918';
    expect(readOid(parseDer(derOid(big), 'x'), 'x')).toBe(big);
  });

  it('encodes INTEGERs minimally with a sign octet when the high bit is set', () => {
    expect(toHex(derInteger(0))).toBe('020100');
    expect(toHex(derInteger(1))).toBe('020101');
    expect(toHex(derInteger(128))).toBe('02020080');
    expect(toHex(derInteger(65537))).toBe('0203010001');
  });

  it('uses long-form lengths above 127 octets', () => {
    const body = new Uint8Array(300);
    expect(toHex(tlv(0x04, body).subarray(0, 4))).toBe('0482012c');
  });

  it('sorts SET OF members by their encodings, as DER requires', () => {
    const a = derUtf8String('b');
    const b = derPrintableString('a');
    const c = derUtf8String('a');
    expect(toHex(derSet(a, b, c))).toBe(toHex(tlv(0x31, Uint8Array.from([...c, ...a, ...b]))));
  });

  it('writes BMPString as UTF-16 big-endian and BIT STRING with its unused-bit count', () => {
    expect(toHex(derBmpString('Ab'))).toBe('1e0400410062');
    expect(toHex(derBitString(Uint8Array.of(0xa0), 5))).toBe('030205a0');
    expect(toHex(derBitString(new Uint8Array(0)))).toBe('030100');
  });
});

describe('DER reader', () => {
  it('reads back what the writer wrote', () => {
    const node = parseDer(derSequence(derInteger(65537), derBmpString('Microsoft'), derBitString(Uint8Array.of(0xa0), 5)), 'x');
    expect(readInteger(node.children[0], 'x')).toBe(65537n);
    expect(readString(node.children[1], 'x')).toBe('Microsoft');
    expect(readBitString(node.children[2], 'x')).toEqual({ bytes: Uint8Array.of(0xa0), unusedBits: 5 });
  });

  it('reads negative integers and bit lengths of unsigned ones', () => {
    expect(readInteger(parseDer(hex('0201ff'), 'x'), 'x')).toBe(-1n);
    expect(integerBitLength(parseDer(hex('0203 00 80 00'), 'x'), 'x')).toBe(16);
  });

  it('rejects a length that runs past the end of the data', () => {
    expect(parseFailure(hex('3010 0201 01'))).toMatch(/truncated/);
  });

  it('rejects a huge claimed length without allocating it', () => {
    const t = performance.now();
    expect(parseFailure(hex('3084 7fffffff 0201 01'))).toMatch(/truncated/);
    expect(parseFailure(hex('3088 0000000000000010 00'))).toMatch(/impossible length/);
    // A guard against pathological (super-linear or hanging) parsing, not a speed goal: those live in `npm run bench`.
    expect(performance.now() - t).toBeLessThan(2000);
  });

  it('rejects indefinite (BER) lengths', () => {
    expect(parseFailure(hex('3080 020101 0000'))).toMatch(/indefinite/);
  });

  it('rejects trailing bytes after the element', () => {
    expect(parseFailure(hex('3003 020101 00'))).toMatch(/1 unexpected bytes follow/);
  });

  it('rejects nesting deeper than the cap, fast', () => {
    let d = derInteger(1);
    for (let i = 0; i < 1000; i++) d = derSequence(d);
    const t = performance.now();
    expect(parseFailure(d)).toMatch(new RegExp(`nested more than ${MAX_DER_DEPTH} levels`));
    // A guard against pathological (super-linear or hanging) parsing, not a speed goal: those live in `npm run bench`.
    expect(performance.now() - t).toBeLessThan(2000);
  });

  it('rejects empty input and a non-minimal OID', () => {
    expect(parseFailure(new Uint8Array(0))).toMatch(/empty/);
    expect(() => readOid(parseDer(hex('0603 2a 80 01'), 'x'), 'x')).toThrow(/not minimally encoded/);
  });

  it('names the expected and the found tag when the structure is wrong', () => {
    expect(() => readOid(parseDer(derInteger(5), 'bad thing'), 'bad thing')).toThrow('bad thing: expected OBJECT IDENTIFIER but found INTEGER');
  });
});
