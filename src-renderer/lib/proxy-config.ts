/** The "Proxy configuration" section's choices, kept out of the component so they can be tested alone. */
import type { Farm } from '../../src-main/common/farms.js';
import { nodeKindOf } from '../../src-main/common/farms.js';
import { DEFAULT_INSTALL_DIRS, PROXY_KINDS, type ProxyConfigPreview, type ProxyKind } from '../../src-main/common/proxy.js';
import type { Topology } from '../../src-main/common/plan.js';
import type { RequestRecord } from '../../src-main/common/requests.js';
import type { PlanSource } from '../../src-main/common/topologies.js';

export { PROXY_KINDS };

/** The kind a farm's section opens with: its first node's proxy kind, nginx when none has one. */
export function defaultKindOf(farm: Farm | undefined): ProxyKind {
  for (const n of farm?.nodes ?? []) {
    const k = nodeKindOf(n);
    if (k !== 'other') return k;
  }
  return 'nginx';
}

/** Requests whose issued certificate can serve the configuration (a revoked or superseded one cannot). */
function usable(r: RequestRecord): boolean {
  return r.certificate !== undefined && r.status !== 'revoked' && r.status !== 'superseded';
}

/** The Plan view's candidates: issued certificates whose subject is one of the plan's certificates. */
export function planCandidates(all: readonly RequestRecord[], subjects: readonly string[]): RequestRecord[] {
  const wanted = new Set(subjects.map((s) => s.toLowerCase()));
  return all.filter((r) => usable(r) && wanted.has(r.subject.toLowerCase()));
}

/** A farm's candidates: its linked certificates requested from a plan (their plan gives the rules). */
export function farmCandidates(all: readonly RequestRecord[], farm: Farm): RequestRecord[] {
  return all.filter((r) => usable(r) && r.topology !== undefined && farm.requestIds.includes(r.id));
}

/** `name=address` lines as the service takes them; blank lines dropped. */
export function upstreamLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** The folder on the proxy the configuration names, for the "no internal CA" hint. */
export function internalCaPath(p: ProxyConfigPreview): string | null {
  if (p.kind !== 'nginx' && p.kind !== 'haproxy') return null;
  if (p.preview.some((f) => f.role === 'trusted-ca')) return null;
  return `${DEFAULT_INSTALL_DIRS[p.kind]}/internal-ca.pem`;
}

/** The media type a downloaded file gets. */
export function mediaTypeOf(name: string): string {
  if (name.endsWith('.pem') || name.endsWith('.crt')) return 'application/x-pem-file';
  if (name.endsWith('.sh')) return 'application/x-sh';
  return 'text/plain';
}

/** The Plan view's editor text as the plan source the service re-plans (null when it is no JSON object). */
export function formPlanSource(text: string, fileName: string | null): PlanSource | null {
  try {
    const topology = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
    if (typeof topology !== 'object' || topology === null || Array.isArray(topology)) return null;
    return { kind: 'form', topology: topology as Topology, ...(fileName ? { source: fileName } : {}) };
  } catch {
    return null;
  }
}
