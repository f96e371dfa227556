import { describe, expect, it } from 'vitest';
import { en } from '../../../src-renderer/i18n/en.js';
import { zhTW } from '../../../src-renderer/i18n/zh-TW.js';
import { formatMessage, placeholders } from '../../../src-renderer/lib/i18n-format.js';

describe('message catalogs', () => {
  it('zh-TW has exactly the keys of en, and en exactly those of zh-TW', () => {
    expect(Object.keys(zhTW).sort()).toEqual(Object.keys(en).sort());
  });

  it('every translation uses the same placeholders as the English text', () => {
    const differing = Object.keys(en).filter((k) => placeholders(en[k as keyof typeof en]).join() !== placeholders(zhTW[k as keyof typeof en]).join());
    expect(differing).toEqual([]);
  });

  it('no string is empty or left untranslated by accident', () => {
    for (const [k, v] of [...Object.entries(en), ...Object.entries(zhTW)]) expect(v.trim(), k).not.toBe('');
    // Strings that may stay identical: names, formats and the product.
    const sameOk = new Set(['shell.version', 'profile.exchange', 'format.base64', 'farms.kind.nginx', 'farms.kind.haproxy', 'farms.kind.iis-arr', 'farms.kind.tmg']);
    const same = Object.keys(en).filter((k) => !sameOk.has(k) && en[k as keyof typeof en] === zhTW[k as keyof typeof en]);
    expect(same).toEqual([]);
  });

  it('zh-TW uses the Windows MMC terms of the reference procedure for the wizard\'s fields', () => {
    expect(zhTW['field.friendlyName']).toBe('易記名稱');
    expect(zhTW['field.description']).toBe('描述');
    expect(zhTW['field.subject']).toBe('主體名稱');
    expect(zhTW['field.sans']).toContain('主體別名');
    expect(zhTW['field.keyUsage']).toBe('金鑰使用方法');
    expect(zhTW['new.privateKey']).toBe('私密金鑰');
    expect(zhTW['export.title']).toBe('匯出');
    expect(zhTW['detail.csr']).toBe('憑證要求');
    expect(zhTW['field.keySize']).toBe('金鑰大小');
    expect(zhTW['field.keyType']).toBe('金鑰類型');
  });
});

describe('formatMessage', () => {
  it('fills named placeholders and keeps a missing one visible', () => {
    expect(formatMessage('Generating a {bits}-bit RSA key…', { bits: 4096 })).toBe('Generating a 4096-bit RSA key…');
    expect(formatMessage('{a} and {b}', { a: 'x' })).toBe('x and {b}');
    expect(formatMessage('plain')).toBe('plain');
  });

  it('puts a space where a Latin word meets a Chinese character of the template, and nowhere else', () => {
    expect(formatMessage('新增{row}', { row: 'SIP 網域' })).toBe('新增 SIP 網域');
    expect(formatMessage('新增{row}', { row: '集區' })).toBe('新增集區');
    expect(formatMessage('依{column}排序', { column: 'SHA-1' })).toBe('依 SHA-1 排序');
    expect(formatMessage('共 {n} 個', { n: 3 })).toBe('共 3 個');
    expect(formatMessage('{n}個', { n: 3 })).toBe('3 個');
    expect(formatMessage('Add {row}', { row: 'pool' })).toBe('Add pool');
  });
  it('lists the placeholders of a template once each, sorted', () => {
    expect(placeholders('{to} {from} {to}')).toEqual(['from', 'to']);
  });
});
