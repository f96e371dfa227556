import type { FarmDetail, FarmNodeInput } from '../common/api.js';
import { CertdeskError } from '../common/errors.js';
import { defaultNodeKind, isNodeKind, NODE_KINDS } from '../common/proxy.js';
import { type Farm, type FarmNode, type RenewalRollout, type TrustedCa, isWindowsVersion, WINDOWS_VERSIONS } from '../common/farms.js';
import type { RequestRecord } from '../common/requests.js';
import { type Certificate, verifySignedBy } from '../pki/certificate.js';
import { parseCertificateFile } from '../pki/certificate-file.js';
import { toPem } from '../pki/pem.js';
import { findAmbiguousNodes } from '../media/windows-names.js';
import { CaStore } from '../store/ca-store.js';
import { assertFarmName, FarmStore } from '../store/farm-store.js';
import { isCaCertificate } from './ca.js';
import { nowOf, openStore, openStoreIfExists, type ServiceContext } from './context.js';
import { deploymentViews, normalizeHost } from './deployments.js';
import { chainOf, farmRollouts } from './renewal-chain.js';

/** A CA certificate file handed to `farm add --trust`. */
export interface TrustFile {
  name: string;
  data: Uint8Array;
}

/** What `farm add` takes. */
export interface AddFarmInput {
  name: string;
  nodes: FarmNodeInput[];
  trust?: TrustFile[];
}

const MAX_NODES = 200;
const MAX_NOTES = 1024;

/** Checks and normalizes a node list (hosts as lower-case A-labels, known Windows versions, one-line notes). */
export function checkNodes(nodes: FarmNodeInput[]): FarmNode[] {
  if (nodes.length === 0) throw new CertdeskError('INVALID_INPUT', 'a farm needs at least one node');
  if (nodes.length > MAX_NODES) throw new CertdeskError('INVALID_INPUT', `a farm takes at most ${MAX_NODES} nodes`);
  const out: FarmNode[] = [];
  for (const n of nodes) {
    const host = normalizeHost(n.host);
    if (!isWindowsVersion(n.windowsVersion)) {
      throw new CertdeskError('INVALID_INPUT', `"${String(n.windowsVersion).slice(0, 40)}" is not a Windows version: use one of ${WINDOWS_VERSIONS.join(', ')}`);
    }
    const notes = (n.notes ?? '').trim();
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    if (notes.length > MAX_NOTES || /[\u0000-\u001f\u007f]/.test(notes)) throw new CertdeskError('INVALID_INPUT', `the notes of node ${host} must be one line of at most ${MAX_NOTES} characters`);
    if (out.some((o) => o.host === host)) throw new CertdeskError('INVALID_INPUT', `node ${host} is listed twice`);
    if (n.kind !== undefined && !isNodeKind(n.kind)) throw new CertdeskError('INVALID_INPUT', `"${String(n.kind).slice(0, 40)}" is not a node kind: use one of ${NODE_KINDS.join(', ')}`);
    out.push({ host, windowsVersion: n.windowsVersion, notes, kind: n.kind ?? defaultNodeKind(n.windowsVersion) });
  }
  assertNodesDistinctOnWindows(out.map((n) => n.host));
  return out;
}

/**
 * Refuses hosts Windows would give the same computer (NetBIOS) name: the install script matches a
 * node by its full DNS name and falls back to that name, so such nodes could not be told apart.
 */
export function assertNodesDistinctOnWindows(hosts: readonly string[], involving?: readonly string[]): void {
  const clash = findAmbiguousNodes(hosts, involving);
  if (clash) {
    throw new CertdeskError(
      'INVALID_INPUT',
      `nodes ${clash.first} and ${clash.second} would both be "${clash.netbiosName}" on Windows (the computer name is the first label, at most 15 characters): ` +
        'the install script could not tell them apart; list each node under its own computer name (first labels that differ within their first 15 characters)',
    );
  }
}

/**
 * The CA certificates of the --trust files as the farm keeps them. Each must be a CA certificate:
 * self-signed (its own key verifies it) is a root, anything else an intermediate.
 */
export function trustedCasFrom(files: readonly TrustFile[]): { cas: TrustedCa[]; certificates: Certificate[] } {
  const cas: TrustedCa[] = [];
  const certificates: Certificate[] = [];
  for (const f of files) {
    for (const c of parseCertificateFile(f.data, f.name)) {
      const root = c.selfIssued && verifySignedBy(c, c);
      if (!isCaCertificate(c)) {
        throw new CertdeskError('INVALID_INPUT', `${f.name}: ${c.subject} is not a CA certificate (no CA basic constraint): give the internal root or intermediate CA`);
      }
      if (cas.some((x) => x.sha256 === c.sha256)) continue;
      certificates.push(c);
      cas.push({
        role: root ? 'root' : 'intermediate',
        subject: c.subject,
        issuer: c.issuer,
        notAfter: c.notAfter.toISOString(),
        thumbprint: c.sha1Thumbprint,
        sha256: c.sha256,
        pem: toPem(c.der, 'CERTIFICATE'),
      });
    }
  }
  return { cas, certificates };
}

/**
 * Creates a farm. The --trust certificates are kept in the farm (they go into every bundle) and in
 * the store's CA certificates too. CONFLICT when the name is taken; then nothing is stored.
 */
export async function addFarm(ctx: ServiceContext, input: AddFarmInput): Promise<Farm> {
  assertFarmName(input.name);
  const nodes = checkNodes(input.nodes);
  const { cas, certificates } = trustedCasFrom(input.trust ?? []);
  const store = await openStore(ctx);
  const farms = new FarmStore(store);
  const at = nowOf(ctx).toISOString();
  const farm: Farm = { schemaVersion: 1, name: input.name, nodes, trustedCas: cas, requestIds: [], deployments: [], createdAt: at, updatedAt: at };
  return store.withLock(async () => {
    const existing = (await farms.list()).find((f) => f.name.toLowerCase() === farm.name.toLowerCase());
    if (existing) throw new CertdeskError('CONFLICT', `a farm "${existing.name}" already exists`);
    const caStore = new CaStore(store);
    for (const c of certificates) await caStore.add(c.der);
    await farms.create(farm);
    await store.appendAudit({ event: 'farm-added', detail: `farm ${farm.name}: ${nodes.length} node(s), ${cas.length} trusted CA certificate(s)` });
    return farm;
  });
}

/** Every farm, by name. */
export async function listFarms(ctx: ServiceContext): Promise<Farm[]> {
  const store = await openStoreIfExists(ctx);
  return store ? new FarmStore(store).list() : [];
}

/** A farm with the deployment state of each linked request's certificate on each node. */
export async function showFarm(ctx: ServiceContext, name: string): Promise<FarmDetail & { requests: RequestRecord[]; rollouts: RenewalRollout[] }> {
  const store = await openStore(ctx, { mustExist: true });
  const farm = await new FarmStore(store).get(name);
  const requests: RequestRecord[] = [];
  for (const id of farm.requestIds) {
    try {
      requests.push(await store.getRequest(id));
    } catch (e) {
      // A deleted request stays listed in the farm's history; it simply has nothing to show.
      if (!(e instanceof CertdeskError && e.code === 'NOT_FOUND')) throw e;
    }
  }
  const all = await store.listRequests();
  return { farm, deployments: requests.flatMap((r) => deploymentViews(farm, r, chainOf(all, r.id))), requests, rollouts: farmRollouts(farm, all) };
}

/** Links a request to a farm (bundles and deployments do it too); linking twice is harmless. */
export async function linkRequest(ctx: ServiceContext, name: string, requestId: string): Promise<Farm> {
  const store = await openStore(ctx);
  const farms = new FarmStore(store);
  return store.withLock(async () => {
    const id = await store.resolveId(requestId);
    await store.getRequest(id);
    const farm = await farms.get(name);
    if (farm.requestIds.includes(id)) return farm;
    const updated = await farms.update(farm.name, (f) => ({ ...f, requestIds: [...f.requestIds, id] }), () => nowOf(ctx));
    await store.appendAudit({ event: 'farm-linked', requestId: id, detail: `request ${id} linked to farm ${farm.name}` });
    return updated;
  });
}
