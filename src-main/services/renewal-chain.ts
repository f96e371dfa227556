import type { Farm, NodeRenewalState, RenewalRollout } from '../common/farms.js';
import type { RequestRecord } from '../common/requests.js';

/** The renewal chain around a request, oldest first: what `request show` lists both ways. */
export function renewalChain(records: readonly RequestRecord[], id: string): RequestRecord[] {
  const byId = new Map(records.map((r) => [r.id, r]));
  const chain: RequestRecord[] = [];
  const seen = new Set<string>();
  // Back through `renews`...
  let at = byId.get(id);
  while (at && !seen.has(at.id)) {
    seen.add(at.id);
    chain.unshift(at);
    at = at.renews !== undefined ? byId.get(at.renews) : undefined;
  }
  // ...and forward through every renewal (several when one was forced), oldest first.
  const forward = (from: string): void => {
    const next = records.filter((r) => r.renews === from && !seen.has(r.id)).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    for (const r of next) {
      seen.add(r.id);
      chain.push(r);
      forward(r.id);
    }
  };
  forward(id);
  return chain;
}

/**
 * The newest request of a chain, the renewal being rolled out: one that nothing in the chain renews
 * (the latest created of those, when a forced renewal forked the chain).
 */
function newestOf(chain: readonly RequestRecord[]): RequestRecord {
  const leaves = chain.filter((r) => !chain.some((x) => x.renews === r.id));
  return (leaves.length > 0 ? leaves : chain).reduce((a, b) => (b.createdAt > a.createdAt || (b.createdAt === a.createdAt && b.id > a.id) ? b : a));
}

/** Which certificate of `chain` the node `host` of `farm` has. */
export function nodeRenewalState(farm: Farm, chain: readonly RequestRecord[], host: string): NodeRenewalState {
  const newest = newestOf(chain);
  const onNode = farm.deployments.filter((d) => d.host === host);
  const current = newest.certificate?.thumbprint;
  const isNew = onNode.find((d) => d.requestId === newest.id && d.thumbprint === current);
  if (isNew) return { has: 'new', newRequestId: newest.id, requestId: newest.id, thumbprint: isNew.thumbprint };
  // The latest earlier certificate on the node (an earlier certificate of the newest request counts as old too).
  const old = [...chain]
    .reverse()
    .map((r) => onNode.find((d) => d.requestId === r.id))
    .find((d) => d !== undefined);
  if (old) return { has: 'old', newRequestId: newest.id, requestId: old.requestId, thumbprint: old.thumbprint };
  return { has: 'none', newRequestId: newest.id };
}

/** The chain of `id` when it has more than one request, else null. */
export function chainOf(records: readonly RequestRecord[], id: string): RequestRecord[] | null {
  const chain = renewalChain(records, id);
  return chain.length > 1 ? chain : null;
}

/** Every renewal chain with a request linked to or deployed in `farm`, and where each node stands. */
export function farmRollouts(farm: Farm, records: readonly RequestRecord[]): RenewalRollout[] {
  const inFarm = new Set([...farm.requestIds, ...farm.deployments.map((d) => d.requestId)]);
  const seen = new Set<string>();
  const out: RenewalRollout[] = [];
  for (const id of inFarm) {
    if (seen.has(id)) continue;
    const chain = chainOf(records, id);
    if (!chain) continue;
    for (const r of chain) seen.add(r.id);
    const nodes = farm.nodes.map((n) => {
      const s = nodeRenewalState(farm, chain, n.host);
      return { host: n.host, has: s.has, ...(s.requestId !== undefined ? { requestId: s.requestId } : {}), ...(s.thumbprint !== undefined ? { thumbprint: s.thumbprint } : {}) };
    });
    const newest = newestOf(chain);
    out.push({
      newRequestId: newest.id,
      requestIds: chain.filter((r) => inFarm.has(r.id) || r.id === newest.id).map((r) => r.id),
      nodes,
      complete: nodes.every((n) => n.has === 'new'),
    });
  }
  return out;
}
