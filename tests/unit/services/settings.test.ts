import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import { getSettings, SETTINGS_FILE, updateSettings } from '../../../src-main/services/settings.js';
import { acquireLock } from '../../../src-main/store/lock.js';
import { Store } from '../../../src-main/store/store.js';

let root: string;
let n = 0;
const fresh = () => join(root, `s${++n}`);
const write = (dir: string, data: unknown) => writeFileSync(join(dir, SETTINGS_FILE), typeof data === 'string' ? data : JSON.stringify(data));

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'certdesk-settings-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('settings file', () => {
  it('reads a language this build does not know as "follow the system", and keeps it when saving other settings', async () => {
    const dir = fresh();
    await Store.open(dir, createMemorySecretStore());
    write(dir, { schemaVersion: 1, defaultPfxProfile: 'modern', language: 'fr' });
    expect(await getSettings({ storeDir: dir })).toMatchObject({ defaultPfxProfile: 'modern', language: null });
    await updateSettings({ storeDir: dir }, { defaultPfxProfile: 'legacy' });
    expect(JSON.parse(readFileSync(join(dir, SETTINGS_FILE), 'utf8'))).toEqual({ schemaVersion: 1, defaultPfxProfile: 'legacy', language: 'fr' });
  });

  it.each([
    ['not JSON', '{"schemaVersion": 1,'],
    ['a wrong schema version', { schemaVersion: 2, defaultPfxProfile: 'legacy' }],
    ['an unknown PFX profile', { schemaVersion: 1, defaultPfxProfile: 'ancient' }],
    ['a language that is no text', { schemaVersion: 1, defaultPfxProfile: 'legacy', language: 7 }],
  ])('still refuses a damaged file: %s', async (_why, data) => {
    const dir = fresh();
    await Store.open(dir, createMemorySecretStore());
    write(dir, data);
    await expect(getSettings({ storeDir: dir })).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });

  it('saves under the store lock: a held lock makes the save wait, then STORE_LOCKED with the file untouched', async () => {
    const dir = fresh();
    await Store.open(dir, createMemorySecretStore());
    await updateSettings({ storeDir: dir }, { defaultPfxProfile: 'modern' });
    const before = readFileSync(join(dir, SETTINGS_FILE), 'utf8');
    const release = await acquireLock(join(dir, 'store.lock'), { timeoutMs: 1000 });
    try {
      await expect(updateSettings({ storeDir: dir, lockTimeoutMs: 300 }, { defaultPfxProfile: 'legacy' })).rejects.toMatchObject({ code: 'STORE_LOCKED' });
    } finally {
      await release();
    }
    expect(readFileSync(join(dir, SETTINGS_FILE), 'utf8')).toBe(before);
    expect((await updateSettings({ storeDir: dir }, { defaultPfxProfile: 'legacy' })).defaultPfxProfile).toBe('legacy');
  });

  it('writes without a lock before the store exists, creating only the settings file', async () => {
    const dir = fresh();
    await updateSettings({ storeDir: dir }, { language: 'en' });
    expect(await readdir(dir)).toEqual([SETTINGS_FILE]);
  });

  it('keeps the colour scheme and expiry thresholds, with 30/60 days and "system" when none were saved', async () => {
    const dir = fresh();
    await Store.open(dir, createMemorySecretStore());
    expect(await getSettings({ storeDir: dir })).toMatchObject({ theme: 'system', expiryCriticalDays: 30, expiryWarningDays: 60 });
    await updateSettings({ storeDir: dir }, { theme: 'dark', expiryCriticalDays: 14, expiryWarningDays: 45 });
    await updateSettings({ storeDir: dir }, { defaultPfxProfile: 'modern' });
    expect(await getSettings({ storeDir: dir })).toMatchObject({ theme: 'dark', expiryCriticalDays: 14, expiryWarningDays: 45, defaultPfxProfile: 'modern' });
  });

  it('refuses a warning threshold below the critical one, and days out of range, leaving the file as it was', async () => {
    const dir = fresh();
    await Store.open(dir, createMemorySecretStore());
    await updateSettings({ storeDir: dir }, { expiryCriticalDays: 30, expiryWarningDays: 60 });
    const before = readFileSync(join(dir, SETTINGS_FILE), 'utf8');
    await expect(updateSettings({ storeDir: dir }, { expiryWarningDays: 20 })).rejects.toThrow(/below the critical threshold/);
    await expect(updateSettings({ storeDir: dir }, { expiryCriticalDays: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(updateSettings({ storeDir: dir }, { theme: 'sepia' as never })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(readFileSync(join(dir, SETTINGS_FILE), 'utf8')).toBe(before);
  });

  it('refuses a damaged theme or threshold in the file as STORE_CORRUPT', async () => {
    const dir = fresh();
    await Store.open(dir, createMemorySecretStore());
    write(dir, { schemaVersion: 1, defaultPfxProfile: 'legacy', expiryWarningDays: -3 });
    await expect(getSettings({ storeDir: dir })).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });
});
