import { FARM_NAME_PATTERN, type WindowsVersion } from '../../src-main/common/farms.js';

/** One node row of the Add farm form. */
export interface FarmNodeDraft {
  host: string;
  windowsVersion: WindowsVersion;
  notes: string;
}

/** A local problem of the Add farm form: `where` is `name` or `node-<index>`. */
export interface FarmFormProblem {
  where: string;
  key: 'farms.nameInvalid' | 'farms.hostInvalid' | 'farms.hostDuplicate';
}

// A host name: LDH labels separated by dots (the service applies the full rules; this catches typos early).
const HOST = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Checks the farm name (portable file name) and every node's host (present, well-formed, unique). */
export function checkFarmForm(name: string, nodes: readonly FarmNodeDraft[]): FarmFormProblem[] {
  const problems: FarmFormProblem[] = [];
  if (!FARM_NAME_PATTERN.test(name.trim())) problems.push({ where: 'name', key: 'farms.nameInvalid' });
  const seen = new Set<string>();
  nodes.forEach((n, i) => {
    const host = n.host.trim().toLowerCase();
    if (!HOST.test(host)) problems.push({ where: `node-${i}`, key: 'farms.hostInvalid' });
    else if (seen.has(host)) problems.push({ where: `node-${i}`, key: 'farms.hostDuplicate' });
    seen.add(host);
  });
  return problems;
}
