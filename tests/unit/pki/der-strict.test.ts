import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDerSortedSetOf, parseDer, readBoolean, readInteger } from '../../../src-main/pki/der.js';
import { parseCsr } from '../../../src-main/pki/csr-decode.js';

// The DER reader is strict where X.690 section 10/11 says DER differs from BER; a foreign CSR's
// unsorted attribute SET is reported (CSR_NOT_DER), not refused: real Windows and OpenSSL CSRs are DER.
const bytes = (...b: number[]) => new Uint8Array(b);
const W = 'test';
const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'csr', name));

describe('strict DER', () => {
  it('refuses a length in long form below 128, and a length with a leading zero octet', () => {
    expect(() => parseDer(bytes(0x04, 0x81, 0x01, 0x00), W)).toThrow(/long form \(BER, not DER\)/);
    expect(() => parseDer(bytes(0x04, 0x82, 0x00, 0x81, ...new Array<number>(0x81).fill(0)), W)).toThrow(/leading zero octet/);
    expect(parseDer(bytes(0x04, 0x81, 0x80, ...new Array<number>(0x80).fill(0)), W).content.length).toBe(0x80);
  });

  it('refuses a BOOLEAN TRUE that is not 0xff', () => {
    expect(() => readBoolean(parseDer(bytes(0x01, 0x01, 0x01), W), W)).toThrow(/a boolean is 0x01, not 0xff/);
    expect(readBoolean(parseDer(bytes(0x01, 0x01, 0xff), W), W)).toBe(true);
    expect(readBoolean(parseDer(bytes(0x01, 0x01, 0x00), W), W)).toBe(false);
  });

  it('refuses INTEGERs with a redundant leading 0x00 or 0xff', () => {
    expect(() => readInteger(parseDer(bytes(0x02, 0x02, 0x00, 0x01), W), W)).toThrow(/not minimally encoded/);
    expect(() => readInteger(parseDer(bytes(0x02, 0x02, 0xff, 0x80), W), W)).toThrow(/not minimally encoded/);
    expect(readInteger(parseDer(bytes(0x02, 0x02, 0x00, 0x80), W), W)).toBe(128n);
    expect(readInteger(parseDer(bytes(0x02, 0x01, 0x80), W), W)).toBe(-128n);
  });

  it('reads real Windows certreq and OpenSSL CSRs as DER (their attribute SETs are sorted)', () => {
    const windows = parseCsr(fixture('windows-certreq.req'));
    expect(windows.signature.valid).toBe(true);
    expect(windows.findings.map((f) => f.code)).not.toContain('CSR_NOT_DER');
    expect(parseCsr(fixture('openssl-rsa-san.pem')).findings.map((f) => f.code)).not.toContain('CSR_NOT_DER');
  });

  it('tells a sorted SET OF from an unsorted one', () => {
    expect(isDerSortedSetOf(parseDer(bytes(0x31, 0x06, 0x04, 0x01, 0x01, 0x04, 0x01, 0x02), W))).toBe(true);
    expect(isDerSortedSetOf(parseDer(bytes(0x31, 0x06, 0x04, 0x01, 0x02, 0x04, 0x01, 0x01), W))).toBe(false);
  });
});
