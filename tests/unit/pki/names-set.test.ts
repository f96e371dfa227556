import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../../src-main/common/findings.js';
import { checkNameSet } from '../../../src-main/pki/names.js';

describe('checkNameSet', () => {
  it('puts the CN first and adds it to the SANs when missing, saying so', () => {
    const r = checkNameSet('webext.contoso.com', ['meet.contoso.com', 'dialin.contoso.com']);
    expect(r.commonName).toBe('webext.contoso.com');
    expect(r.sans).toEqual(['webext.contoso.com', 'meet.contoso.com', 'dialin.contoso.com']);
    expect(r.findings).toEqual([expect.objectContaining({ code: 'NAME_CN_ADDED_TO_SAN', severity: 'info' })]);
  });

  it('moves the CN to the front without a finding when it is already a SAN', () => {
    const r = checkNameSet('webext.contoso.com', ['meet.contoso.com', 'WEBEXT.contoso.com']);
    expect(r.sans).toEqual(['webext.contoso.com', 'meet.contoso.com']);
    expect(r.findings.map((f) => f.code)).not.toContain('NAME_CN_ADDED_TO_SAN');
  });

  it('deduplicates case-insensitively and as A-labels, keeping the first position', () => {
    const r = checkNameSet('webext.contoso.com', ['Meet.contoso.com', 'bücher.contoso.com', 'meet.CONTOSO.com', 'xn--bcher-kva.contoso.com']);
    expect(r.sans).toEqual(['webext.contoso.com', 'meet.contoso.com', 'xn--bcher-kva.contoso.com']);
    const dups = r.findings.filter((f) => f.code === 'DUPLICATE_NAME');
    expect(dups).toHaveLength(2);
    expect(dups.every((f) => f.severity === 'info')).toBe(true);
  });

  it('reports a CN listed twice among the SANs as a duplicate', () => {
    const r = checkNameSet('webext.contoso.com', ['webext.contoso.com', 'webext.contoso.com']);
    expect(r.sans).toEqual(['webext.contoso.com']);
    expect(r.findings.map((f) => f.code)).toEqual(['DUPLICATE_NAME']);
  });

  it('normalizes the CN exactly like its SAN copy (character for character)', () => {
    const r = checkNameSet('WebExt.Contoso.COM', []);
    expect(r.commonName).toBe('webext.contoso.com');
    expect(r.sans[0]).toBe(r.commonName);
  });

  it('refuses a wildcard CN but accepts a wildcard SAN', () => {
    expect(hasErrors(checkNameSet('*.contoso.com', []).findings)).toBe(true);
    expect(hasErrors(checkNameSet('webext.contoso.com', ['*.contoso.com']).findings)).toBe(false);
  });

  it('reports each bad SAN once, and errors mean refuse', () => {
    const r = checkNameSet('webext.contoso.com', ['bad_name.contoso.com', '192.0.2.1']);
    expect(r.findings.map((f) => f.code).sort()).toEqual(['IP_AS_DNSNAME', 'NAME_CN_ADDED_TO_SAN', 'NAME_UNDERSCORE']);
    expect(hasErrors(r.findings)).toBe(true);
  });

  it('passes publicCa through to the internal-name rule', () => {
    expect(checkNameSet('webext.contoso.local', []).findings.find((f) => f.code === 'INTERNAL_NAME')?.severity).toBe('warning');
    expect(checkNameSet('webext.contoso.local', [], { publicCa: true }).findings.find((f) => f.code === 'INTERNAL_NAME')?.severity).toBe('error');
  });
});
