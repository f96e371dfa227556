import type { ErrorCode } from '../../src-main/common/errors.js';
import type { Finding } from '../../src-main/common/findings.js';
import type { PublishingKind, SanSource } from '../../src-main/common/plan.js';
import { codesEn, codesZhTW, type CodeCatalog } from '../i18n/codes.js';
import { withoutCliHints } from './cli-hints.js';
import { formatMessage } from './i18n-format.js';
import { locale, type Locale } from './i18n.svelte.js';

const catalogs: Record<Locale, CodeCatalog> = { en: codesEn, 'zh-TW': codesZhTW };

/** Fills a code's template; a `{subject}` with no subject to put there is dropped with its lead-in. */
function fill(template: string, subject: string | undefined): string {
  if (subject) return formatMessage(template, { subject });
  return template.replace(/[：:]\s*\{subject\}/, '。').replace('{subject}', '').replace(/。。$/, '。');
}

/**
 * A finding as the admin reads it: in English the service's own sentence (it carries dates and
 * lists), in another language the catalog's sentence for its code with the subject filled in.
 * An unknown code (a newer service) falls back to the English sentence rather than to nothing.
 */
export function findingText(f: Pick<Finding, 'code' | 'message' | 'subject'>, lang: Locale = locale()): string {
  if (lang === 'en') return f.message;
  const template = catalogs[lang].findings[f.code];
  return template === undefined ? f.message : fill(template, f.subject);
}

/**
 * An error as the admin reads it: the sentence for its code, and the service's message as the
 * detail (it names the file, request or farm concerned). In English the message is the text.
 */
export function errorText(code: ErrorCode | null, message: string, lang: Locale = locale()): { text: string; detail: string | null } {
  const plain = withoutCliHints(message);
  if (lang === 'en' || code === null) return { text: plain, detail: null };
  return { text: catalogs[lang].errors[code], detail: plain };
}

/** Why a SAN is on the certificate. */
export function sanSourceText(s: SanSource, lang: Locale = locale()): string {
  return catalogs[lang].sanSources[s];
}

/** What a publishing rule publishes. */
export function publishingKindText(k: PublishingKind, lang: Locale = locale()): string {
  return catalogs[lang].publishingKinds[k];
}

/** A history event's name; an unknown event shows its code. */
export function historyEventText(event: string, lang: Locale = locale()): string {
  return catalogs[lang].historyEvents[event] ?? event;
}
