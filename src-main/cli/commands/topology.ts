import { basename } from 'node:path';
import type { StoredTopology, StoredTopologySummary } from '../../common/topologies.js';
import type { TopologyFormat } from '../../common/topology-import.js';
import { type Command, flag, str, UsageError } from '../command.js';
import { cliServiceContext } from '../context.js';
import { cliPath } from '../raw-args.js';
import { checkOutFile, outBytes, writeOutFile } from '../out-file.js';
import { table } from '../table.js';

function topologyTable(list: StoredTopologySummary[]): string[] {
  if (list.length === 0) return ['No stored topologies. Save one with: certdesk topology save NAME FILE'];
  return table(
    ['NAME', 'SIP DOMAINS', 'POOLS', 'UPDATED', 'SHA-256'],
    list.map((t) => [t.name, t.sipDomains.join(', '), t.pools.join(', '), t.updatedAt.slice(0, 16).replace('T', ' '), t.sha256.slice(0, 16)]),
  );
}

function topologyDetail(t: StoredTopology): string[] {
  return [
    `Topology ${t.name}`,
    `  saved from   ${t.savedFrom}`,
    `  created      ${t.createdAt}`,
    `  updated      ${t.updatedAt}`,
    `  SHA-256      ${t.sha256}`,
    ...(t.description !== undefined ? [`  description  ${t.description}`] : []),
    `  SIP domains  ${t.sipDomains.join(', ')}`,
    `  pools        ${t.pools.join(', ')}`,
    '',
    `Plan it with: certdesk plan --topology ${t.name}`,
    '',
    ...JSON.stringify(t.topology, null, 2).split('\n'),
  ];
}

const topologySave: Command = {
  path: ['topology', 'save'],
  summary: 'keep a topology in the store under a name (Certdesk JSON or a Lync topology document; replaces an earlier version of that name)',
  usage: 'topology save NAME FILE',
  options: {},
  positionals: [2, 2],
  async run(ctx, args) {
    const [name = '', file = ''] = args;
    const { readTopologySource } = await import('../../services/plans.js');
    const { saveTopology } = await import('../../services/topologies.js');
    const source = await readTopologySource(cliPath(ctx, file));
    for (const f of source.findings) ctx.note(`${f.severity}: ${f.code}: ${f.message}`);
    const saved = await saveTopology(cliServiceContext(ctx), name, source.topology, basename(file));
    if (ctx.json) {
      ctx.printJson(saved);
      return 0;
    }
    const t = saved.topology;
    ctx.print(`${saved.replaced ? 'Updated' : 'Saved'} topology ${t.name} (SHA-256 ${t.sha256})${saved.replaced && !saved.previousSha256 ? '; the content is unchanged' : ''}.`);
    if (saved.previousSha256) ctx.print(`The previous version had SHA-256 ${saved.previousSha256}; requests made from it keep their own copy.`);
    return 0;
  },
};

const topologyList: Command = {
  path: ['topology', 'list'],
  summary: 'list the topologies kept in the store',
  usage: 'topology list',
  options: {},
  positionals: [0, 0],
  async run(ctx) {
    const { listTopologies } = await import('../../services/topologies.js');
    const list = await listTopologies(cliServiceContext(ctx, { readOnly: true }));
    if (ctx.json) ctx.printJson(list);
    else for (const line of topologyTable(list)) ctx.print(line);
    return 0;
  },
};

const topologyShow: Command = {
  path: ['topology', 'show'],
  summary: 'show a stored topology: where it came from, its SHA-256 and its JSON',
  usage: 'topology show NAME',
  options: {},
  positionals: [1, 1],
  async run(ctx, args) {
    const { showTopology } = await import('../../services/topologies.js');
    const t = await showTopology(cliServiceContext(ctx, { readOnly: true }), args[0] as string);
    if (ctx.json) ctx.printJson(t);
    else for (const line of topologyDetail(t)) ctx.print(line);
    return 0;
  },
};

const topologyDelete: Command = {
  path: ['topology', 'delete'],
  summary: 'delete a stored topology (requests made from it keep their own copy); needs --yes',
  usage: 'topology delete NAME --yes',
  options: { yes: { type: 'boolean' } },
  positionals: [1, 1],
  async run(ctx, args, values) {
    if (!flag(values, 'yes')) throw new UsageError('add --yes to delete the stored topology');
    const { deleteTopology } = await import('../../services/topologies.js');
    const name = await deleteTopology(cliServiceContext(ctx), args[0] as string);
    if (ctx.json) ctx.printJson({ name, deleted: true });
    else ctx.print(`Deleted topology ${name}.`);
    return 0;
  },
};

const FORMAT_NAMES: Record<TopologyFormat, string> = {
  'certdesk-json': 'Certdesk topology JSON',
  'lync-topology': 'Lync topology (Get-CsTopology -AsXml)',
  'lync-topology-builder': 'Topology Builder document',
};

const topologyImport: Command = {
  path: ['topology', 'import'],
  summary: "convert Lync Server's own topology (Get-CsTopology -AsXml, or a Topology Builder .tbxml) into Certdesk topology JSON",
  usage: 'topology import FILE [--out topology.json [--force]] [--json]\n  Without --out the JSON goes to stdout and what was read and assumed to stderr.',
  options: { out: { type: 'string' }, force: { type: 'boolean' } },
  positionals: [1, 1],
  async run(ctx, args, values) {
    const outArg = str(values, 'out');
    const out = outArg === undefined ? null : await checkOutFile(ctx.cwd, outArg, flag(values, 'force'), ctx.storeDir);
    const { readTopologySource } = await import('../../services/plans.js');
    const { canonicalTopologyJson } = await import('../../common/topologies.js');
    const source = await readTopologySource(cliPath(ctx, args[0] as string));
    const json = canonicalTopologyJson(source.topology);
    if (out) await writeOutFile(out, json);
    if (ctx.json) {
      ctx.printJson({ format: source.format, topology: source.topology, read: source.read, readItems: source.readItems, findings: source.findings, ...(out ? { out: out.shown, ...outBytes(out) } : {}) });
      return 0;
    }
    const report = [
      `Read ${source.name} as ${FORMAT_NAMES[source.format]}.`,
      ...source.read.map((r) => `  read: ${r}`),
      ...source.findings.map((f) => `  ${f.severity}: ${f.code}: ${f.message}${f.field ? ` [${f.field}]` : ''}`),
    ];
    if (out) {
      for (const line of report) ctx.print(line);
      ctx.print(`Topology JSON written to ${out.shown}; check it with: certdesk plan ${out.shown}`);
    } else {
      for (const line of report) ctx.note(line);
      ctx.writeRaw(json);
    }
    return 0;
  },
};

/** `certdesk topology save|list|show|delete|import`. */
export const TOPOLOGY_COMMANDS: Command[] = [topologySave, topologyList, topologyShow, topologyDelete, topologyImport];
