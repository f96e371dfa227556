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

/** A structural problem as an error finding about its field (code TOPOLOGY_FIELD_INVALID), for the form's notes. */
export function fieldProblemFinding(p: { path: string; problem: string }): PlanFinding {
  return { code: 'TOPOLOGY_FIELD_INVALID', severity: 'error', message: p.problem, subject: p.problem, field: p.path };
}
