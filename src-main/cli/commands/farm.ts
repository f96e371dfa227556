import type { FarmNodeInput } from '../../common/api.js';
import { CertdeskError } from '../../common/errors.js';
import { isNodeKind, NODE_KINDS } from '../../common/proxy.js';
import { isWindowsVersion, nodeKindOf, profileForWindowsVersion, WINDOWS_VERSIONS, type WindowsVersion } from '../../common/farms.js';
import type { TrustFile } from '../../services/farms.js';
import { readUserFile } from '../../store/user-file.js';
import { showPath } from '../../store/user-path.js';
import { type Command, flag, list, UsageError } from '../command.js';
import { cliServiceContext } from '../context.js';
import { cliPath } from '../raw-args.js';
import { farmDetail, farmTable } from './farm-format.js';

/**
 * `HOST[:WINDOWS_VERSION[:NOTES]]`. The version is case-insensitive (2008r2); without one the node
 * counts as `other`, which gets the legacy PFX every Windows reads.
 */
export function parseNodeSpec(spec: string): FarmNodeInput {
  const [host = '', version, ...more] = spec.split(':');
  // HOST:VERSION:KIND[:NOTES]; a third part that is no kind is the notes, as before kinds existed.
  const third = (more[0] ?? '').trim().toLowerCase();
  const kind = isNodeKind(third) ? third : undefined;
  const rest = kind !== undefined ? more.slice(1) : more;
  const notes = rest.join(':').trim();
  let windowsVersion: WindowsVersion = 'other';
  if (version !== undefined && version.trim() !== '') {
    const v = version.trim().toUpperCase().replace(/\s+/g, '').replace(/^(WINDOWS)?(SERVER)?/, '');
    const canonical = v === 'OTHER' ? 'other' : v;
    if (!isWindowsVersion(canonical)) {
      throw new CertdeskError('INVALID_INPUT', `--node ${spec.slice(0, 80)}: "${version.trim()}" is not a Windows version; use one of ${WINDOWS_VERSIONS.join(', ')}`);
    }
    windowsVersion = canonical;
  }
  return { host: host.trim(), windowsVersion, ...(notes !== '' ? { notes } : {}), ...(kind !== undefined ? { kind } : {}) };
}

async function readTrustFile(cwd: string, name: string): Promise<TrustFile> {
  return { name: showPath(name), data: new Uint8Array(await readUserFile(cliPath({ cwd }, name), 'CA certificate file')) };
}

const farmAdd: Command = {
  path: ['farm', 'add'],
  summary: 'add a farm of reverse proxies, its nodes and the internal CA certificates they trust',
  usage: `farm add NAME --node HOST[:WINDOWS_VERSION[:KIND][:NOTES]]... [--trust CA_CERT_FILE]...
  KIND: ${NODE_KINDS.join(', ')} (the proxy it runs; default tmg on 2008R2, iis-arr on later Windows, other otherwise)
  WINDOWS_VERSION: ${WINDOWS_VERSIONS.join(', ')} (2008R2-2016 and TMG 2010 get the legacy PFX, 2019+ the modern one; other: legacy)
  --trust: the root (and intermediates) of the CA that issued the internal Lync servers' certificates; also stored with the CA certificates`,
  options: { node: { type: 'string', multiple: true }, trust: { type: 'string', multiple: true } },
  positionals: [1, 1],
  async run(ctx, args, values) {
    const specs = list(values, 'node');
    if (specs.length === 0) throw new UsageError('farm add needs at least one --node HOST[:WINDOWS_VERSION]');
    const nodes = specs.map(parseNodeSpec);
    const trust: TrustFile[] = [];
    for (const f of list(values, 'trust')) trust.push(await readTrustFile(ctx.cwd, f));
    const { addFarm } = await import('../../services/farms.js');
    const farm = await addFarm(cliServiceContext(ctx), { name: args[0] as string, nodes, trust });
    ctx.printJson(farm);
    ctx.print(`Added farm ${farm.name}: ${farm.nodes.length} node(s), ${farm.trustedCas.length} trusted CA certificate(s)`);
    for (const n of farm.nodes) ctx.print(`  ${n.host}  ${n.windowsVersion}  ${nodeKindOf(n)}  -> ${profileForWindowsVersion(n.windowsVersion)} PFX`);
    if (farm.trustedCas.length === 0) ctx.note('warning: no --trust CA certificate: bundles for this farm will not carry the internal root CA the proxies must trust');
    return 0;
  },
};

const farmList: Command = {
  path: ['farm', 'list'],
  summary: 'list the farms',
  usage: 'farm list',
  options: {},
  positionals: [0, 0],
  async run(ctx) {
    const { listFarms } = await import('../../services/farms.js');
    const farms = await listFarms(cliServiceContext(ctx, { readOnly: true }));
    ctx.printJson(farms);
    for (const line of farmTable(farms)) ctx.print(line);
    return 0;
  },
};

const farmShow: Command = {
  path: ['farm', 'show'],
  summary: "show a farm: nodes and their PFX profiles, trusted CAs, linked requests and each node's deployment state",
  usage: 'farm show NAME',
  options: {},
  positionals: [1, 1],
  async run(ctx, args) {
    const { showFarm } = await import('../../services/farms.js');
    const { farm, deployments, requests, rollouts } = await showFarm(cliServiceContext(ctx, { readOnly: true }), args[0] as string);
    ctx.printJson({
      farm,
      nodes: farm.nodes.map((n) => ({ ...n, profile: profileForWindowsVersion(n.windowsVersion) })),
      deployments,
      rollouts,
    });
    for (const line of farmDetail(farm, requests, deployments, rollouts)) ctx.print(line);
    return 0;
  },
};

const farmLink: Command = {
  path: ['farm', 'link'],
  summary: 'link a request to a farm (bundle and deploy do it too)',
  usage: 'farm link NAME REQUEST_ID',
  options: {},
  positionals: [2, 2],
  async run(ctx, args) {
    const { linkRequest } = await import('../../services/farms.js');
    const farm = await linkRequest(cliServiceContext(ctx), args[0] as string, args[1] as string);
    ctx.printJson(farm);
    ctx.print(`Farm ${farm.name} serves ${farm.requestIds.length} request(s): ${farm.requestIds.join(', ')}`);
    return 0;
  },
};

const farmEdit: Command = {
  path: ['farm', 'edit'],
  summary: "change a farm: add, remove or update nodes (their Windows version), add or remove trusted CA certificates",
  usage: `farm edit NAME [--add-node HOST[:WINDOWS_VERSION[:NOTES]]]... [--set-node HOST:WINDOWS_VERSION[:NOTES]]... [--remove-node HOST]...
       [--trust CA_CERT_FILE]... [--untrust SHA256|THUMBPRINT]...
  --set-node: a node's new Windows version (and notes); --remove-node also drops that node's deployment marks`,
  options: {
    'add-node': { type: 'string', multiple: true },
    'set-node': { type: 'string', multiple: true },
    'remove-node': { type: 'string', multiple: true },
    trust: { type: 'string', multiple: true },
    untrust: { type: 'string', multiple: true },
  },
  positionals: [1, 1],
  async run(ctx, args, values) {
    const setNodes = [...list(values, 'add-node'), ...list(values, 'set-node')].map(parseNodeSpec);
    const removeNodes = list(values, 'remove-node');
    const addTrust: TrustFile[] = [];
    for (const f of list(values, 'trust')) addTrust.push(await readTrustFile(ctx.cwd, f));
    const removeTrust = list(values, 'untrust');
    if (setNodes.length + removeNodes.length + addTrust.length + removeTrust.length === 0) {
      throw new UsageError('farm edit needs at least one of --add-node, --set-node, --remove-node, --trust, --untrust');
    }
    const { editFarm } = await import('../../services/farm-edit.js');
    const r = await editFarm(cliServiceContext(ctx), { name: args[0] as string, setNodes, removeNodes, addTrust, removeTrust });
    ctx.printJson(r);
    const changes = [
      r.nodesAdded.length ? `added ${r.nodesAdded.join(', ')}` : '',
      r.nodesChanged.length ? `updated ${r.nodesChanged.join(', ')}` : '',
      r.nodesRemoved.length ? `removed ${r.nodesRemoved.join(', ')}` : '',
      r.trustAdded.length ? `now trusts ${r.trustAdded.join('; ')}` : '',
      r.trustRemoved.length ? `no longer trusts ${r.trustRemoved.join('; ')}` : '',
    ].filter(Boolean);
    ctx.print(changes.length ? `Farm ${r.farm.name}: ${changes.join('; ')}` : `Farm ${r.farm.name}: nothing changed`);
    for (const n of r.farm.nodes) ctx.print(`  ${n.host}  ${n.windowsVersion}  -> ${profileForWindowsVersion(n.windowsVersion)} PFX`);
    if (r.deploymentsDropped > 0) ctx.note(`note: ${r.deploymentsDropped} deployment mark(s) of the removed node(s) were dropped`);
    return 0;
  },
};

const farmDelete: Command = {
  path: ['farm', 'delete'],
  summary: 'delete a farm (requests, keys, certificates and CA certificates stay)',
  usage: `farm delete NAME [--yes]
  --yes: delete even while linked requests still need the farm (their deployment marks are forgotten)`,
  options: { yes: { type: 'boolean' } },
  positionals: [1, 1],
  async run(ctx, args, values) {
    const { deleteFarm } = await import('../../services/farm-edit.js');
    const r = await deleteFarm(cliServiceContext(ctx), { name: args[0] as string, confirm: flag(values, 'yes') });
    ctx.printJson(r);
    ctx.print(`Deleted farm ${r.name}` + (r.requestsUnlinked.length ? `; unlinked ${r.requestsUnlinked.join(', ')}; ${r.deploymentsRemoved} deployment mark(s) forgotten` : ''));
    return 0;
  },
};

/** `certdesk farm ...`. */
export const FARM_COMMANDS: Command[] = [farmAdd, farmList, farmShow, farmLink, farmEdit, farmDelete];
