import { createHash } from 'node:crypto';

/**
 * The audit log's hash chain: every line carries `prev`, the SHA-256 (hex) of the line before it
 * (its exact bytes, without the newline); the first line of a new log carries GENESIS. An edited,
 * removed, inserted or reordered line breaks the chain at that line. A log written before the chain
 * existed is migrated by one `audit-chain-started` line whose `prev` is the hash of the last old line.
 */
export const AUDIT_GENESIS = '0'.repeat(64);

/** SHA-256 of one line as written (no newline). */
export function lineHash(line: string): string {
  return createHash('sha256').update(line, 'utf8').digest('hex');
}

/** The `prev` the next line gets after `lastLine` (null: the log is empty). */
export function nextPrev(lastLine: string | null): string {
  return lastLine === null ? AUDIT_GENESIS : lineHash(lastLine);
}

/** True when `line` is a chained line (it has a `prev`). */
export function isChained(line: string): boolean {
  try {
    const v = JSON.parse(line) as { prev?: unknown };
    return typeof v.prev === 'string';
  } catch {
    return false;
  }
}

/** One parsed audit line. */
export interface AuditRecord {
  at: string;
  event: string;
  requestId?: string;
  detail: string;
  user: string;
  host: string;
  prev?: string;
}

/** The outcome of checking a log: the first bad line (1-based) and why, or ok. */
export type ChainCheck = { ok: true; lines: number; chainedFrom: number | null } | { ok: false; line: number; reason: string };

/** Checks the chain of `lines` (the log split on newlines, without the final empty string). */
export function verifyChain(lines: readonly string[]): ChainCheck {
  let chainedFrom: number | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    let rec: Partial<AuditRecord>;
    try {
      rec = JSON.parse(line) as Partial<AuditRecord>;
    } catch {
      return { ok: false, line: i + 1, reason: 'it is not a JSON audit record' };
    }
    if (!rec || typeof rec !== 'object' || typeof rec.event !== 'string' || typeof rec.at !== 'string') return { ok: false, line: i + 1, reason: 'it is not an audit record' };
    if (typeof rec.prev !== 'string') {
      // Before the chain started, lines are unchained (a log of an older Certdesk); after, never.
      if (chainedFrom !== null) return { ok: false, line: i + 1, reason: 'it carries no hash of the line before it' };
      continue;
    }
    if (chainedFrom === null) {
      chainedFrom = i + 1;
      if (i > 0 && rec.event !== 'audit-chain-started') return { ok: false, line: i + 1, reason: 'the chain starts here without an audit-chain-started line' };
    }
    const expected = i === 0 ? AUDIT_GENESIS : lineHash(lines[i - 1] as string);
    if (rec.prev !== expected) {
      return { ok: false, line: i + 1, reason: i === 0 ? 'the first line does not carry the genesis value' : 'its hash of the previous line does not match (a line was edited, removed, inserted or moved)' };
    }
  }
  return { ok: true, lines: lines.length, chainedFrom };
}
