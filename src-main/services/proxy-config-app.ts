import { CertdeskError } from '../common/errors.js';
import type { PlanResult } from '../common/plan.js';
import type { ProxyConfigParams, ProxyConfigPreview, ProxyConfigResult, ProxyPreviewFile } from '../common/proxy.js';
import { renderHaproxyInstallScript } from '../planning/proxy/haproxy-script.js';
import { proxyFileNames } from '../planning/proxy/input.js';
import { toPem } from '../pki/pem.js';
import { nowOf, openStore, type ServiceContext } from './context.js';
import { loadExportChain } from './export-chain.js';
import { planFromTopology } from './plans.js';
import { prepareProxyConfig, type ProxyConfigOptions } from './proxy-config.js';
import { writeProxyConfig } from './proxy-config-write.js';
import { loadStoredTopology, readRequestTopology } from './topologies.js';

/**
 * The app's parameters as the CLI's options: the plan from a stored topology, the Plan view's
 * topology, or (none given) the topology the request was made from, which the Farms view relies on.
 */
async function optionsFrom(ctx: ServiceContext, p: ProxyConfigParams): Promise<ProxyConfigOptions> {
  let plan: PlanResult;
  let source: string;
  let certificate = p.certificate ?? p.plan?.certificate;
  if (p.plan?.kind === 'stored') {
    const stored = await loadStoredTopology(ctx, p.plan.name);
    plan = planFromTopology(stored.topology);
    source = `topology ${stored.name}`;
  } else if (p.plan?.kind === 'form') {
    plan = planFromTopology(p.plan.topology);
    source = 'the plan';
  } else {
    if (p.requestId === undefined) throw new CertdeskError('INVALID_INPUT', 'choose a plan or a certificate made from one');
    const origin = await readRequestTopology(ctx, p.requestId);
    if (origin === null) throw new CertdeskError('INVALID_INPUT', `request ${p.requestId} was not made from a plan: Certdesk has no publishing rules for it; make the configuration from the plan instead`);
    plan = planFromTopology(origin.topology);
    source = `the plan of request ${p.requestId}`;
    certificate ??= origin.origin.certificate;
  }
  return {
    kind: p.kind,
    plan,
    source,
    upstreams: p.upstreams ?? [],
    language: p.language ?? 'en',
    ...(certificate !== undefined ? { certificate } : {}),
    ...(p.requestId !== undefined ? { requestId: p.requestId } : {}),
    ...(p.farm !== undefined ? { farm: p.farm } : {}),
    ...(p.listen !== undefined && p.listen.trim() !== '' ? { listen: p.listen } : {}),
    ...(p.installDir !== undefined && p.installDir.trim() !== '' ? { installDir: p.installDir } : {}),
  };
}

/**
 * The app's "Proxy configuration" section: one kind's configuration (nothing written), with the
 * text of every file that is not key material (the certificate chain and the internal CA are
 * public PEM) and the names of the key files only saving writes, in the main process.
 */
export async function previewProxyConfig(ctx: ServiceContext, p: ProxyConfigParams): Promise<ProxyConfigPreview> {
  const prepared = await prepareProxyConfig(ctx, await optionsFrom(ctx, p));
  const { result, input, record } = prepared;
  const f = proxyFileNames(result.subject);
  const preview: ProxyPreviewFile[] = [{ name: result.fileName, role: result.kind === 'tmg' ? 'checklist' : result.kind === 'iis-arr' ? 'script' : 'config', text: result.text }];
  if (prepared.trustedCaPem !== null) preview.push({ name: f.trustedCa, role: 'trusted-ca', text: prepared.trustedCaPem });
  if (record) {
    if (result.kind === 'nginx') {
      // The chain as nginx reads it; an incomplete one is refused when saving, with its reason.
      const store = await openStore(ctx, { mustExist: true });
      const { leaf, cas } = await loadExportChain(store, record, { includeRoot: false, allowIncompleteChain: true }, nowOf(ctx));
      preview.push({ name: f.certificate, role: 'certificate', text: [leaf.der, ...cas].map((d) => toPem(d, 'CERTIFICATE')).join('') });
      preview.push({ name: f.key, role: 'key' });
    } else {
      preview.push({ name: f.pfx, role: 'pfx' });
      if (result.kind === 'haproxy') preview.push({ name: f.haproxyScript, role: 'script', text: renderHaproxyInstallScript(input) });
    }
  }
  return { ...result, preview };
}

/** The section's save action: every file into `out`, as `certdesk proxy-config --out` writes them. */
export async function saveProxyConfig(ctx: ServiceContext, p: ProxyConfigParams, out: string, password?: string): Promise<ProxyConfigResult> {
  return writeProxyConfig(ctx, { ...(await optionsFrom(ctx, p)), out, ...(password !== undefined ? { password } : {}) });
}
