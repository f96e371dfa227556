/** How bad a finding is: an error blocks, a warning needs a look, info explains. */
export type Severity = 'error' | 'warning' | 'info';

/** A rule check result with a stable code (scripts and tests key on `code`). */
export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  /** The name (or field) the finding is about, when there is one. */
  subject?: string;
}

/** True when any finding is an error. */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
