import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type PfxProfile, type Settings, type SettingsPatch, UI_LANGUAGES, type UiLanguage } from '../common/api.js';
import { CertdeskError } from '../common/errors.js';
import { ensureDir, writeFileDurable } from '../store/durable.js';
import { guardIo } from '../store/io-error.js';

/** The file, inside the store folder, that keeps the user's settings. */
export const SETTINGS_FILE = 'settings.json';

const PROFILES: readonly PfxProfile[] = ['legacy', 'modern'];

/** Legacy by default: the procedure's proxies (TMG 2010, Windows Server 2008 R2-2016) read only it. */
const DEFAULTS = { defaultPfxProfile: 'legacy' as PfxProfile };

interface SettingsFile {
  schemaVersion: 1;
  defaultPfxProfile: PfxProfile;
  /** Absent in files written before the language setting existed: follow the system then. */
  language?: UiLanguage;
}

const isLanguage = (v: unknown): v is UiLanguage => UI_LANGUAGES.includes(v as UiLanguage);

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
    (d.language !== undefined && !isLanguage(d.language))
  ) {
    throw new CertdeskError('STORE_CORRUPT', `${path} is damaged; save the settings again (or delete the file) to restore it`);
  }
  return { schemaVersion: 1, defaultPfxProfile: d.defaultPfxProfile as PfxProfile, ...(d.language ? { language: d.language } : {}) };
}

function toSettings(storeDir: string, file: SettingsFile | null): Settings {
  return { storeDir, defaultPfxProfile: file?.defaultPfxProfile ?? DEFAULTS.defaultPfxProfile, language: file?.language ?? null };
}

/** The settings of the store at ctx.storeDir (defaults where none were saved). */
export async function getSettings(ctx: { storeDir: string }): Promise<Settings> {
  return toSettings(ctx.storeDir, await readSettingsFile(ctx.storeDir));
}

/**
 * Saves a change. The file is one small document replaced atomically (temp, fsync, rename), so it
 * needs no store lock: two writers at once leave one of the two complete versions. A damaged file
 * is replaced rather than blocking the fix.
 */
export async function updateSettings(ctx: { storeDir: string }, patch: SettingsPatch): Promise<Settings> {
  if (patch.defaultPfxProfile !== undefined && !PROFILES.includes(patch.defaultPfxProfile)) {
    throw new CertdeskError('INVALID_INPUT', `unknown PFX profile "${String(patch.defaultPfxProfile)}": use legacy or modern`);
  }
  if (patch.language !== undefined && !isLanguage(patch.language)) {
    throw new CertdeskError('INVALID_INPUT', `unknown language "${String(patch.language)}": use ${UI_LANGUAGES.join(' or ')}`);
  }
  let current: SettingsFile | null = null;
  try {
    current = await readSettingsFile(ctx.storeDir);
  } catch (e) {
    if (!(e instanceof CertdeskError && e.code === 'STORE_CORRUPT')) throw e;
  }
  const language = patch.language ?? current?.language;
  const next: SettingsFile = {
    schemaVersion: 1,
    defaultPfxProfile: patch.defaultPfxProfile ?? current?.defaultPfxProfile ?? DEFAULTS.defaultPfxProfile,
    ...(language ? { language } : {}),
  };
  const path = join(ctx.storeDir, SETTINGS_FILE);
  await guardIo(`cannot save ${path}`, async () => {
    await ensureDir(ctx.storeDir);
    await writeFileDurable(path, `${JSON.stringify(next, null, 2)}\n`);
  });
  return toSettings(ctx.storeDir, next);
}
