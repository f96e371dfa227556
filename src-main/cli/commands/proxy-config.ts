import { isProxyKind, PROXY_KINDS, type ProxyConfigResult } from '../../common/proxy.js';
import type { TrustFile } from '../../services/farms.js';
import type { ProxyConfigOptions } from '../../services/proxy-config.js';
import { readUserFile } from '../../store/user-file.js';
import { baseName } from '../../store/user-path.js';
import { type CliContext, type Command, list, type OptionValues, str, UsageError } from '../command.js';
import { cliServiceContext } from '../context.js';
import { cliPath } from '../raw-args.js';
import { readPasswordFile } from './export.js';

/** A --trust CA file: through readUserFile like every input (regular file only, 1 MiB, bytes names kept). */
async function readTrust(ctx: CliContext, name: string): Promise<TrustFile> {
  const path = cliPath(ctx, name);
  return { name: baseName(path), data: new Uint8Array(await readUserFile(path, 'CA certificate file')) };
}

function certificateOf(values: OptionValues): number | undefined {
  const v = str(values, 'certificate');
  if (v === undefined) return undefined;
  if (!/^[1-9][0-9]{0,3}$/.test(v)) throw new UsageError(`--certificate must be a certificate number (1, 2, ...), not "${v}"`);
  return Number(v);
}

function printSummary(ctx: CliContext, r: ProxyConfigResult): void {
  ctx.print(`Wrote the ${r.kind} configuration for ${r.subject} (certificate ${r.certificate} of the plan, ${r.rules.length} rules) to ${r.dir ?? ''}:`);
  for (const f of r.files) ctx.print(`  ${f.name.padEnd(40)} ${f.role}`);
  if (r.thumbprint !== undefined) ctx.print(`  certificate thumbprint: ${r.thumbprint}`);
  else ctx.print('  no certificate named: the configuration has placeholders that say what to put there');
  if (r.passwordExport !== undefined && r.requestId !== undefined) {
    ctx.print(
      r.passwordGenerated === true
        ? `  password: generated and kept in the OS keychain; show it with: certdesk password ${r.requestId} --export ${r.passwordExport}`
        : '  password: the one from the password file (also kept in the OS keychain)',
    );
  }
}

const proxyConfigCommand: Command = {
  path: ['proxy-config'],
  summary: 'write reverse-proxy configuration (nginx, HAProxy, IIS ARR, TMG 2010) from a plan\'s publishing rules',
  usage: `proxy-config --plan FILE|--topology NAME --kind ${PROXY_KINDS.join('|')} [--request ID] [--certificate N] [--out DIR] [--install-dir DIR] [--listen ADDR] [--upstream NAME=ADDR]... [--trust CA_FILE | --farm NAME] [--password-file F]
  Without --out, the configuration alone goes to stdout; with --out DIR, also the certificate files the kind needs
  (with --request: nginx a PEM chain and an encrypted key, HAProxy the PFX and install-haproxy-cert.sh, IIS ARR and TMG the PFX).
  --install-dir: where the files sit on the proxy (default /etc/nginx/certdesk, /etc/haproxy/certdesk).
  --upstream: connect to an internal target at another address (ports unchanged). --trust/--farm: the internal CA of the back ends.`,
  options: {
    plan: { type: 'string' },
    topology: { type: 'string' },
    kind: { type: 'string' },
    request: { type: 'string' },
    certificate: { type: 'string' },
    out: { type: 'string' },
    'install-dir': { type: 'string' },
    listen: { type: 'string' },
    upstream: { type: 'string', multiple: true },
    trust: { type: 'string', multiple: true },
    farm: { type: 'string' },
    'password-file': { type: 'string' },
  },
  positionals: [0, 0],
  async run(ctx, _args, values) {
    const kind = str(values, 'kind');
    if (kind === undefined) throw new UsageError(`--kind ${PROXY_KINDS.join('|')} is required`);
    if (!isProxyKind(kind)) throw new UsageError(`--kind must be one of ${PROXY_KINDS.join(', ')}, not "${kind}"`);
    const planFile = str(values, 'plan');
    const topologyName = str(values, 'topology');
    if ((planFile === undefined) === (topologyName === undefined)) throw new UsageError('give the plan as --plan FILE or --topology NAME (one of them)');
    const trustFiles = list(values, 'trust');
    const farm = str(values, 'farm');
    if (trustFiles.length > 0 && farm !== undefined) throw new UsageError('use --trust CA_FILE or --farm NAME, not both');
    const out = str(values, 'out');
    const passwordFile = str(values, 'password-file');
    const requestId = str(values, 'request');
    if (passwordFile !== undefined && (out === undefined || requestId === undefined)) throw new UsageError('--password-file protects the key material written with --request and --out');
    const certificate = certificateOf(values);
    const installDir = str(values, 'install-dir');
    const listen = str(values, 'listen');
    const trust: TrustFile[] = [];
    for (const t of trustFiles) trust.push(await readTrust(ctx, t));
    const service = cliServiceContext(ctx);
    const { planFromFile, planFromTopology } = await import('../../services/plans.js');
    let plan;
    let source: string;
    if (planFile !== undefined) {
      plan = await planFromFile(cliPath(ctx, planFile));
      source = baseName(cliPath(ctx, planFile));
    } else {
      // A topology saved in the store (certdesk topology save): planned the same way as a file.
      const { loadStoredTopology } = await import('../../services/topologies.js');
      const stored = await loadStoredTopology(service, topologyName ?? '');
      plan = planFromTopology(stored.topology);
      source = `topology ${stored.name}`;
    }
    const opts: ProxyConfigOptions = {
      kind,
      plan,
      source,
      upstreams: list(values, 'upstream'),
      trust,
      ...(certificate !== undefined ? { certificate } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
      ...(installDir !== undefined ? { installDir } : {}),
      ...(listen !== undefined ? { listen } : {}),
      ...(farm !== undefined ? { farm } : {}),
    };
    if (out === undefined) {
      const { prepareProxyConfig } = await import('../../services/proxy-config.js');
      const { result } = await prepareProxyConfig(service, opts);
      if (requestId !== undefined) ctx.note('note: the certificate files are written only with --out DIR; this is the configuration alone');
      if (ctx.json) ctx.printJson(result);
      else ctx.writeRaw(result.text);
      for (const n of result.notes) ctx.note(`note: ${n}`);
      return 0;
    }
    const password = passwordFile !== undefined ? await readPasswordFile(ctx, passwordFile) : undefined;
    const { writeProxyConfig } = await import('../../services/proxy-config-write.js');
    const result = await writeProxyConfig(service, { ...opts, out: cliPath(ctx, out), ...(password !== undefined ? { password } : {}) });
    if (ctx.json) ctx.printJson(result);
    else printSummary(ctx, result);
    for (const n of result.notes) ctx.note(`note: ${n}`);
    return 0;
  },
};

/** `certdesk proxy-config`. */
export const PROXY_CONFIG_COMMANDS: Command[] = [proxyConfigCommand];
