import type { FarmDetail } from '../../src-main/common/api.js';
import type { FarmNode, NodeDeploymentView } from '../../src-main/common/farms.js';
import type { RequestRecord } from '../../src-main/common/requests.js';

/**
 * One cell of a farm's rollout matrix. `older`: the node still carries an older certificate of the
 * same renewal chain (an earlier certificate of this request, or the certificate of a request this
 * one renews), so the current one is not deployed there yet.
 */
export type RolloutState = 'none' | 'deployed' | 'verified' | 'older';

export interface RolloutCell {
  host: string;
  requestId: string;
  state: RolloutState;
  /** The service's view of this node for this request (what the mark and undo dialogs act on). */
  view: NodeDeploymentView;
  /** For `older`: the request whose certificate is on the node (this request itself after a re-import). */
  olderRequestId?: string;
}

export interface RolloutMatrix {
  /** Certificates across, in the farm's link order. */
  columns: RequestRecord[];
  /** Nodes down, one cell per column. */
  rows: { node: FarmNode; cells: RolloutCell[] }[];
}

/**
 * The requests `id` renews, newest first, following each record's `renews` link through `byId`.
 * Stops at a request that is not known or at a loop (a damaged store must not hang the view).
 */
export function renewalAncestors(id: string, byId: ReadonlyMap<string, Pick<RequestRecord, 'id' | 'renews'>>): string[] {
  const out: string[] = [];
  const seen = new Set([id]);
  let next = byId.get(id)?.renews;
  while (next !== undefined && !seen.has(next)) {
    out.push(next);
    seen.add(next);
    next = byId.get(next)?.renews;
  }
  return out;
}

/**
 * Nodes x certificates for one farm. `known` is every request the renderer has (for renewal chains
 * that run through requests not linked to this farm); the farm's own requests are always included.
 */
export function buildRollout(detail: FarmDetail, known: readonly RequestRecord[] = []): RolloutMatrix {
  const byId = new Map<string, RequestRecord>();
  for (const r of [...known, ...detail.requests]) byId.set(r.id, r);
  const columns = detail.requests;
  const rows = detail.farm.nodes.map((node) => ({
    node,
    cells: columns.map((record): RolloutCell => {
      const view =
        detail.deployments.find((d) => d.requestId === record.id && d.host === node.host) ??
        // farms.show lists every node for every linked request; this fallback only covers a farm edited meanwhile.
        ({ requestId: record.id, subject: record.subject, farm: detail.farm.name, host: node.host, windowsVersion: node.windowsVersion, profile: 'legacy', state: 'not-deployed' } satisfies NodeDeploymentView);
      const base = { host: node.host, requestId: record.id, view };
      if (view.staleThumbprint !== undefined) return { ...base, state: 'older', olderRequestId: record.id };
      if (view.state === 'deployed' || view.state === 'verified') return { ...base, state: view.state };
      const older = renewalAncestors(record.id, byId).find((anc) => detail.farm.deployments.some((d) => d.requestId === anc && d.host === node.host));
      return older !== undefined ? { ...base, state: 'older', olderRequestId: older } : { ...base, state: 'none' };
    }),
  }));
  return { columns, rows };
}
