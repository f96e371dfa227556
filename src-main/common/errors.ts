/** Stable error codes: the renderer, the CLI and scripts branch on these, so never rename one. */
export const ERROR_CODES = [
  'INVALID_INPUT', // the caller's data is wrong (bad name, bad file, bad flag value)
  'PARSE_ERROR', // a file could not be decoded as what it claims to be
  'NOT_FOUND', // no such request, farm, export, certificate
  'CONFLICT', // the operation would overwrite or contradict stored state
  'MISMATCH', // a CA answer differs from what was requested
  'NOT_EXPORTABLE', // the request was made non-exportable, or has no certificate yet
  'WEAK_PASSWORD', // a supplied PFX password is refused
  'KEYCHAIN_UNAVAILABLE', // the OS keychain cannot be reached
  'KEYCHAIN_LOCKED', // the OS keychain is there but locked: unlock the login keyring, then retry
  'STORE_LOCKED', // another process holds the store lock
  'STORE_CORRUPT', // stored data failed its integrity check
  'IO_ERROR', // the disk said no (full, removed, permission)
  'UNAUTHORIZED', // browser mode: missing or wrong token, foreign origin
  'INTERNAL', // a bug: the message says what, never key material
] as const;
/** One of the stable error codes. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The error every layer throws on purpose: a stable code and a one-line message for an admin. */
export class CertdeskError extends Error {
  override readonly name = 'CertdeskError';
  /** More lines that belong to the message (e.g. every problem of a topology), each one line. */
  readonly details: readonly string[];
  constructor(
    readonly code: ErrorCode,
    message: string,
    details: readonly string[] = [],
    /** A finer stable reason within the code (e.g. `PFX_WRONG_PASSWORD`), for UIs and scripts that branch on it. */
    readonly reason?: string,
  ) {
    // One line only: messages end up after `error: ` on a terminal and in dialogs.
    super(message.replace(/\s*\n\s*/g, ' ').trim());
    this.details = details.map((d) => d.replace(/\s*\n\s*/g, ' ').trim());
  }
}

/** True when `e` is a CertdeskError (also across module copies, by shape). */
export function isCertdeskError(e: unknown): e is CertdeskError {
  return e instanceof CertdeskError || (e instanceof Error && e.name === 'CertdeskError' && 'code' in e);
}

/** The wire shape of a failure: what crosses IPC, HTTP and `--json`. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  /** More lines of the message, one problem each, when there are several (e.g. a topology's field problems). */
  details?: string[];
  /** Finer stable reason, when the error has one (e.g. `PFX_WRONG_PASSWORD` under INVALID_INPUT). */
  reason?: string;
}

/** Every API call returns this, because an Error thrown through IPC loses all but its message. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
