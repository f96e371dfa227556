import { CertdeskError } from '../common/errors.js';
import { type Farm, nodeKindOf, profileForWindowsVersion } from '../common/farms.js';
import type { ProxyKind } from '../common/proxy.js';
import type { RequestRecord } from '../common/requests.js';
import { type BundleProxyFile, type BundleProxyNode, type BundleProxyPlan, nodeFolderName, pfxFileName, windowsText } from '../media/bundle-plan.js';
import { proxyFileNames } from '../planning/proxy/input.js';
import { renderProxyConfig } from '../planning/proxy/render.js';
import type { Store } from '../store/store.js';
import type { ServiceContext } from './context.js';
import { planFromTopology } from './plans.js';
import { prepareProxyConfig, type PreparedProxyConfig } from './proxy-config.js';
import { proxyKeyMaterial } from './proxy-config-write.js';
import { readRequestTopology } from './topologies.js';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A key-material file of a node folder: recorded as an export of the request (its password is the bundle's). */
export interface BundleProxyKeyFile {
  /** Path inside the bundle (`node-<host>/<name>`). */
  path: string;
  kind: ProxyKind;
  format: 'pfx' | 'pkcs8-pem';
  iterations: number;
}

/**
 * Each node's reverse-proxy configuration for a farm bundle, from the publishing rules of the plan
 * the request was made from: nginx gets its `.conf`, the certificate chain (PEM) and the key as an
 * encrypted PKCS#8 PEM under the bundle's password; HAProxy its `haproxy.cfg`, a PFX (AES profile:
 * the node's OpenSSL converts it) and install-haproxy-cert.sh; both the farm's internal CA as
 * `internal-ca.pem`. IIS ARR gets its PowerShell script and TMG its checklist in English and
 * Traditional Chinese; both import the bundle's own PFX (named in their text). Nodes of kind `other`
 * get nothing. A request not made from a plan has no rules: `missing` says so and no node gets a
 * folder (the certificate part of the bundle is unaffected).
 */
export async function bundleProxyPlan(ctx: ServiceContext, store: Store, record: RequestRecord, farm: Farm, password: string, now: Date): Promise<{ plan: BundleProxyPlan; keyFiles: BundleProxyKeyFile[] }> {
  const empty: BundleProxyPlan = { missing: null, certificate: null, rules: 0, nodes: [], notes: [] };
  const proxyNodes = farm.nodes.flatMap((n) => {
    const kind = nodeKindOf(n);
    return kind === 'other' ? [] : [{ node: n, kind }];
  });
  if (proxyNodes.length === 0) return { plan: empty, keyFiles: [] };
  const origin = await readRequestTopology(ctx, record.id);
  if (origin === null) {
    return {
      plan: { ...empty, missing: `request ${record.id} was not made from a plan, so Certdesk has no publishing rules to configure the reverse proxies with` },
      keyFiles: [],
    };
  }
  const plan = planFromTopology(origin.topology);
  const trust = farm.trustedCas.map((c, i) => ({ name: `trusted CA ${i + 1} of farm ${farm.name}`, data: encode(c.pem) }));
  const source = `the topology of request ${record.id}`;

  const prepared = new Map<ProxyKind, PreparedProxyConfig>();
  const material = new Map<ProxyKind, Awaited<ReturnType<typeof proxyKeyMaterial>>>();
  for (const { kind } of proxyNodes) {
    if (prepared.has(kind)) continue;
    let p: PreparedProxyConfig;
    try {
      p = await prepareProxyConfig(ctx, { kind, plan, source, requestId: record.id, certificate: origin.origin.certificate, trust });
    } catch (e) {
      // The certificate bundle stays useful without proxy configuration; the admin is told why.
      if (e instanceof CertdeskError && e.code === 'INVALID_INPUT') return { plan: { ...empty, missing: e.message }, keyFiles: [] };
      throw e;
    }
    prepared.set(kind, p);
    // nginx and HAProxy read the key from their own files; the Windows kinds import the bundle's PFX.
    if (kind === 'nginx' || kind === 'haproxy') material.set(kind, await proxyKeyMaterial(store, p, record, password, now));
  }

  const nodes: BundleProxyNode[] = [];
  const keyFiles: BundleProxyKeyFile[] = [];
  const notes = new Set<string>();
  for (const { node, kind } of proxyNodes) {
    const p = prepared.get(kind) as PreparedProxyConfig;
    for (const n of p.result.notes) notes.add(n);
    const f = proxyFileNames(p.result.subject);
    const folder = nodeFolderName(node.host);
    const files: BundleProxyFile[] = [];
    if (kind === 'nginx' || kind === 'haproxy') {
      files.push({ name: p.result.fileName, role: 'config', data: encode(p.result.text) });
      const m = material.get(kind);
      for (const x of m?.files ?? []) files.push({ name: x.name, role: x.role, data: typeof x.data === 'string' ? encode(x.data) : x.data });
      if (m) keyFiles.push({ path: `${folder}/${m.main}`, kind, format: m.format, iterations: m.iterations });
    } else {
      // The texts name the PFX this node's Windows version imports, the one at the top of the bundle.
      const input = { ...p.input, pfxFileName: pfxFileName(record.subject, profileForWindowsVersion(node.windowsVersion)) };
      files.push({ name: p.result.fileName, role: kind === 'tmg' ? 'checklist' : 'script', data: windowsText(renderProxyConfig(input).text) });
      if (kind === 'tmg') files.push({ name: f.tmgChecklist.replace(/\.txt$/, '.zh-TW.txt'), role: 'checklist', data: windowsText(renderProxyConfig({ ...input, language: 'zh-TW' }).text) });
    }
    if (p.trustedCaPem !== null && kind !== 'iis-arr') files.push({ name: f.trustedCa, role: 'trusted-ca', data: encode(p.trustedCaPem) });
    nodes.push({ host: node.host, kind, folder, files });
  }
  const first = prepared.values().next().value as PreparedProxyConfig;
  return { plan: { missing: null, certificate: first.result.certificate, rules: first.result.rules.length, nodes, notes: [...notes] }, keyFiles };
}
