import { afterEach, describe, expect, it } from 'vitest';
import { errorText, findingText, historyEventText } from '../../src-renderer/lib/codes.js';
import { impactOfMissingName, pathForProfile, pfxFileName } from '../../src-renderer/lib/export-form.js';
import { locale, setLocale, t } from '../../src-renderer/lib/i18n.svelte.js';

// Catalog lookups as the components use them, in a DOM (setLocale writes <html lang>).
afterEach(() => setLocale('en'));

describe('catalog lookups', () => {
  it('switches the language of t() and <html lang> together', () => {
    setLocale('zh-TW');
    expect(locale()).toBe('zh-TW');
    expect(document.documentElement.lang).toBe('zh-TW');
    expect(t('farms.deleteConfirm')).toBe('刪除伺服器陣列');
    setLocale('en');
    expect(t('farms.deleteTitle', { name: 'edge' })).toBe('Delete farm edge?');
  });

  it('renders a finding and an error from their codes in zh-TW, keeping the service text as the detail', () => {
    setLocale('zh-TW');
    const f = findingText({ code: 'CERT_SANS_MISSING', message: 'the certificate lacks requested SAN meet.contoso.com' });
    expect(f).not.toBe('the certificate lacks requested SAN meet.contoso.com');
    expect(/[\u4e00-\u9fff]/.test(f)).toBe(true);
    const e = errorText('MISMATCH', 'the certificate differs from request X: ...; import it anyway only by accepting the mismatch explicitly (--accept-mismatch)');
    expect(e.text).not.toContain('--accept-mismatch');
    expect(e.detail ?? '').not.toContain('--accept-mismatch');
    expect(/[\u4e00-\u9fff]/.test(historyEventText('deployment-undone'))).toBe(true);
  });

  it('keeps a typed PFX file name in step with the profile and leaves other names alone', () => {
    expect(pathForProfile('/media/usb/webext.contoso.com-legacy.pfx', 'modern')).toBe('/media/usb/webext.contoso.com-modern.pfx');
    expect(pathForProfile('/media/usb/webext.contoso.com-modern.PFX', 'legacy')).toBe('/media/usb/webext.contoso.com-legacy.PFX');
    expect(pathForProfile('/media/usb/my-legacy-copy.pfx', 'modern')).toBe('/media/usb/my-legacy-copy.pfx');
    expect(pathForProfile(pfxFileName('*.contoso.com', 'legacy'), 'modern')).toBe('wildcard.contoso.com-modern.pfx');
  });

  it('says which Lync service a missing name serves', () => {
    expect(impactOfMissingName('LyncDiscover.contoso.com')).toBe('lyncdiscover');
    expect(impactOfMissingName('meet.contoso.com')).toBe('meet');
    expect(impactOfMissingName('dialin.contoso.com')).toBe('dialin');
    expect(impactOfMissingName('sip.contoso.com')).toBe('sip');
    expect(impactOfMissingName('owa.contoso.com')).toBe('other');
    for (const k of ['lyncdiscover', 'meet', 'dialin', 'sip', 'other'] as const) expect(t(`import.breaks.${k}`)).not.toBe('');
  });
});
