import { describe, expect, it } from 'vitest';
import { type DecodedCsr, escapeDnValue, formatDistinguishedName, renderCsrText } from '../../../src-main/common/csr.js';
import { parseCsrDer } from '../../../src-main/pki/csr-decode.js';
import {
  derBitString,
  derContextConstructed,
  derInteger,
  derNull,
  derOid,
  derSequence,
  derSet,
  derUtf8String,
} from '../../../src-main/pki/der-encode.js';

/** A structurally valid request with algorithms nobody knows (nothing can verify it). */
function exoticCsr(): Uint8Array {
  const subject = derSequence(derSet(derSequence(derOid('2.5.4.3'), derUtf8String('exotic.example'))));
  const spki = derSequence(derSequence(derOid('1.2.3.4.5.6'), derNull()), derBitString(Uint8Array.of(1, 2, 3, 4)));
  const info = derSequence(derInteger(0), subject, spki, derContextConstructed(0, new Uint8Array(0)));
  return derSequence(info, derSequence(derOid('1.2.3.4.5.7')), derBitString(Uint8Array.of(9, 9, 9)));
}

describe('unsupported algorithms', () => {
  it('are reported by OID, never a crash, and the signature is marked unchecked', () => {
    const d = parseCsrDer(exoticCsr());
    expect(d.publicKey).toEqual({ algorithm: '1.2.3.4.5.6', oid: '1.2.3.4.5.6', bits: null, curve: null, exponent: null });
    expect(d.signature).toEqual({ algorithm: '1.2.3.4.5.7', oid: '1.2.3.4.5.7', valid: null, note: 'the signature algorithm 1.2.3.4.5.7 is not supported here' });
    expect(d.findings.map((f) => f.code)).toEqual(['CSR_SIGNATURE_UNCHECKED', 'CSR_KEY_NOT_RSA', 'CSR_NO_DNS_SAN']);
    const text = renderCsrText(d);
    expect(text).toContain('Public Key: 1.2.3.4.5.6 (1.2.3.4.5.6), unknown size');
    expect(text).toContain('Signature not checked: the signature algorithm 1.2.3.4.5.7 is not supported here');
  });
});

describe('distinguished names', () => {
  it('escapes RFC 4514 special characters, a leading # or space and a trailing space', () => {
    expect(escapeDnValue('Contoso, Ltd.')).toBe('Contoso\\, Ltd.');
    expect(escapeDnValue('a+b;c<d>e"f\\g')).toBe('a\\+b\\;c\\<d\\>e\\"f\\\\g');
    expect(escapeDnValue('#1')).toBe('\\#1');
    expect(escapeDnValue(' x ')).toBe('\\ x\\ ');
  });

  it('prints the most specific attribute first, unknown OIDs by number', () => {
    expect(
      formatDistinguishedName([
        { oid: '2.5.4.6', shortName: 'C', value: 'US' },
        { oid: '1.2.3', shortName: null, value: 'v' },
        { oid: '2.5.4.3', shortName: 'CN', value: 'a.example' },
      ]),
    ).toBe('CN=a.example, 1.2.3=v, C=US');
  });
});

describe('renderCsrText', () => {
  const base = parseCsrDer(exoticCsr());
  it('lists findings with severity and code', () => {
    const d: DecodedCsr = { ...base, findings: [{ code: 'CSR_X', severity: 'warning', message: 'something odd' }] };
    expect(renderCsrText(d)).toContain('Findings:\n    warning: something odd [CSR_X]\n');
  });

  it('says "(none)" for a request without SANs and ends with one newline', () => {
    const text = renderCsrText(base);
    expect(text).toContain('Subject Alternative Names:\n    (none)\n');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
  });
});
