import { hostname, userInfo } from 'node:os';
import { CertdeskError } from '../common/errors.js';
import { assertRequestId, printable } from './ids.js';

/** One event for audit.log: a stable event name, the request it concerns, a plain detail (never key material). */
export interface AuditEntry {
  event: string;
  requestId?: string;
  detail: string;
}

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** The JSON line for `e`: time, event, request, detail, OS user and host. */
export function auditLine(e: AuditEntry, at: Date, prev?: string): string {
  if (!/^[a-z][a-z0-9-]{0,63}$/.test(e.event)) throw new CertdeskError('INTERNAL', `"${printable(e.event)}" is not an audit event name`);
  if (e.requestId !== undefined) assertRequestId(e.requestId);
  return JSON.stringify({
    at: at.toISOString(),
    event: e.event,
    ...(e.requestId !== undefined ? { requestId: e.requestId } : {}),
    detail: e.detail.replace(/[\r\n]+/g, ' '),
    user: userName(),
    host: hostname(),
    ...(prev !== undefined ? { prev } : {}),
  });
}
