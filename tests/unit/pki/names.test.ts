import { describe, expect, it } from 'vitest';
import { checkDnsName, NAME_RULES, type NameRuleCode } from '../../../src-main/pki/names.js';

const codes = (name: string, opts: Parameters<typeof checkDnsName>[1] = {}): string[] => checkDnsName(name, opts).findings.map((f) => f.code);
const severityOf = (name: string, code: NameRuleCode, opts: Parameters<typeof checkDnsName>[1] = {}): string | undefined =>
  checkDnsName(name, opts).findings.find((f) => f.code === code)?.severity;

describe('checkDnsName: a valid name', () => {
  it('accepts the procedure subject with no findings and keeps it as its own A-label', () => {
    expect(checkDnsName('webext.contoso.com', { role: 'subject' })).toEqual({
      input: 'webext.contoso.com',
      aLabel: 'webext.contoso.com',
      uLabel: 'webext.contoso.com',
      findings: [],
    });
  });

  it('accepts digits, hyphens inside labels and a 63-octet label', () => {
    expect(codes(`a-1.${'b'.repeat(63)}.contoso.com`)).toEqual([]);
  });

  it('ties every finding to the name it is about', () => {
    const f = checkDnsName('bad_name.contoso.com').findings[0];
    expect(f?.subject).toBe('bad_name.contoso.com');
  });
});

// One case that triggers each rule and one closest neighbour that does not.
const RULE_CASES: { code: NameRuleCode; bad: string; good: string; role?: 'subject' | 'san' }[] = [
  { code: 'NAME_EMPTY', bad: '', good: 'a.contoso.com' },
  { code: 'NAME_EMPTY', bad: '   ', good: 'a.contoso.com' },
  { code: 'NAME_NUL', bad: 'webext.contoso.com\0.evil.com', good: 'webext.contoso.com.evil.com' },
  { code: 'NAME_FULLWIDTH_DOT', bad: 'webext\u3002contoso.com', good: 'webext.contoso.com' },
  { code: 'NAME_FULLWIDTH_DOT', bad: 'webext\uff0econtoso.com', good: 'webext.contoso.com' },
  { code: 'NAME_FULLWIDTH_DOT', bad: 'webext\uff61contoso.com', good: 'webext.contoso.com' },
  { code: 'NAME_LEADING_DOT', bad: '.contoso.com', good: 'contoso.com' },
  { code: 'NAME_TRAILING_DOT', bad: 'webext.contoso.com.', good: 'webext.contoso.com' },
  { code: 'LABEL_EMPTY', bad: 'webext..contoso.com', good: 'webext.contoso.com' },
  { code: 'NAME_UNDERSCORE', bad: '_sip.contoso.com', good: 'sip.contoso.com' },
  { code: 'LABEL_INVALID_CHAR', bad: 'web ext.contoso.com', good: 'web-ext.contoso.com' },
  { code: 'LABEL_INVALID_CHAR', bad: 'https://meet.contoso.com', good: 'meet.contoso.com' },
  { code: 'LABEL_INVALID_CHAR', bad: 'web\text.contoso.com', good: 'webext.contoso.com' },
  { code: 'LABEL_HYPHEN_EDGE', bad: '-webext.contoso.com', good: 'web-ext.contoso.com' },
  { code: 'LABEL_HYPHEN_EDGE', bad: 'webext-.contoso.com', good: 'web-ext.contoso.com' },
  { code: 'LABEL_RESERVED_HYPHENS', bad: 'ab--cd.contoso.com', good: 'xn--bcher-kva.contoso.com' },
  { code: 'LABEL_TOO_LONG', bad: `${'a'.repeat(64)}.contoso.com`, good: `${'a'.repeat(63)}.contoso.com` },
  { code: 'NAME_TOO_LONG', bad: `${Array.from({ length: 4 }, () => 'a'.repeat(62)).join('.')}.com`, good: `${Array.from({ length: 3 }, () => 'a'.repeat(62)).join('.')}.com` },
  { code: 'IDN_INVALID', bad: 'xn--a.contoso.com', good: 'xn--bcher-kva.contoso.com' },
  { code: 'IDN_INVALID', bad: 'xn--ab-.contoso.com', good: 'xn--bcher-kva.contoso.com' },
  { code: 'IDN_INVALID', bad: '\u2488contoso.com', good: 'bücher.contoso.com' },
  { code: 'IDN_CONVERTED', bad: 'bücher.contoso.com', good: 'buecher.contoso.com' },
  { code: 'NAME_CASE_NORMALIZED', bad: 'WebExt.Contoso.com', good: 'webext.contoso.com' },
  { code: 'IP_AS_DNSNAME', bad: '192.0.2.10', good: 'host192.contoso.com' },
  { code: 'IP_AS_DNSNAME', bad: '2001:db8::1', good: 'host.contoso.com' },
  { code: 'IP_AS_DNSNAME', bad: '[2001:db8::1]', good: 'host.contoso.com' },
  { code: 'IP_AS_DNSNAME', bad: '10.1.2', good: '10.1.contoso.com' },
  { code: 'NAME_NUMERIC_TLD', bad: 'webext.contoso.123', good: 'webext.123.contoso.com' },
  { code: 'WILDCARD_PLACEMENT', bad: 'f*o.contoso.com', good: '*.contoso.com' },
  { code: 'WILDCARD_PLACEMENT', bad: '*.*.contoso.com', good: '*.contoso.com' },
  { code: 'WILDCARD_PLACEMENT', bad: 'www.*.contoso.com', good: '*.www.contoso.com' },
  { code: 'WILDCARD_PLACEMENT', bad: '*web.contoso.com', good: '*.web.contoso.com' },
  { code: 'WILDCARD_TOO_BROAD', bad: '*.com', good: '*.contoso.com' },
  { code: 'WILDCARD_TOO_BROAD', bad: '*', good: '*.contoso.com' },
  // The Public Suffix List (tldts): a wildcard over a multi-label public suffix is as broad as *.com.
  { code: 'WILDCARD_TOO_BROAD', bad: '*.co.uk', good: '*.contoso.co.uk' },
  { code: 'WILDCARD_TOO_BROAD', bad: '*.com.tw', good: '*.contoso.com.tw' },
  { code: 'WILDCARD_TOO_BROAD', bad: '*.xn--zfr164b', good: '*.contoso.xn--zfr164b' },
  { code: 'NAME_PUBLIC_SUFFIX', bad: 'co.uk', good: 'contoso.co.uk' },
  { code: 'NAME_PUBLIC_SUFFIX', bad: 'com.tw', good: 'webext.contoso.com.tw' },
  { code: 'SUBJECT_UNDER_PUBLIC_SUFFIX', bad: 'contoso.co.uk', good: 'webext.contoso.co.uk', role: 'subject' },
  { code: 'SUBJECT_UNDER_PUBLIC_SUFFIX', bad: 'contoso.com', good: 'webext.contoso.com', role: 'subject' },
  { code: 'WILDCARD_AS_SUBJECT', bad: '*.contoso.com', good: 'webext.contoso.com', role: 'subject' },
  { code: 'INTERNAL_NAME', bad: 'webext', good: 'webext.contoso.com' },
  { code: 'INTERNAL_NAME', bad: 'webext.contoso.local', good: 'webext.contoso.com' },
  { code: 'INTERNAL_NAME', bad: 'webext.contoso.lan', good: 'webext.contoso.com' },
  { code: 'INTERNAL_NAME', bad: 'webext.corp.internal', good: 'webext.internal.contoso.com' },
  { code: 'INTERNAL_NAME', bad: 'localhost', good: 'localhost.contoso.com' },
  { code: 'CN_TOO_LONG', bad: `${'a'.repeat(53)}.contoso.com`, good: `${'a'.repeat(52)}.contoso.com`, role: 'subject' },
];

describe('checkDnsName: one rule at a time', () => {
  for (const { code, bad, good, role } of RULE_CASES) {
    it(`${code}: reports ${JSON.stringify(bad)} and not ${JSON.stringify(good)}`, () => {
      expect(codes(bad, role ? { role } : {})).toContain(code);
      expect(codes(good, role ? { role } : {})).not.toContain(code);
    });
  }

  it('covers every code of NAME_RULES except the two that only a name set can raise', () => {
    const tested = new Set<string>(RULE_CASES.map((c) => c.code));
    const setOnly = ['NAME_CN_ADDED_TO_SAN', 'DUPLICATE_NAME'];
    expect(Object.keys(NAME_RULES).filter((c) => !tested.has(c) && !setOnly.includes(c))).toEqual([]);
  });

  it('gives each finding the severity the catalogue documents', () => {
    for (const { code, bad, role } of RULE_CASES) {
      expect(severityOf(bad, code, role ? { role } : {}), code).toBe(NAME_RULES[code].severity);
    }
  });
});

describe('checkDnsName: details of the rules', () => {
  it('stores internationalized names as lower-case A-labels and shows the U-label', () => {
    const r = checkDnsName('Bücher.Contoso.com');
    expect(r.aLabel).toBe('xn--bcher-kva.contoso.com');
    expect(r.uLabel).toBe('bücher.contoso.com');
    const info = r.findings.find((f) => f.code === 'IDN_CONVERTED');
    expect(info?.message).toContain('bücher.contoso.com');
    expect(info?.message).toContain('xn--bcher-kva.contoso.com');
    expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('accepts a valid A-label as given and shows its U-label', () => {
    const r = checkDnsName('XN--BCHER-KVA.contoso.com');
    expect(r.aLabel).toBe('xn--bcher-kva.contoso.com');
    expect(r.uLabel).toBe('bücher.contoso.com');
  });

  it('has no A-label for malformed punycode, NUL, full-width dots or IP addresses', () => {
    for (const bad of ['xn--a.contoso.com', 'a\0.com', 'a\u3002com', '192.0.2.1', '']) expect(checkDnsName(bad).aLabel).toBeNull();
  });

  it('lower-cases plain ASCII names', () => {
    expect(checkDnsName('MEET.CONTOSO.COM').aLabel).toBe('meet.contoso.com');
  });

  it('makes an internal name an error only when a public CA will sign', () => {
    expect(severityOf('webext.contoso.local', 'INTERNAL_NAME')).toBe('warning');
    expect(severityOf('webext.contoso.local', 'INTERNAL_NAME', { publicCa: true })).toBe('error');
  });

  it('allows a wildcard SAN of the right shape', () => {
    expect(checkDnsName('*.contoso.com', { role: 'san' }).findings).toEqual([]);
  });

  it('counts the CN limit on the A-label form', () => {
    // 57 characters as U-labels, 75 octets as A-labels.
    const label = 'äöüéèêëïîôûçñáíóúàòùâã';
    const name = `${label}.${label}.contoso.com`;
    expect(name.length).toBeLessThanOrEqual(64);
    expect(codes(name, { role: 'subject' })).toContain('CN_TOO_LONG');
    expect(codes(name, { role: 'san' })).not.toContain('CN_TOO_LONG');
  });

  it('names the offending characters and hints at URLs', () => {
    const f = checkDnsName('https://meet.contoso.com').findings.find((x) => x.code === 'LABEL_INVALID_CHAR');
    expect(f?.message).toContain('":"');
    expect(f?.message).toContain('not a URL');
  });

  it('keeps every message on one line, even for names with control characters', () => {
    for (const name of ['a\nb.contoso.com', 'a\rb.com', 'a\tb.local']) {
      for (const f of checkDnsName(name).findings) expect(f.message).not.toMatch(/[\r\n]/);
    }
  });

  it('never throws on arbitrary strings', () => {
    const samples = ['\ud800', '💩.la', '..', '.', '*.', '-', 'xn--', '\u200b.com', 'a'.repeat(10_000), '%41.com'];
    for (const s of samples) expect(() => checkDnsName(s, { role: 'subject', publicCa: true })).not.toThrow();
  });
});
