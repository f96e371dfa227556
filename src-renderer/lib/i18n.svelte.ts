import { UI_LANGUAGES, type UiLanguage } from '../../src-main/common/api.js';
import { en, type MessageKey } from '../i18n/en.js';
import { zhTW } from '../i18n/zh-TW.js';
import { formatMessage } from './i18n-format.js';

/** The languages the UI ships (the same list the settings schema accepts). */
export const LOCALES = UI_LANGUAGES;
/** One UI language. */
export type Locale = UiLanguage;

const catalogs: Record<Locale, Readonly<Record<MessageKey, string>>> = { en, 'zh-TW': zhTW };
const STORAGE_KEY = 'certdesk.locale';

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-TW') return saved;
  } catch {
    // Storage can be unavailable (opaque origins); the default is fine then.
  }
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-TW' : 'en';
}

const state = $state({ locale: initialLocale() });

/** The current UI language (reactive). */
export function locale(): Locale {
  return state.locale;
}

/**
 * Switches the UI language, remembers it in this browser profile and updates <html lang>. The
 * lasting choice is the store's settings.language (browser mode's origin changes every launch);
 * App start applies it through here.
 */
export function setLocale(next: Locale): void {
  state.locale = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered: still switched for this session.
  }
}

/** A UI string in the current language; reading it inside a template makes the template follow the language. */
export function t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
  return formatMessage(catalogs[state.locale][key], params);
}

/**
 * One formatter per language and style: making an Intl.DateTimeFormat costs far more than using one,
 * and the Requests view formats two dates in each of its rows on every keystroke of its filter.
 */
// A cache, not state: nothing renders from it, so a plain Map.
// eslint-disable-next-line svelte/prefer-svelte-reactivity
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A date-time shown in the user's language, in local time; '—' for none. */
export function formatDate(iso: string | null | undefined, withTime = false): string {
  if (!iso) return '—';
  // A throwaway value for formatting, never stored in state: no reactivity needed.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const key = `${state.locale}|${withTime ? 'dt' : 'd'}`;
  let f = dateFormats.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat(state.locale, withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' });
    dateFormats.set(key, f);
  }
  return f.format(d);
}

/** Bytes as a short human size (1.2 GB). */
export function formatBytes(n: number | null): string {
  if (n === null) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${new Intl.NumberFormat(state.locale, { maximumFractionDigits: i ? 1 : 0 }).format(v)} ${units[i] ?? 'B'}`;
}
