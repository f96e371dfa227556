import { CertdeskError } from '../common/errors.js';
import { type Deployment, type Farm, type NodeDeploymentView, profileForWindowsVersion, type UndoDeploymentResult } from '../common/farms.js';
import type { RequestRecord } from '../common/requests.js';
import { checkDnsName } from '../pki/names.js';
import { FarmStore } from '../store/farm-store.js';
import type { Store } from '../store/store.js';
import { nowOf, openStore, type ServiceContext } from './context.js';
import { chainOf, nodeRenewalState } from './renewal-chain.js';

/** What `deploy` records. */
export interface MarkDeploymentInput {
  id: string;
  node: string;
  farm?: string;
  operator?: string;
  verifiedThumbprint?: string;
}

/** A node's host name as farms store it (lower-case A-label); INVALID_INPUT when it is no DNS name. */
export function normalizeHost(host: string): string {
  const check = checkDnsName(host.trim(), { role: 'san' });
  const error = check.findings.find((f) => f.severity === 'error');
  if (check.aLabel === null || error) {
    throw new CertdeskError('INVALID_INPUT', `"${host.trim().slice(0, 80)}" is not a valid host name: ${error?.message ?? 'it is not a DNS name'}`);
  }
  return check.aLabel;
}

/** A thumbprint as people paste it (spaces, colons, any case) -> 40 upper-case hex digits. */
export function normalizeThumbprint(input: string): string {
  // Copying from the Windows certificate dialog can bring an invisible U+200E mark along.
  const hex = input.replace(/[\s:\u200e\u200f-]/g, '').toUpperCase();
  if (!/^[0-9A-F]{40}$/.test(hex)) {
    throw new CertdeskError('INVALID_INPUT', 'a thumbprint is 40 hexadecimal digits (SHA-1), e.g. as the certificate dialog or the install script shows it');
  }
  return hex;
}

/**
 * Where `record`'s certificate stands on each node of `farm`; with the request's renewal `chain`
 * (chainOf), also which certificate of the chain each node has.
 */
export function deploymentViews(farm: Farm, record: RequestRecord, chain: readonly RequestRecord[] | null = null): NodeDeploymentView[] {
  const current = record.certificate?.thumbprint;
  return farm.nodes.map((node) => {
    const view: NodeDeploymentView = {
      requestId: record.id,
      subject: record.subject,
      farm: farm.name,
      host: node.host,
      windowsVersion: node.windowsVersion,
      profile: profileForWindowsVersion(node.windowsVersion),
      state: 'not-deployed',
      ...(chain ? { renewal: nodeRenewalState(farm, chain, node.host) } : {}),
    };
    const d = farm.deployments.find((x) => x.requestId === record.id && x.host === node.host);
    if (!d) return view;
    if (current !== undefined && d.thumbprint !== current) {
      // An earlier certificate of this request is on the node: the current one is not deployed.
      return { ...view, staleThumbprint: d.thumbprint };
    }
    return {
      ...view,
      state: d.state,
      deployedAt: d.deployedAt,
      ...(d.verifiedAt !== undefined ? { verifiedAt: d.verifiedAt } : {}),
      ...(d.operator !== undefined ? { operator: d.operator } : {}),
    };
  });
}

/** The last `superseded` event of a record names its renewal and farm: `superseded by request ID ... of farm NAME`. */
function supersededBy(r: RequestRecord): { id: string; farm: string } | null {
  if (r.status !== 'superseded') return null;
  const last = [...r.history].reverse().find((h) => h.event === 'superseded');
  const m = last ? /^superseded by request (\S+) .* of farm (\S+)$/.exec(last.detail) : null;
  return m ? { id: m[1] as string, farm: m[2] as string } : null;
}

/**
 * The renewed request becomes `superseded` once its renewal is deployed on every node of a farm where
 * it served (linked or deployed there); a revoked or already superseded one stays as it is.
 */
async function supersede(store: Store, oldId: string, farm: Farm, newId: string, thumbprint: string, at: string): Promise<void> {
  if (!farm.requestIds.includes(oldId) && !farm.deployments.some((d) => d.requestId === oldId)) return;
  const old = await store.getRequest(oldId).catch((e: unknown) => {
    if (e instanceof CertdeskError && e.code === 'NOT_FOUND') return null; // deleted since: nothing to retire
    throw e;
  });
  if (!old || old.status === 'superseded' || old.status === 'revoked') return;
  const detail = `superseded by request ${newId} (certificate ${thumbprint}), deployed on every node of farm ${farm.name}`;
  await store.updateRequest(oldId, (r) => {
    r.status = 'superseded';
    r.history.push({ at, event: 'superseded', detail });
    return r;
  });
  await store.appendAudit({ event: 'superseded', requestId: oldId, detail });
}

/**
 * Undoing a deployment mark of the renewal that superseded the old request in that farm gives the old
 * request its status back: `deployed` where its own certificate is still on every node of a farm,
 * else `exported` or `issued`.
 */
async function unsupersede(store: Store, oldId: string, newId: string, farmName: string, farms: Farm[], at: string): Promise<void> {
  const old = await store.getRequest(oldId).catch(() => null);
  const by = old ? supersededBy(old) : null;
  if (!old || !by || by.id !== newId || by.farm.toLowerCase() !== farmName.toLowerCase()) return;
  const thumbprint = old.certificate?.thumbprint;
  const stillDeployed = farms.some((f) => f.nodes.length > 0 && f.nodes.every((n) => f.deployments.some((d) => d.requestId === oldId && d.host === n.host && d.thumbprint === thumbprint)));
  const detail = `no longer superseded: a deployment mark of its renewal ${newId} in farm ${farmName} was undone`;
  await store.updateRequest(oldId, (r) => {
    r.status = stillDeployed ? 'deployed' : (r.exports?.length ?? 0) > 0 ? 'exported' : 'issued';
    r.history.push({ at, event: 'supersede-undone', detail });
    return r;
  });
  await store.appendAudit({ event: 'supersede-undone', requestId: oldId, detail });
}

/** The farms a request is linked to or has deployments in. */
function farmsOfRequest(farms: Farm[], requestId: string): Farm[] {
  return farms.filter((f) => f.requestIds.includes(requestId) || f.deployments.some((d) => d.requestId === requestId));
}

/** Where the request's certificate stands on every node of its farms. */
export async function listDeployments(ctx: ServiceContext, id: string): Promise<NodeDeploymentView[]> {
  const store = await openStore(ctx, { mustExist: true });
  const record = await store.getRequest(await store.resolveId(id));
  const farms = farmsOfRequest(await new FarmStore(store).list(), record.id);
  const chain = record.renews !== undefined || record.history.some((h) => h.event === 'renewed-by') ? chainOf(await store.listRequests(), record.id) : null;
  return farms.flatMap((f) => deploymentViews(f, record, chain));
}

function pickFarm(farms: Farm[], host: string, requestId: string, wanted: string | undefined): Farm {
  if (wanted !== undefined) {
    const farm = farms.find((f) => f.name.toLowerCase() === wanted.toLowerCase());
    if (!farm) throw new CertdeskError('NOT_FOUND', `no farm "${wanted}" (certdesk farm list shows them)`);
    if (!farm.nodes.some((n) => n.host === host)) throw new CertdeskError('NOT_FOUND', `farm ${farm.name} has no node ${host}`);
    return farm;
  }
  const withNode = farms.filter((f) => f.nodes.some((n) => n.host === host));
  if (withNode.length === 0) throw new CertdeskError('NOT_FOUND', `no farm has a node ${host} (certdesk farm show NAME lists a farm's nodes)`);
  if (withNode.length === 1) return withNode[0] as Farm;
  // A node in several farms: the farm the request is linked to decides, when that is unambiguous.
  const linked = withNode.filter((f) => f.requestIds.includes(requestId));
  if (linked.length === 1) return linked[0] as Farm;
  throw new CertdeskError('INVALID_INPUT', `node ${host} is in farms ${withNode.map((f) => f.name).join(', ')}: say which with --farm NAME`);
}

/**
 * Records that the request's certificate is on a node: `deployed`, or `verified` when the thumbprint
 * seen on the node is given and equals the certificate's. The request is linked to the farm; its
 * status becomes `deployed` once every node of the farm has it.
 */
export async function markDeployment(ctx: ServiceContext, input: MarkDeploymentInput): Promise<Deployment> {
  const host = normalizeHost(input.node);
  const verified = input.verifiedThumbprint !== undefined ? normalizeThumbprint(input.verifiedThumbprint) : undefined;
  const operator = input.operator?.trim();
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (operator !== undefined && (operator === '' || operator.length > 128 || /[\u0000-\u001f\u007f]/.test(operator))) {
    throw new CertdeskError('INVALID_INPUT', 'the operator name must be one line of at most 128 characters');
  }
  const store = await openStore(ctx);
  const farms = new FarmStore(store);
  return store.withLock(async () => {
    const id = await store.resolveId(input.id);
    const record = await store.getRequest(id);
    const cert = record.certificate;
    if (!cert) throw new CertdeskError('NOT_EXPORTABLE', `request ${id} has no issued certificate yet: import the CA's answer first`);
    if (verified !== undefined && verified !== cert.thumbprint) {
      throw new CertdeskError('MISMATCH', `thumbprint ${verified} is not the certificate of request ${id} (${cert.thumbprint}): the node serves another certificate`);
    }
    const farm = pickFarm(await farms.list(), host, id, input.farm);
    const at = nowOf(ctx).toISOString();
    let result: Deployment | undefined;
    const updated = await farms.update(
      farm.name,
      (f) => {
        const previous = f.deployments.find((d) => d.requestId === id && d.host === host);
        const sameCert = previous !== undefined && previous.thumbprint === cert.thumbprint;
        const next: Deployment = {
          requestId: id,
          host,
          // Recording the deployment again keeps an earlier verification of the same certificate.
          state: verified !== undefined || (sameCert && previous.state === 'verified') ? 'verified' : 'deployed',
          thumbprint: cert.thumbprint,
          deployedAt: sameCert ? previous.deployedAt : at,
        };
        const verifiedAt = verified !== undefined ? at : sameCert ? previous.verifiedAt : undefined;
        if (verifiedAt !== undefined) next.verifiedAt = verifiedAt;
        const op = operator ?? (sameCert ? previous.operator : undefined);
        if (op !== undefined) next.operator = op;
        result = next;
        f.deployments = [...f.deployments.filter((d) => d !== previous), next];
        if (!f.requestIds.includes(id)) f.requestIds.push(id);
        return f;
      },
      () => nowOf(ctx),
    );
    const deployment = result as Deployment;
    const allDone = updated.nodes.every((n) => updated.deployments.some((d) => d.requestId === id && d.host === n.host && d.thumbprint === cert.thumbprint));
    const event = verified !== undefined ? 'deployment-verified' : 'deployed';
    const detail =
      verified !== undefined
        ? `certificate ${cert.thumbprint} verified on node ${host} of farm ${farm.name}${operator ? ` by ${operator}` : ''}`
        : `certificate ${cert.thumbprint} deployed on node ${host} of farm ${farm.name}${operator ? ` by ${operator}` : ''}`;
    await store.updateRequest(id, (r) => {
      r.history.push({ at, event, detail });
      if (allDone && (r.status === 'issued' || r.status === 'exported')) r.status = 'deployed';
      return r;
    });
    await store.appendAudit({ event, requestId: id, detail });
    if (allDone && record.renews !== undefined) await supersede(store, record.renews, updated, id, cert.thumbprint, at);
    return deployment;
  });
}

/**
 * Removes the deployment mark of the request's certificate on a node (a mark made by mistake, or a
 * node rolled back), with a `deployment-undone` history event and audit line. A request that was
 * `deployed` goes back to `exported` (or `issued` without exports): not every node has it any more.
 */
export async function undoDeployment(ctx: ServiceContext, input: { id: string; node: string; farm?: string }): Promise<UndoDeploymentResult> {
  const host = normalizeHost(input.node);
  const store = await openStore(ctx, { mustExist: true });
  const farms = new FarmStore(store);
  return store.withLock(async () => {
    const id = await store.resolveId(input.id);
    await store.getRequest(id);
    const withMark = (await farms.list()).filter((f) => f.deployments.some((d) => d.requestId === id && d.host === host));
    const candidates = input.farm !== undefined ? withMark.filter((f) => f.name.toLowerCase() === input.farm?.toLowerCase()) : withMark;
    if (candidates.length === 0) {
      throw new CertdeskError('NOT_FOUND', `request ${id} has no deployment mark on node ${host}${input.farm !== undefined ? ` in farm ${input.farm}` : ''}`);
    }
    if (candidates.length > 1) {
      throw new CertdeskError('INVALID_INPUT', `request ${id} is marked on node ${host} in farms ${candidates.map((f) => f.name).join(', ')}: say which with --farm NAME`);
    }
    const farm = candidates[0] as Farm;
    const removed = farm.deployments.find((d) => d.requestId === id && d.host === host) as Deployment;
    await farms.update(farm.name, (f) => ({ ...f, deployments: f.deployments.filter((d) => !(d.requestId === id && d.host === host)) }), () => nowOf(ctx));
    const at = nowOf(ctx).toISOString();
    const detail = `${removed.state} mark of certificate ${removed.thumbprint} on node ${host} of farm ${farm.name} undone`;
    const updated = await store.updateRequest(id, (r) => {
      r.history.push({ at, event: 'deployment-undone', detail });
      if (r.status === 'deployed') r.status = (r.exports?.length ?? 0) > 0 ? 'exported' : 'issued';
      return r;
    });
    await store.appendAudit({ event: 'deployment-undone', requestId: id, detail });
    if (updated.renews !== undefined) await unsupersede(store, updated.renews, id, farm.name, await farms.list(), at);
    return { requestId: id, farm: farm.name, host, removed, status: updated.status };
  });
}
