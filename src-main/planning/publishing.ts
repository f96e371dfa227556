import type { CertificatePlan, PoolSpec, PublishingKind, PublishingRule, Topology } from '../common/plan.js';
import { normalizeName, wildcardFor } from './normalize.js';
import type { SimpleUrlHost } from './simple-urls.js';

interface Draft {
  externalName: string;
  externalPort: 443 | 80;
  internalTarget: string;
  internalPort: number;
  publishes: string[];
  kinds: PublishingKind[];
}

/**
 * The reverse-proxy rules a plan implies (pki.md section 2, Microsoft's "configure web publishing
 * rules"): each published pool's and Director's external web FQDN 443 -> 4443 and 80 -> 8080 to
 * that server; the simple URLs and lyncdiscover the same way to the first Director, or to the
 * subject pool when there is none; Office Web Apps and Exchange names 443 -> 443 on the same host
 * name (split DNS resolves it to the internal server). One rule per external name and port, so the
 * app can show them as a table; a name serving several roles lists them all in `publishes`.
 */
export function buildPublishingRules(t: Topology, plans: CertificatePlan[], subjectPool: PoolSpec | undefined, hosts: SimpleUrlHost[]): PublishingRule[] {
  const drafts = new Map<string, Draft>();
  const add = (externalName: string, externalPort: 443 | 80, internalTarget: string, internalPort: number, publishes: string, kind: PublishingKind): void => {
    const key = `${externalName} ${externalPort} ${internalTarget} ${internalPort}`;
    const same = drafts.get(key);
    if (same) {
      if (!same.publishes.includes(publishes)) same.publishes.push(publishes);
      if (!same.kinds.includes(kind)) same.kinds.push(kind);
      return;
    }
    drafts.set(key, { externalName, externalPort, internalTarget, internalPort, publishes: [publishes], kinds: [kind] });
  };
  const lync = (name: string, target: string, publishes: string, kind: PublishingKind): void => {
    add(name, 443, target, 4443, publishes, kind);
    add(name, 80, target, 8080, publishes, kind);
  };
  const internal = (s: { name: string; internalFqdn?: string }): string => s.internalFqdn ?? s.name;

  for (const p of t.pools) if (p.remoteAccess) lync(normalizeName(p.externalWebFqdn), internal(p), `pool ${p.name} external web services`, 'pool');
  for (const d of t.directors ?? []) lync(normalizeName(d.externalWebFqdn), internal(d), `Director ${d.name} external web services`, 'director');

  // Simple URLs and autodiscover enter through the Director when one exists (Microsoft's design).
  const front = t.directors?.[0] ?? subjectPool;
  if (front) {
    const target = internal(front);
    for (const h of hosts) {
      lync(h.host, target, h.kind === 'meet' ? `meeting simple URL for ${h.sipDomain ?? ''}` : 'dial-in simple URL', h.kind);
    }
    if (t.mobility) {
      for (const d of t.sipDomains) {
        const name = `lyncdiscover.${normalizeName(d)}`;
        if (t.mobility.autodiscoverPort === 443) add(name, 443, target, 4443, `mobility autodiscover for SIP domain ${d}`, 'lyncdiscover');
        add(name, 80, target, 8080, `mobility autodiscover for SIP domain ${d}`, 'lyncdiscover');
      }
    }
  }
  for (const n of t.officeWebApps ?? []) add(normalizeName(n), 443, normalizeName(n), 443, 'Office Web Apps Server', 'office-web-apps');
  for (const n of t.exchange?.autodiscover ?? []) add(normalizeName(n), 443, normalizeName(n), 443, 'Exchange autodiscover', 'exchange');
  for (const n of t.exchange?.webServices ?? []) add(normalizeName(n), 443, normalizeName(n), 443, 'Exchange web services', 'exchange');

  const sanSets = plans.map((p) => ({ certificate: p.certificate, names: new Set(p.sans.map((s) => s.name)) }));
  const coveringCertificate = (name: string): number | null => sanSets.find((c) => c.names.has(name) || wildcardFor(name, c.names) !== undefined)?.certificate ?? null;
  return [...drafts.values()].map((d) => {
    const protocol = d.externalPort === 443 ? 'https' : 'http';
    const certificate = protocol === 'https' ? coveringCertificate(d.externalName) : null;
    const publishes = d.publishes.join('; ');
    const cert = protocol === 'http' ? '' : certificate === null ? ' [no planned certificate covers this name]' : ` [certificate ${certificate}]`;
    return {
      externalName: d.externalName,
      externalPort: d.externalPort,
      protocol,
      internalTarget: d.internalTarget,
      internalPort: d.internalPort,
      publishes,
      kinds: d.kinds,
      certificate,
      text: `${protocol}://${d.externalName}:${d.externalPort} -> ${d.internalTarget}:${d.internalPort}  ${publishes}${cert}`,
    };
  });
}
