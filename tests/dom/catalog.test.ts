import { afterEach, describe, expect, it } from 'vitest';
import { errorText, findingText, historyEventText } from '../../src-renderer/lib/codes.js';
import { impactOfMissingName, pathForProfile, pfxFileName } from '../../src-renderer/lib/export-form.js';
import { type ReadItem, readLine } from '../../src-main/common/topology-import.js';
import { locale, setLocale, t } from '../../src-renderer/lib/i18n.svelte.js';
import { readItemText } from '../../src-renderer/lib/topology-read.js';

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

describe('what a Lync topology document said, in the UI language', () => {
  const items: ReadItem[] = [
    { kind: 'sip-domains', domains: ['contoso.com', 'contoso.net'], defaultDomain: 'contoso.com' },
    { kind: 'pool', fqdn: 'pool01.contoso.com', external: 'webext.contoso.com' },
    { kind: 'director', fqdn: 'dir01.contoso.com', external: 'webdirext.contoso.com' },
    { kind: 'meet-urls', urls: ['https://meet.contoso.com'] },
    { kind: 'dialin-url', url: 'https://dialin.contoso.com' },
    { kind: 'office-web-apps', servers: ['owa01.contoso.com', 'owa02.contoso.com'] },
    { kind: 'edge', fqdn: 'edge01.contoso.net' },
    { kind: 'edge', fqdn: null },
  ];

  it('words each item from the catalog in zh-TW, with the names as written and no English sentence left', () => {
    setLocale('zh-TW');
    const lines = items.map(readItemText);
    expect(lines[0]).toBe('SIP 網域：contoso.com、contoso.net（預設 contoso.com）');
    expect(lines[1]).toBe('Front End 集區 pool01.contoso.com：外部 Web 服務 FQDN webext.contoso.com');
    expect(lines[5]).toBe('Office Web Apps Server：owa01.contoso.com、owa02.contoso.com');
    for (const [i, line] of lines.entries()) {
      // The English words readLine uses must not appear (product names such as Front End stay).
      expect(line, readLine(items[i] as ReadItem)).not.toMatch(/external web services|simple URLs?:|SIP domains|default |an Edge pool/);
      expect(line, 'Chinese words or full-width punctuation').toMatch(/[\u4e00-\u9fff：]/);
    }
  });

  it('in English gives the same facts as the CLI line', () => {
    setLocale('en');
    expect(readItemText(items[0] as ReadItem)).toBe('SIP domains: contoso.com, contoso.net (default contoso.com)');
    expect(readItemText(items[7] as ReadItem)).toBe('An Edge pool (the document does not name its cluster)');
  });
});
