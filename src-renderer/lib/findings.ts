import type { Finding, Severity } from '../../src-main/common/findings.js';

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then info; the original order within each severity. */
export function sortFindings<T extends Finding>(findings: readonly T[]): T[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i)
    .map((x) => x.f);
}

/** Counts per severity, for the summary badges. */
export function countFindings(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** The catalog key naming a severity. */
export function severityKey(s: Severity): 'severity.error' | 'severity.warning' | 'severity.info' {
  return `severity.${s}`;
}

/** Where a finding in a FindingList links to: the target, the place named under the text, and what a click does. */
export interface FindingLink {
  href: string;
  where: string;
  follow: () => void;
}
