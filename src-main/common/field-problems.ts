/**
 * A structural problem of a document's field as one line, `path: problem` (e.g. `pools[1].name:
 * must not be empty`): the topology validator writes its problems this way (the CLI prints them,
 * INVALID_INPUT carries them in `details`, or as the message after the source's name when there is
 * only one), and the app reads the path back to show the problem under the form field it names.
 */
import type { PlanFinding } from './plan.js';

/** A field path as the topology's findings use it: `name`, `a.b`, `list[0].name`. */
const PATH = String.raw`[A-Za-z$][\w$]*(?:\[\d+\]|\.[A-Za-z$][\w$]*)*`;
// The shortest prefix (a source such as `the topology`) that leaves `path: problem`.
const LINE = new RegExp(String.raw`^(?:.*?: )??(${PATH}): (.+)$`, 's');

export function fieldProblemLine(path: string, problem: string): string {
  return `${path}: ${problem}`;
}

/** `path: problem` (or `source: path: problem`) read back; null for any other line. */
export function parseFieldProblem(line: string): { path: string; problem: string } | null {
  const m = LINE.exec(line);
  return m ? { path: m[1] as string, problem: m[2] as string } : null;
}

/**
 * The problems a form can cause (a name left empty, a list emptied), each with its own finding code
 * so the app words it in its language: the validator says them in exactly these words. Every other
 * problem (a wrong type, an unknown field) comes from a hand-written JSON file and is
 * TOPOLOGY_FIELD_INVALID with the validator's English words as its subject.
 */
export const FORM_PROBLEMS = {
  empty: { code: 'TOPOLOGY_FIELD_EMPTY', text: 'must not be empty' },
  missing: { code: 'TOPOLOGY_FIELD_MISSING', text: 'required field is missing' },
  noSipDomain: { code: 'TOPOLOGY_SIP_DOMAIN_REQUIRED', text: 'at least one SIP domain is required' },
  noPool: { code: 'TOPOLOGY_POOL_REQUIRED', text: 'at least one pool is required' },
} as const;

/** A structural problem as an error finding about its field, for the form's notes. */
export function fieldProblemFinding(p: { path: string; problem: string }): PlanFinding {
  const known = Object.values(FORM_PROBLEMS).find((k) => k.text === p.problem);
  if (known) return { code: known.code, severity: 'error', message: p.problem, field: p.path };
  return { code: 'TOPOLOGY_FIELD_INVALID', severity: 'error', message: p.problem, subject: p.problem, field: p.path };
}
