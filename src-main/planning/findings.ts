import type { Finding, Severity } from '../common/findings.js';
import { PLAN_RULES, type PlanFinding, type PlanRuleCode } from '../common/plan.js';

/** A planner finding with the catalogue's severity (PLAN_RULES) unless one is given. */
export function planFinding(
  code: PlanRuleCode,
  message: string,
  where: { field?: string; subject?: string; certificate?: number; severity?: Severity } = {},
): PlanFinding {
  const f: PlanFinding = { code, severity: where.severity ?? PLAN_RULES[code].severity, message };
  if (where.subject !== undefined) f.subject = where.subject;
  if (where.field !== undefined) f.field = where.field;
  if (where.certificate !== undefined) f.certificate = where.certificate;
  return f;
}

/** A name-rule finding placed at a topology field. */
export function atField(f: Finding, field: string | undefined): PlanFinding {
  return field === undefined ? { ...f } : { ...f, field };
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then info; otherwise in the order found, without exact repeats. */
export function orderFindings(findings: PlanFinding[]): PlanFinding[] {
  const seen = new Set<string>();
  const unique = findings.filter((f) => {
    const key = `${f.code}\u0000${f.message}\u0000${f.certificate ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.map((f, i) => ({ f, i })).sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i).map((x) => x.f);
}
