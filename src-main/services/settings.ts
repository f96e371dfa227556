import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS, type PfxProfile, type Settings, type SettingsPatch, THEME_CHOICES, type ThemeChoice, UI_LANGUAGES, type UiLanguage } from '../common/api.js';
import { CertdeskError } from '../common/errors.js';
import { ensureDir, writeFileDurable } from '../store/durable.js';
import { guardIo } from '../store/io-error.js';
import { LAYOUT } from '../store/layout.js';
import { acquireLock } from '../store/lock.js';
import { Store } from '../store/store.js';

/** The file, inside the store folder, that keeps the user's settings. */
export const SETTINGS_FILE = 'settings.json';

const PROFILES: readonly PfxProfile[] = ['legacy', 'modern'];

/** Legacy by default: the procedure's proxies (TMG 2010, Windows Server 2008 R2-2016) read only it. */
const DEFAULTS = { defaultPfxProfile: 'legacy' as PfxProfile };

interface SettingsFile {
  schemaVersion: 1;
  defaultPfxProfile: PfxProfile;
  /**
   * Absent in files written before the language setting existed: follow the system then. Any string
   * is kept (a newer build may add languages); one this build does not know reads as "follow the system".
   */
  language?: string;
  /** Absent in older files: follow the system. */
  theme?: ThemeChoice;
  /** Absent in older files: DEFAULT_EXPIRY_DAYS. */
  expiryCriticalDays?: number;
  expiryWarningDays?: number;
}

/** Same default as Store.open: long enough for another process's write to finish. */
const LOCK_TIMEOUT_MS = 15_000;

const isLanguage = (v: unknown): v is UiLanguage => UI_LANGUAGES.includes(v as UiLanguage);
const isTheme = (v: unknown): v is ThemeChoice => THEME_CHOICES.includes(v as ThemeChoice);
const isDays = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_EXPIRY_DAYS;

async function readSettingsFile(storeDir: string): Promise<SettingsFile | null> {
  const path = join(storeDir, SETTINGS_FILE);
  const text = await guardIo(`cannot read ${path}`, async () => {
    try {
      return await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  });
  if (text === null) return null;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = null;
  }
  const d = data as Partial<SettingsFile> | null;
  if (
    !d ||
    typeof d !== 'object' ||
    d.schemaVersion !== 1 ||
    !PROFILES.includes(d.defaultPfxProfile as PfxProfile) ||
    (d.language !== undefined && (typeof d.language !== 'string' || d.language.length > 64)) ||
    (d.theme !== undefined && !isTheme(d.theme)) ||
    (d.expiryCriticalDays !== undefined && !isDays(d.expiryCriticalDays)) ||
    (d.expiryWarningDays !== undefined && !isDays(d.expiryWarningDays))
  ) {
    throw new CertdeskError('STORE_CORRUPT', `${path} is damaged; save the settings again (or delete the file) to restore it`);
  }
  return {
    schemaVersion: 1,
    defaultPfxProfile: d.defaultPfxProfile as PfxProfile,
    ...(d.language ? { language: d.language } : {}),
    ...(d.theme ? { theme: d.theme } : {}),
    ...(d.expiryCriticalDays ? { expiryCriticalDays: d.expiryCriticalDays } : {}),
    ...(d.expiryWarningDays ? { expiryWarningDays: d.expiryWarningDays } : {}),
  };
}

function toSettings(storeDir: string, file: SettingsFile | null): Settings {
  const language = file?.language;
  return {
    storeDir,
    defaultPfxProfile: file?.defaultPfxProfile ?? DEFAULTS.defaultPfxProfile,
    language: isLanguage(language) ? language : null,
    theme: file?.theme ?? 'system',
    expiryCriticalDays: file?.expiryCriticalDays ?? DEFAULT_EXPIRY_DAYS.critical,
    expiryWarningDays: file?.expiryWarningDays ?? DEFAULT_EXPIRY_DAYS.warning,
  };
}

/** The settings of the store at ctx.storeDir (defaults where none were saved). */
export async function getSettings(ctx: { storeDir: string }): Promise<Settings> {
  return toSettings(ctx.storeDir, await readSettingsFile(ctx.storeDir));
}

/**
 * Saves a change. Read-modify-write under the store lock when a store exists, so two writers do not
 * lose each other's change; before the store exists (first launch) there is no lock to take and the
 * file is written alone, atomically. A damaged file is replaced rather than blocking the fix.
 */
export async function updateSettings(ctx: { storeDir: string; lockTimeoutMs?: number }, patch: SettingsPatch): Promise<Settings> {
  if (patch.defaultPfxProfile !== undefined && !PROFILES.includes(patch.defaultPfxProfile)) {
    throw new CertdeskError('INVALID_INPUT', `unknown PFX profile "${String(patch.defaultPfxProfile)}": use legacy or modern`);
  }
  if (patch.language !== undefined && !isLanguage(patch.language)) {
    throw new CertdeskError('INVALID_INPUT', `unknown language "${String(patch.language)}": use ${UI_LANGUAGES.join(' or ')}`);
  }
  if (patch.theme !== undefined && !isTheme(patch.theme)) {
    throw new CertdeskError('INVALID_INPUT', `unknown colour scheme "${String(patch.theme)}": use ${THEME_CHOICES.join(', ')}`);
  }
  for (const [field, v] of [['expiryCriticalDays', patch.expiryCriticalDays], ['expiryWarningDays', patch.expiryWarningDays]] as const) {
    if (v !== undefined && !isDays(v)) throw new CertdeskError('INVALID_INPUT', `${field} must be a whole number of days from 1 to ${MAX_EXPIRY_DAYS}`);
  }
  if (!(await Store.exists(ctx.storeDir))) return writeSettings(ctx.storeDir, patch);
  const release = await guardIo('cannot lock the store', () => acquireLock(join(ctx.storeDir, LAYOUT.lock), { timeoutMs: ctx.lockTimeoutMs ?? LOCK_TIMEOUT_MS }));
  try {
    return await writeSettings(ctx.storeDir, patch);
  } finally {
    await release();
  }
}

async function writeSettings(storeDir: string, patch: SettingsPatch): Promise<Settings> {
  let current: SettingsFile | null = null;
  try {
    current = await readSettingsFile(storeDir);
  } catch (e) {
    if (!(e instanceof CertdeskError && e.code === 'STORE_CORRUPT')) throw e;
  }
  const language = patch.language ?? current?.language;
  const theme = patch.theme ?? current?.theme;
  const critical = patch.expiryCriticalDays ?? current?.expiryCriticalDays ?? DEFAULT_EXPIRY_DAYS.critical;
  const warning = patch.expiryWarningDays ?? current?.expiryWarningDays ?? DEFAULT_EXPIRY_DAYS.warning;
  // The amber window contains the red one: a warning threshold below the critical one would never show.
  if (warning < critical) {
    throw new CertdeskError('INVALID_INPUT', `the warning threshold (${warning} days) must not be below the critical threshold (${critical} days)`);
  }
  const next: SettingsFile = {
    schemaVersion: 1,
    defaultPfxProfile: patch.defaultPfxProfile ?? current?.defaultPfxProfile ?? DEFAULTS.defaultPfxProfile,
    ...(language ? { language } : {}),
    ...(theme ? { theme } : {}),
    ...(patch.expiryCriticalDays !== undefined || current?.expiryCriticalDays !== undefined ? { expiryCriticalDays: critical } : {}),
    ...(patch.expiryWarningDays !== undefined || current?.expiryWarningDays !== undefined ? { expiryWarningDays: warning } : {}),
  };
  const path = join(storeDir, SETTINGS_FILE);
  await guardIo(`cannot save ${path}`, async () => {
    await ensureDir(storeDir);
    await writeFileDurable(path, `${JSON.stringify(next, null, 2)}\n`);
  });
  return toSettings(storeDir, next);
}
