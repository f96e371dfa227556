import { describe, expect, it } from 'vitest';
import { checkForm, csrFileName, emptyForm, parseSanLines, toNewRequestInput } from '../../../src-renderer/lib/request-form.js';

describe('new request form', () => {
  it('starts with the procedure\'s defaults: 2048 bits, exportable, Windows attribute, Base 64', () => {
    expect(emptyForm()).toMatchObject({ keySize: 2048, exportable: true, windowsAttributes: true, format: 'base64' });
  });

  it('reads SANs one per line, also split by commas and spaces, dropping blanks and case-insensitive duplicates', () => {
    expect(parseSanLines(' meet.contoso.com\r\n\nDIALIN.contoso.com, dialin.contoso.com;lyncdiscover.contoso.com  webext.contoso.com\n')).toEqual([
      'meet.contoso.com',
      'DIALIN.contoso.com',
      'lyncdiscover.contoso.com',
      'webext.contoso.com',
    ]);
    expect(parseSanLines('   ')).toEqual([]);
  });

  it('requires the common name and flags each bad field once', () => {
    expect(checkForm(emptyForm())).toEqual([{ field: 'commonName', key: 'form.required' }]);
    const problems = checkForm({ ...emptyForm(), commonName: 'a'.repeat(65), country: 'USA', friendlyName: 'tab\there' });
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'commonName', key: 'form.tooLong', params: { max: 64 } },
        { field: 'country', key: 'form.countryCode' },
        { field: 'friendlyName', key: 'form.controlChars' },
      ]),
    );
    expect(problems).toHaveLength(3);
  });

  it('accepts a complete form without problems', () => {
    expect(checkForm({ ...emptyForm(), commonName: 'webext.contoso.com', country: 'tw', organization: 'Contoso' })).toEqual([]);
  });

  it('builds the API input with trimmed values and leaves empty optional fields out entirely', () => {
    const input = toNewRequestInput({ ...emptyForm(), commonName: ' webext.contoso.com ', country: 'us', organization: ' ', sansText: 'meet.contoso.com', keySize: 4096, exportable: false });
    expect(input).toEqual({ subject: { commonName: 'webext.contoso.com', country: 'US' }, sans: ['meet.contoso.com'], keySize: 4096, exportable: false, windowsAttributes: true });
    expect('friendlyName' in input).toBe(false);
    expect('organization' in input.subject).toBe(false);
  });

  it('suggests a safe CSR file name per format', () => {
    expect(csrFileName('webext.contoso.com', 'base64')).toBe('webext.contoso.com.csr');
    expect(csrFileName('webext.contoso.com', 'der')).toBe('webext.contoso.com.der');
    expect(csrFileName('*.contoso.com', 'base64')).toBe('wildcard.contoso.com.csr');
    expect(csrFileName('a/b\\c:d', 'base64')).toBe('a_b_c_d.csr');
    expect(csrFileName('  ', 'der')).toBe('request.der');
  });
});
