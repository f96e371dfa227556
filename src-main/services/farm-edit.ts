/**
 * Changing a farm after it was added: its nodes (added, removed, OS changed) and trusted CAs, and
 * deleting it. Apart from farms.ts, which creates and reads farms, because every change here has
 * consequences for recorded deployments that must be spelled out.
 */
import type { FarmNodeInput } from '../common/api.js';
import { CertdeskError } from '../common/errors.js';
import type { Farm, FarmDeleteResult, FarmEditResult } from '../common/farms.js';
import { CaStore } from '../store/ca-store.js';
import { FarmStore } from '../store/farm-store.js';
import { nowOf, openStore, type ServiceContext } from './context.js';
import { normalizeHost } from './deployments.js';
import { assertNodesDistinctOnWindows, checkNodes, trustedCasFrom, type TrustFile } from './farms.js';

/** What `farm edit` / farms.update takes. Unnamed parts stay as they are. */
export interface EditFarmInput {
  name: string;
  /** The whole node list after the edit; a host not in it is removed, a new one added, a known one updated. */
  nodes?: FarmNodeInput[];
  /** Nodes to add, or to update when the farm has the host already (the CLI's --add-node / --set-node). */
  setNodes?: FarmNodeInput[];
  /** Hosts to remove (the CLI's --remove-node); NOT_FOUND for a host the farm does not have. */
  removeNodes?: string[];
  /** CA certificate files to add to the farm's trusted CAs (and to the store's CA certificates). */
  addTrust?: TrustFile[];
  /** Trusted CAs to drop from the farm, by SHA-256 or SHA-1 thumbprint (hex; spaces and colons ignored). */
  removeTrust?: string[];
}

const hexOf = (s: string): string => s.replace(/[\s:]/g, '').toLowerCase();

/**
 * Edits a farm under the store lock. Removing a node also drops the deployment records of that node
 * (they describe a machine the farm no longer has); each affected request's history says so.
 */
export async function editFarm(ctx: ServiceContext, input: EditFarmInput): Promise<FarmEditResult> {
  const nodes = input.nodes !== undefined ? checkNodes(input.nodes) : undefined;
  const setNodes = input.setNodes !== undefined && input.setNodes.length > 0 ? checkNodes(input.setNodes) : [];
  const removeNodes = (input.removeNodes ?? []).map(normalizeHost);
  const { cas: newCas, certificates } = trustedCasFrom(input.addTrust ?? []);
  const remove = (input.removeTrust ?? []).map(hexOf);
  for (const r of remove) {
    if (!/^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(r)) throw new CertdeskError('INVALID_INPUT', `"${r.slice(0, 80)}" is not a SHA-1 thumbprint or SHA-256 fingerprint`);
  }
  const store = await openStore(ctx, { mustExist: true });
  const farms = new FarmStore(store);
  return store.withLock(async () => {
    const before = await farms.get(input.name);
    for (const r of remove) {
      if (!before.trustedCas.some((c) => c.sha256 === r || c.thumbprint.toLowerCase() === r)) {
        throw new CertdeskError('NOT_FOUND', `farm ${before.name} trusts no CA certificate ${r}`);
      }
    }
    for (const h of removeNodes) if (!before.nodes.some((n) => n.host === h)) throw new CertdeskError('NOT_FOUND', `farm ${before.name} has no node ${h}`);
    // Applied here, under the lock, so two edits of the same farm never lose each other's change.
    let after = (nodes ?? before.nodes).filter((n) => !removeNodes.includes(n.host));
    for (const n of setNodes) after = after.some((a) => a.host === n.host) ? after.map((a) => (a.host === n.host ? n : a)) : [...after, n];
    if (after.length === 0) throw new CertdeskError('INVALID_INPUT', `farm ${before.name} would have no node left: delete the farm instead`);
    const hosts = new Set(after.map((n) => n.host));
    const nodesAdded = after.filter((n) => !before.nodes.some((b) => b.host === n.host)).map((n) => n.host);
    // A node added next to one Windows calls by the same computer name would make the install script ambiguous.
    assertNodesDistinctOnWindows(after.map((n) => n.host), nodesAdded);
    const nodesRemoved = before.nodes.filter((b) => !hosts.has(b.host)).map((b) => b.host);
    const nodesChanged = after
      .filter((n) => before.nodes.some((b) => b.host === n.host && (b.windowsVersion !== n.windowsVersion || b.notes !== n.notes)))
      .map((n) => n.host);
    const dropped = before.deployments.filter((d) => !hosts.has(d.host));
    const kept = before.trustedCas.filter((c) => !remove.includes(c.sha256) && !remove.includes(c.thumbprint.toLowerCase()));
    const added = newCas.filter((c) => !kept.some((k) => k.sha256 === c.sha256));
    const trustRemoved = before.trustedCas.filter((c) => !kept.includes(c)).map((c) => c.subject);
    if (nodesAdded.length + nodesRemoved.length + nodesChanged.length + added.length + trustRemoved.length === 0) {
      return { farm: before, nodesAdded, nodesRemoved, nodesChanged, trustAdded: [], trustRemoved, deploymentsDropped: 0 };
    }
    const caStore = new CaStore(store);
    for (const c of certificates) if (added.some((a) => a.sha256 === c.sha256)) await caStore.add(c.der);
    const farm = await farms.update(
      before.name,
      (f) => ({ ...f, nodes: after, trustedCas: [...kept, ...added], deployments: f.deployments.filter((d) => hosts.has(d.host)) }),
      () => nowOf(ctx),
    );
    const at = nowOf(ctx).toISOString();
    for (const d of dropped) {
      const detail = `node ${d.host} was removed from farm ${farm.name}: its ${d.state} mark for certificate ${d.thumbprint} was dropped`;
      await appendHistoryIfPresent(store, d.requestId, { at, event: 'deployment-undone', detail });
    }
    const parts = [
      nodesAdded.length ? `nodes added: ${nodesAdded.join(', ')}` : '',
      nodesRemoved.length ? `nodes removed: ${nodesRemoved.join(', ')}` : '',
      nodesChanged.length ? `nodes changed: ${nodesChanged.join(', ')}` : '',
      added.length ? `trusted CAs added: ${added.map((c) => c.subject).join('; ')}` : '',
      trustRemoved.length ? `trusted CAs removed: ${trustRemoved.join('; ')}` : '',
    ].filter(Boolean);
    await store.appendAudit({ event: 'farm-updated', detail: `farm ${farm.name}: ${parts.join('; ')}` });
    return { farm, nodesAdded, nodesRemoved, nodesChanged, trustAdded: added.map((c) => c.subject), trustRemoved, deploymentsDropped: dropped.length };
  });
}

async function appendHistoryIfPresent(store: Awaited<ReturnType<typeof openStore>>, id: string, event: { at: string; event: string; detail: string }): Promise<void> {
  try {
    await store.updateRequest(id, (r) => ({ ...r, history: [...r.history, event] }));
  } catch (e) {
    // A deleted request keeps no history to add to.
    if (!(e instanceof CertdeskError && e.code === 'NOT_FOUND')) throw e;
  }
}

/**
 * The linked requests that still need the farm: stored and not revoked. Deleting the farm forgets
 * where their certificates are deployed, so that takes an explicit confirmation.
 */
async function requestsInUse(store: Awaited<ReturnType<typeof openStore>>, farm: Farm): Promise<{ id: string; subject: string }[]> {
  const out: { id: string; subject: string }[] = [];
  for (const id of farm.requestIds) {
    try {
      const r = await store.getRequest(id);
      if (r.status !== 'revoked') out.push({ id, subject: r.subject });
    } catch (e) {
      if (!(e instanceof CertdeskError && e.code === 'NOT_FOUND')) throw e;
    }
  }
  return out;
}

/**
 * Deletes a farm: its file goes, the requests, keys, certificates and the store's CA certificates
 * stay. Refused (CONFLICT, naming them) while a linked request still needs it, unless `confirm`.
 */
export async function deleteFarm(ctx: ServiceContext, input: { name: string; confirm?: boolean }): Promise<FarmDeleteResult> {
  const store = await openStore(ctx, { mustExist: true });
  const farms = new FarmStore(store);
  return store.withLock(async () => {
    const farm = await farms.get(input.name);
    const inUse = await requestsInUse(store, farm);
    if (inUse.length > 0 && input.confirm !== true) {
      const names = inUse.map((r) => `${r.id} (${r.subject})`).join(', ');
      throw new CertdeskError(
        'CONFLICT',
        `farm ${farm.name} still serves ${inUse.length} request(s): ${names}; deleting it forgets ${farm.deployments.length} deployment record(s); confirm to delete it anyway (--yes)`,
      );
    }
    await farms.delete(farm.name);
    const at = nowOf(ctx).toISOString();
    for (const r of inUse) await appendHistoryIfPresent(store, r.id, { at, event: 'farm-unlinked', detail: `farm ${farm.name} was deleted` });
    await store.appendAudit({ event: 'farm-deleted', detail: `farm ${farm.name} deleted: ${farm.nodes.length} node(s), ${farm.requestIds.length} linked request(s), ${farm.deployments.length} deployment record(s)` });
    return { name: farm.name, requestsUnlinked: inUse.map((r) => r.id), deploymentsRemoved: farm.deployments.length, deleted: true };
  });
}
