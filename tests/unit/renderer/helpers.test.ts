import { describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../../src-main/common/findings.js';
import { debounce, latestOnly } from '../../../src-renderer/lib/debounce.js';
import { ApiError, describeError, errorDetails } from '../../../src-renderer/lib/errors.js';
import { checkFarmForm } from '../../../src-renderer/lib/farm-form.js';
import { base64ToBytes, bytesToBase64 } from '../../../src-renderer/lib/files.js';
import { countFindings, sortFindings } from '../../../src-renderer/lib/findings.js';
import { pfxFileName } from '../../../src-renderer/lib/export-form.js';
import { normalizeThumbprint } from '../../../src-renderer/lib/thumbprint.js';

describe('latestOnly', () => {
  it('delivers only the newest answer when an older, slower call finishes later', async () => {
    const resolvers: ((v: string) => void)[] = [];
    const check = latestOnly((_q: string) => new Promise<string>((r) => resolvers.push(r)));
    const first = check('a');
    const second = check('ab');
    resolvers[1]?.('for ab');
    resolvers[0]?.('for a');
    expect(await second).toEqual({ stale: false, value: 'for ab' });
    expect(await first).toEqual({ stale: true });
  });
  it('swallows the failure of a stale call but reports the current one\'s', async () => {
    const rejecters: ((e: Error) => void)[] = [];
    const check = latestOnly(() => new Promise<string>((_r, reject) => rejecters.push(reject)));
    const first = check();
    const second = check();
    rejecters[0]?.(new Error('old'));
    rejecters[1]?.(new Error('new'));
    expect(await first).toEqual({ stale: true });
    await expect(second).rejects.toThrow('new');
  });
});

describe('debounce', () => {
  it('runs once with the last arguments after the pause, and not at all when cancelled', () => {
    vi.useFakeTimers();
    try {
      const fn = vi.fn();
      const d = debounce(fn, 300);
      d('w');
      d('we');
      d('web');
      vi.advanceTimersByTime(299);
      expect(fn).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(fn).toHaveBeenCalledExactlyOnceWith('web');
      d('x');
      d.cancel();
      vi.advanceTimersByTime(1000);
      expect(fn).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('errors in plain words', () => {
  it('keeps the service message and code and picks a title by code', () => {
    expect(describeError(new ApiError('MISMATCH', 'the certificate lacks meet.contoso.com'))).toEqual({ titleKey: 'error.mismatch', message: 'the certificate lacks meet.contoso.com', code: 'MISMATCH' });
    expect(describeError({ code: 'KEYCHAIN_UNAVAILABLE', message: 'unlock the keyring' })).toMatchObject({ titleKey: 'error.keychain', code: 'KEYCHAIN_UNAVAILABLE' });
  });
  it('lists the details of an error that sums up several problems, one line each, and none otherwise', () => {
    expect(errorDetails(new ApiError('INVALID_INPUT', 'the topology has 2 problems', ['sipDomains: at least one', 'pools: at least one']))).toEqual(['sipDomains: at least one', 'pools: at least one']);
    expect(errorDetails({ code: 'INVALID_INPUT', message: 'x', details: ['a', 7, 'b'] })).toEqual(['a', 'b']);
    expect(errorDetails(new Error('boom'))).toEqual([]);
    expect(errorDetails(null)).toEqual([]);
  });
  it('shows only the first line of an unexpected error, never a stack', () => {
    const e = new Error('boom\n    at secret (file.js:1:1)');
    expect(describeError(e)).toEqual({ titleKey: 'error.generic', message: 'boom', code: null });
    expect(describeError({ code: 'NOT_A_CODE', message: 'x' }).code).toBeNull();
  });
});

describe('files', () => {
  it('round-trips bytes through base64, also for files larger than one chunk', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7) % 256);
    const b64 = bytesToBase64(bytes);
    expect(b64).toBe(Buffer.from(bytes).toString('base64'));
    // Compared as one buffer: element-wise deep equality of 100 kB is needlessly slow.
    expect(Buffer.compare(Buffer.from(base64ToBytes(b64)), Buffer.from(bytes))).toBe(0);
  });
});

describe('findings', () => {
  const f = (code: string, severity: Finding['severity']): Finding => ({ code, severity, message: code });
  it('lists errors first, then warnings, then info, keeping the order within each', () => {
    const sorted = sortFindings([f('i1', 'info'), f('w1', 'warning'), f('e1', 'error'), f('i2', 'info'), f('e2', 'error')]);
    expect(sorted.map((x) => x.code)).toEqual(['e1', 'e2', 'w1', 'i1', 'i2']);
    expect(countFindings(sorted)).toEqual({ error: 2, warning: 1, info: 2 });
  });
});

describe('small form helpers', () => {
  it('normalizes a thumbprint pasted from Windows (spaces, lower case, invisible marks)', () => {
    const tp = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
    expect(normalizeThumbprint(`\u200e${tp.match(/../g)?.join(' ')}`)).toBe(tp.toUpperCase());
    expect(normalizeThumbprint(tp.slice(1))).toBeNull();
    expect(normalizeThumbprint(`${tp.slice(1)}g`)).toBeNull();
  });
  it('checks the farm name and each node host, and finds a node listed twice', () => {
    expect(checkFarmForm('dmz-proxies', [{ host: 'rp01.contoso.local', windowsVersion: '2012R2', notes: '' }])).toEqual([]);
    expect(checkFarmForm('bad name', [{ host: 'rp01', windowsVersion: '2019', notes: '' }, { host: 'RP01', windowsVersion: '2019', notes: '' }, { host: 'x_y', windowsVersion: 'other', notes: '' }])).toEqual([
      { where: 'name', key: 'farms.nameInvalid' },
      { where: 'node-1', key: 'farms.hostDuplicate' },
      { where: 'node-2', key: 'farms.hostInvalid' },
    ]);
  });
  it('names a PFX by subject and profile', () => {
    expect(pfxFileName('webext.contoso.com', 'legacy')).toBe('webext.contoso.com-legacy.pfx');
    expect(pfxFileName('*.contoso.com', 'modern')).toBe('wildcard.contoso.com-modern.pfx');
  });
});
