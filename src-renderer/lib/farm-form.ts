import type { FarmNodeInput } from '../../src-main/common/api.js';
import { FARM_NAME_PATTERN, type Farm, type WindowsVersion } from '../../src-main/common/farms.js';
import type { NodeKind } from '../../src-main/common/proxy.js';

/** One node row of the Add / Edit farm form. */
export interface FarmNodeDraft {
  host: string;
  windowsVersion: WindowsVersion;
  notes: string;
  /** The proxy it runs; '' or absent: the default from its OS. */
  kind?: NodeKind | '';
}

/** The form's rows for an existing farm (Edit). */
export function draftsOf(farm: Pick<Farm, 'nodes'>): FarmNodeDraft[] {
  return farm.nodes.map((n) => ({ host: n.host, windowsVersion: n.windowsVersion, notes: n.notes, kind: n.kind ?? '' }));
}

/** What farms.add / farms.update receive for the rows: trimmed, empty notes and automatic kinds left out. */
export function nodeInputs(nodes: readonly FarmNodeDraft[]): FarmNodeInput[] {
  return nodes.map((n) => {
    const input: FarmNodeInput = { host: n.host.trim(), windowsVersion: n.windowsVersion };
    if (n.notes.trim()) input.notes = n.notes.trim();
    if (n.kind) input.kind = n.kind;
    return input;
  });
}

/** Hosts of `before` that the edited rows no longer have (their deployment marks go with them). */
export function removedHosts(before: Pick<Farm, 'nodes'>, nodes: readonly FarmNodeDraft[]): string[] {
  const kept = new Set(nodes.map((n) => n.host.trim().toLowerCase()));
  return before.nodes.map((n) => n.host).filter((h) => !kept.has(h));
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
