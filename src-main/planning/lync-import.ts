import { CertdeskError } from '../common/errors.js';
import type { DirectorSpec, MeetUrlSpec, PlanFinding, PoolSpec, Topology } from '../common/plan.js';
import { IMPORT_RULES, type ImportRuleCode, type ReadItem, readLine, type TopologyImport } from '../common/topology-import.js';
import { child, childrenNamed, descendants, parseXmlTree, type XmlElement } from './xml-tree.js';

/**
 * Lync Server 2013 / Skype for Business topology documents -> Certdesk topology JSON (docs/pki.md,
 * "Reading Lync's own topology", says where each field is read from and the public sources).
 * Two shapes carry the same content:
 * - `Get-CsTopology -AsXml`: root `Topology` (namespace T); clusters are keyed by
 *   `ClusterId@SiteId,@Number`, services name their role in `ServiceId@RoleName` and their cluster
 *   in `InstalledOn/ClusterId`;
 * - Topology Builder's saved document (.tbxml): root `TopologyBuilder`, the topology in
 *   `NewTopology/PartialTopology`; clusters are keyed by `@UniqueId`, services carry `@RoleName` and
 *   `@InstalledOn` (the cluster's UniqueId), and simple URLs sit in `SimpleUrlConfiguration`.
 * Elements Certdesk does not need are ignored, never errors.
 */
const NS_TOPOLOGY = 'urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008';
const NS_BUILDER = 'urn:schema:Microsoft.Rtc.Management.Deploy.TopologyBuilder.2008';

/** True when the text looks like XML rather than JSON (first non-blank character `<`). */
export function looksLikeXml(text: string): boolean {
  return /^\uFEFF?\s*</.test(text);
}

function finding(code: ImportRuleCode, message: string, field?: string): PlanFinding {
  return { code, severity: IMPORT_RULES[code].severity, message, ...(field !== undefined ? { field } : {}) };
}

interface Service {
  role: string;
  clusterKey: string | null;
  el: XmlElement;
}

function clusterKeyOf(cluster: XmlElement): string | null {
  const id = child(cluster, 'ClusterId');
  if (id) return `c:${id.attrs.get('SiteId') ?? ''}:${id.attrs.get('Number') ?? ''}`;
  const unique = cluster.attrs.get('UniqueId');
  return unique ? `u:${unique.toLowerCase()}` : null;
}

function serviceOf(el: XmlElement): Service {
  const role = child(el, 'ServiceId')?.attrs.get('RoleName') ?? el.attrs.get('RoleName') ?? '';
  const onCluster = child(child(el, 'InstalledOn') ?? el, 'ClusterId');
  const installedOn = el.attrs.get('InstalledOn');
  const clusterKey = onCluster
    ? `c:${onCluster.attrs.get('SiteId') ?? ''}:${onCluster.attrs.get('Number') ?? ''}`
    : installedOn
      ? `u:${installedOn.toLowerCase()}`
      : null;
  return { role, clusterKey, el };
}

function firstLabel(fqdn: string): string {
  return fqdn.split('.')[0] ?? fqdn;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
}

/** The topology content of the document: the `Topology` root, or a Topology Builder document's PartialTopology. */
function topologyRoot(root: XmlElement, source: string): { content: XmlElement; format: TopologyImport['format'] } {
  if (root.name === 'Topology' && root.ns === NS_TOPOLOGY) return { content: root, format: 'lync-topology' };
  if (root.name === 'TopologyBuilder' && root.ns === NS_BUILDER) {
    const partial = child(child(root, 'NewTopology') ?? root, 'PartialTopology');
    if (!partial) throw new CertdeskError('INVALID_INPUT', `${source} is a Topology Builder document without a NewTopology/PartialTopology: nothing to read`);
    return { content: partial, format: 'lync-topology-builder' };
  }
  const ns = root.ns ? ` in namespace ${root.ns.slice(0, 120)}` : '';
  throw new CertdeskError(
    'INVALID_INPUT',
    `${source} is XML of another kind (root element ${root.name.slice(0, 80)}${ns}); expected a Lync topology (Get-CsTopology -AsXml) or a Topology Builder document`,
  );
}

/**
 * Converts a Lync topology document (text) into Certdesk topology JSON version 1, with what was read
 * and info findings for what was proposed. INVALID_INPUT / PARSE_ERROR (one line) for XML of
 * another kind, a document without a pool, or anything that is not plain XML.
 */
export function importLyncTopology(text: string, source: string): TopologyImport {
  const { content, format } = topologyRoot(parseXmlTree(text.replace(/^\uFEFF/, ''), source), source);
  const read: ReadItem[] = [];
  const findings: PlanFinding[] = [];

  // SIP domains: InternalDomains/InternalDomain@Name, the DefaultDomain first.
  const domainsEl = child(content, 'InternalDomains');
  const defaultDomain = domainsEl?.attrs.get('DefaultDomain')?.trim().toLowerCase();
  const domains = (domainsEl ? childrenNamed(domainsEl, 'InternalDomain') : []).map((d) => (d.attrs.get('Name') ?? '').trim().toLowerCase()).filter((d) => d !== '');
  const sipDomains = [...new Set(defaultDomain && domains.includes(defaultDomain) ? [defaultDomain, ...domains] : domains)];
  if (sipDomains.length === 0) throw new CertdeskError('INVALID_INPUT', `${source} names no SIP domain (InternalDomains/InternalDomain): is it a whole topology?`);
  read.push({ kind: 'sip-domains', domains: sipDomains, ...(defaultDomain ? { defaultDomain } : {}) });

  const clusters = new Map<string, string>();
  for (const c of descendants(content, 'Cluster')) {
    const key = clusterKeyOf(c);
    const fqdn = c.attrs.get('Fqdn')?.trim().toLowerCase();
    if (key && fqdn) clusters.set(key, fqdn);
  }
  const servicesEl = child(content, 'Services');
  const services = (servicesEl ? childrenNamed(servicesEl, 'Service') : []).map(serviceOf);
  const fqdnOf = (s: Service): string | undefined => (s.clusterKey ? clusters.get(s.clusterKey) : undefined);

  const directorClusters = new Set(
    services
      .filter((s) => s.role === 'Registrar' && child(s.el, 'RegistrarService')?.attrs.get('IsDirector')?.toLowerCase() === 'true')
      .map((s) => s.clusterKey)
      .filter((k): k is string => k !== null),
  );

  const pools: PoolSpec[] = [];
  const directors: DirectorSpec[] = [];
  const usedNames = new Set<string>();
  let mobility = false;
  const mobilityWhy: string[] = [];
  for (const s of services.filter((x) => x.role === 'WebServices')) {
    const fqdn = fqdnOf(s);
    if (!fqdn) continue;
    const web = child(s.el, 'WebService');
    const external = web ? child(web, 'ExternalSettings')?.attrs.get('Host')?.trim().toLowerCase() : undefined;
    const isDirector = s.clusterKey !== null && directorClusters.has(s.clusterKey);
    // Pool names are the cluster FQDN's first label; two pools in different domains keep the FQDN.
    let name = firstLabel(fqdn);
    if (usedNames.has(name)) name = fqdn;
    usedNames.add(name);
    if (!external) {
      findings.push(finding('IMPORT_POOL_NO_EXTERNAL_WEB', `${isDirector ? 'Director' : 'pool'} ${fqdn} has no external web services FQDN (WebService/ExternalSettings@Host): it is left out.`));
      continue;
    }
    if (isDirector) {
      directors.push({ name, externalWebFqdn: external, internalFqdn: fqdn });
      read.push({ kind: 'director', fqdn, external });
      continue;
    }
    const index = pools.length;
    pools.push({ name, externalWebFqdn: external, remoteAccess: true, internalFqdn: fqdn });
    read.push({ kind: 'pool', fqdn, external });
    findings.push(finding('IMPORT_POOL_PUBLISHED', `pool ${name} (${external}) is assumed published through the reverse proxy; set it not published if it homes no remote users.`, `pools[${index}].remoteAccess`));
    const components = web ? descendants(web, 'Component').map((c) => c.attrs.get('ComponentName') ?? '') : [];
    if (components.length === 0) {
      mobility = true;
      mobilityWhy.push(`${name} lists no web components`);
    } else if (components.some((c) => c === 'McxService' || c === 'UcwaService')) {
      mobility = true;
      mobilityWhy.push(`${name} runs ${components.filter((c) => c === 'McxService' || c === 'UcwaService').join(' and ')}`);
    }
  }
  if (pools.length === 0) {
    throw new CertdeskError('INVALID_INPUT', `${source} has no Front End pool with external web services (a WebServices service whose ExternalSettings names a Host): nothing to publish`);
  }

  // Simple URLs: Topology Builder documents carry SimpleUrlConfiguration; Get-CsTopology output does not.
  const simple = descendants(content, 'SimpleUrl');
  const meet: MeetUrlSpec[] = [];
  let dialin = '';
  for (const s of simple) {
    const component = (s.attrs.get('Component') ?? '').toLowerCase();
    const active = s.attrs.get('ActiveUrl')?.trim() ?? '';
    const domain = (s.attrs.get('Domain') ?? '').trim().toLowerCase();
    if (component === 'meet' && active) {
      meet.push({ url: active, sipDomain: domain === '*' ? (sipDomains[0] ?? domain) : domain, active: true });
      for (const e of childrenNamed(s, 'SimpleUrlEntry')) {
        const url = e.attrs.get('Url')?.trim() ?? '';
        if (url && url !== active) meet.push({ url, sipDomain: domain === '*' ? (sipDomains[0] ?? domain) : domain, active: false });
      }
    } else if (component === 'dialin' && active && !dialin) {
      dialin = active;
    }
  }
  if (meet.length > 0) read.push({ kind: 'meet-urls', urls: meet.map((m) => m.url) });
  if (dialin) read.push({ kind: 'dialin-url', url: dialin });
  for (const d of sipDomains) {
    if (meet.some((m) => m.sipDomain === d && m.active)) continue;
    const index = meet.length;
    meet.push({ url: `https://meet.${d}`, sipDomain: d, active: true });
    findings.push(finding('IMPORT_MEET_URL_PROPOSED', `the document has no meeting simple URL for ${d}: https://meet.${d} is proposed.`, `simpleUrls.meet[${index}].url`));
  }
  if (!dialin) {
    dialin = `https://dialin.${sipDomains[0] ?? ''}`;
    findings.push(finding('IMPORT_DIALIN_URL_PROPOSED', `the document has no dial-in simple URL: ${dialin} is proposed.`, 'simpleUrls.dialin'));
  }

  // Office Web Apps: a WacService's DiscoveryUrl host, else its cluster's FQDN.
  const owa: string[] = [];
  for (const s of services.filter((x) => x.role === 'WacService')) {
    const url = child(s.el, 'WacService')?.attrs.get('DiscoveryUrl');
    const host = (url ? hostOf(url) : null) ?? fqdnOf(s);
    if (host && !owa.includes(host.toLowerCase())) owa.push(host.toLowerCase());
  }
  if (owa.length > 0) read.push({ kind: 'office-web-apps', servers: [...owa] });

  // Edge Servers: noted, never combined silently (that changes which certificate the Edge uses).
  for (const s of services.filter((x) => x.role === 'EdgeServer')) {
    const fqdn = fqdnOf(s) ?? null;
    read.push({ kind: 'edge', fqdn });
    findings.push(finding('IMPORT_EDGE_FOUND', `the document has Edge Server ${fqdn ?? 'an Edge pool'}; add its external names under Edge names only to combine them into this certificate.`, 'edge.sans'));
  }

  const t: Topology = {
    version: 1,
    description: `Imported from ${source} (${format === 'lync-topology' ? 'Get-CsTopology -AsXml' : 'Topology Builder document'})`,
    sipDomains,
    pools,
    ...(directors.length > 0 ? { directors } : {}),
    simpleUrls: { meet, dialin },
    ...(owa.length > 0 ? { officeWebApps: owa } : {}),
    subjectPool: pools[0]?.name ?? '',
    strategy: 'shared',
  };
  if (mobility) {
    t.mobility = { autodiscoverPort: 443 };
    findings.push(finding('IMPORT_MOBILITY_PROPOSED', `mobility autodiscover on port 443 is assumed (${mobilityWhy.join('; ')}): lyncdiscover names go on the certificate.`, 'mobility.autodiscoverPort'));
  }
  return { format, topology: t, read: read.map(readLine), readItems: read, findings };
}
