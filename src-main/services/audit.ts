import { CertdeskError } from '../common/errors.js';
import { type AuditRecord, verifyChain } from '../store/audit-chain.js';
import { openStore, type ServiceContext } from './context.js';

/** `certdesk audit verify`: the chain, and that every stored request has its key-generated line. */
export interface AuditVerification {
  ok: boolean;
  lines: number;
  /** 1-based line where the hash chain starts (null: no chained line yet). */
  chainedFrom: number | null;
  /** The first bad line (1-based) and why, when the chain is broken. */
  firstBadLine?: number;
  reason?: string;
  /** Requests in the store without a key-generated line in the log. */
  requestsWithoutKeyEvent: string[];
}

/** Checks the audit log of the store (read-only). */
export async function verifyAudit(ctx: ServiceContext): Promise<AuditVerification> {
  const store = await openStore(ctx, { mustExist: true });
  const lines = await store.readAuditLines();
  const chain = verifyChain(lines);
  const keyed = new Set<string>();
  for (const l of lines) {
    try {
      const r = JSON.parse(l) as Partial<AuditRecord>;
      if (r.event === 'key-generated' && typeof r.requestId === 'string') keyed.add(r.requestId);
    } catch {
      // reported by the chain check
    }
  }
  const requestsWithoutKeyEvent = (await store.listRequestIds()).filter((id) => !keyed.has(id));
  if (!chain.ok) return { ok: false, lines: lines.length, chainedFrom: null, firstBadLine: chain.line, reason: chain.reason, requestsWithoutKeyEvent };
  return { ok: requestsWithoutKeyEvent.length === 0, lines: chain.lines, chainedFrom: chain.chainedFrom, requestsWithoutKeyEvent };
}

/** The audit log's records, oldest first; only those of one request when `requestId` is given. */
export async function showAudit(ctx: ServiceContext, requestId?: string): Promise<AuditRecord[]> {
  const store = await openStore(ctx, { mustExist: true });
  const id = requestId === undefined ? undefined : await store.resolveId(requestId).catch((e: unknown) => {
    // A deleted request still has its history in the log: accept a full id that no folder matches.
    if (e instanceof CertdeskError && e.code === 'NOT_FOUND' && /^\d{8}-[0-9a-z]{8}$/.test(requestId.trim().toLowerCase())) return requestId.trim().toLowerCase();
    throw e;
  });
  const out: AuditRecord[] = [];
  for (const l of await store.readAuditLines()) {
    try {
      const r = JSON.parse(l) as AuditRecord;
      if (id === undefined || r.requestId === id) out.push(r);
    } catch {
      // an unreadable line is what `audit verify` reports
    }
  }
  return out;
}
