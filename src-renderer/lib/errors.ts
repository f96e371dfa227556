import { ERROR_CODES, type ErrorCode } from '../../src-main/common/errors.js';

/** A failed API call as the views see it: the stable code and the service's one-line message. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** One line per problem when the message sums up several (e.g. each field of a refused topology). */
    readonly details: readonly string[] = [],
    /** The finer stable reason (ErrorInfo.reason), e.g. `CODE_SIGNING_EXPIRED`, for showing an error next to its field. */
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** Catalog keys for the short title above an error message. */
export type ErrorTitleKey = 'error.input' | 'error.notFound' | 'error.conflict' | 'error.mismatch' | 'error.keychain' | 'error.locked' | 'error.disk' | 'error.unauthorized' | 'error.generic';

const TITLES: Partial<Record<ErrorCode, ErrorTitleKey>> = {
  INVALID_INPUT: 'error.input',
  PARSE_ERROR: 'error.input',
  WEAK_PASSWORD: 'error.input',
  NOT_FOUND: 'error.notFound',
  CONFLICT: 'error.conflict',
  NOT_EXPORTABLE: 'error.conflict',
  MISMATCH: 'error.mismatch',
  KEYCHAIN_UNAVAILABLE: 'error.keychain',
  KEYCHAIN_LOCKED: 'error.keychain',
  STORE_LOCKED: 'error.locked',
  STORE_CORRUPT: 'error.disk',
  IO_ERROR: 'error.disk',
  UNAUTHORIZED: 'error.unauthorized',
};

/** What an error banner shows: a title key, the plain message, and the code (null for non-API errors). */
export function describeError(e: unknown): { titleKey: ErrorTitleKey; message: string; code: ErrorCode | null } {
  if (e instanceof ApiError) return { titleKey: TITLES[e.code] ?? 'error.generic', message: e.message, code: e.code };
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const code = (e as { code: unknown }).code;
    const message = String((e as { message: unknown }).message);
    if (typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)) {
      return { titleKey: TITLES[code as ErrorCode] ?? 'error.generic', message, code: code as ErrorCode };
    }
  }
  // A bug or a lost connection: show the first line only (never a stack).
  const message = e instanceof Error ? e.message : String(e);
  return { titleKey: 'error.generic', message: message.split('\n')[0] ?? '', code: null };
}

/** The lines an error lists under its message (ErrorInfo.details), untrusted text shown as text; [] when none. */
export function errorDetails(e: unknown): string[] {
  const d = e && typeof e === 'object' && 'details' in e ? e.details : undefined;
  return Array.isArray(d) ? d.filter((x): x is string => typeof x === 'string').slice(0, 50) : [];
}
