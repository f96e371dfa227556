import type { z } from 'zod';
import { API_METHODS, type ApiHandlers, type ApiMethod } from '../common/api.js';
import { type ErrorInfo, isCertdeskError, type Result } from '../common/errors.js';
import { API_SCHEMAS } from '../common/schemas.js';
import { ioReason } from '../store/io-error.js';

/** One call from either shell: an untrusted method name and params in, a Result out. Never throws. */
export type Dispatch = (method: unknown, params: unknown) => Promise<Result<unknown>>;

/** Told about failures that are bugs (INTERNAL), without their message: it might carry data. */
export type UnexpectedErrorSink = (method: string, error: unknown) => void;

const KNOWN = new Set<string>(API_METHODS);

/** True when `m` names a contract method (own entries only: `toString` or `__proto__` are not methods). */
export function isApiMethod(m: unknown): m is ApiMethod {
  return typeof m === 'string' && KNOWN.has(m);
}

/** A printable, bounded rendering of an untrusted method name for an error message. */
function quoteMethod(m: unknown): string {
  if (typeof m !== 'string') return `a ${m === null ? 'null' : typeof m} method name`;
  const clean = m.slice(0, 64).replace(/[^\x20-\x7e]/g, '?');
  return `"${clean}${m.length > 64 ? '…' : ''}"`;
}

function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out;
}

/** One plain line for the first schema violation, naming the field: `requests.show: id is empty`. */
export function describeSchemaError(method: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${method}: invalid arguments`;
  const where = issuePath(issue.path);
  const msg = issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
  // Our own messages read as predicates ("is empty"); zod's built-in ones ("invalid input: ...") after a colon.
  const joined = /^(is|has|names) /.test(msg) ? `${where || 'the arguments'} ${msg}` : `${where || 'the arguments'}: ${msg}`;
  return `${method}: ${joined}`;
}

/**
 * Maps anything thrown by a handler to the wire shape. CertdeskError keeps its code and message;
 * file-system errors become IO_ERROR in plain words (no message text from the error: it is not
 * ours); everything else is a bug, reported without its message.
 */
export function toErrorInfo(method: string, e: unknown): ErrorInfo {
  if (isCertdeskError(e)) {
    return { code: e.code, message: e.message, ...(e.details.length > 0 ? { details: [...e.details] } : {}), ...(e.reason !== undefined ? { reason: e.reason } : {}) };
  }
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (e instanceof Error && typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return { code: 'IO_ERROR', message: `${method} failed: ${ioReason(e)}` };
  }
  return { code: 'INTERNAL', message: `unexpected failure in ${method}; this is a bug in Certdesk` };
}

/** The stack without its first line (which repeats the message): where a bug is, not what data it saw. */
export function safeStack(e: unknown): string {
  if (!(e instanceof Error)) return typeof e;
  const frames = (e.stack ?? '').split('\n').slice(1).join('\n');
  return `${e.name}${frames ? `\n${frames}` : ''}`;
}

const defaultSink: UnexpectedErrorSink = (method, e) => {
  console.error(`certdesk: unexpected failure in ${method}: ${safeStack(e)}`);
};

/**
 * The one dispatcher both shells use: checks the method name, validates params against its schema
 * (renderer input is untrusted), calls the handler, and maps every failure to `{ ok: false, error }`.
 */
export function createDispatcher(handlers: ApiHandlers, onUnexpected: UnexpectedErrorSink = defaultSink): Dispatch {
  return async (method, params) => {
    if (!isApiMethod(method)) {
      return { ok: false, error: { code: 'INVALID_INPUT', message: `there is no Certdesk API method ${quoteMethod(method)}` } };
    }
    const schema: z.ZodType = API_SCHEMAS[method];
    const parsed = schema.safeParse(params);
    if (!parsed.success) {
      return { ok: false, error: { code: 'INVALID_INPUT', message: describeSchemaError(method, parsed.error) } };
    }
    const handler = handlers[method] as (p: unknown) => Promise<unknown>;
    try {
      const value = await handler(parsed.data);
      return { ok: true, value };
    } catch (e) {
      const error = toErrorInfo(method, e);
      if (error.code === 'INTERNAL') onUnexpected(method, e);
      return { ok: false, error };
    }
  };
}
