import { hasErrors } from '../common/findings.js';
import type { CertificatePlan, PlanFinding, PlannedSan, PlanResult, PoolSpec, SanSource, Topology } from '../common/plan.js';
import { checkDnsName } from '../pki/names.js';
import { atField, orderFindings, planFinding } from './findings.js';
import { normalizeName } from './normalize.js';
import { buildPublishingRules } from './publishing.js';
import { checkSimpleUrls, type SimpleUrlHost } from './simple-urls.js';
import { applyOmissions, checkCoverage, checkLists } from './san-rules.js';

/** One reason a name is on a certificate, before names are merged. */
interface SanEntry {
  /** As written in the topology (or as derived, e.g. lyncdiscover.<domain>). */
  raw: string;
  name: string;
  unicode: string | null;
  source: SanSource;
  reason: string;
  field: string;
  role: 'subject' | 'san';
}

function entry(raw: string, source: SanSource, reason: string, field: string, role: 'subject' | 'san' = 'san'): SanEntry {
  const c = checkDnsName(raw);
  const name = c.aLabel ?? raw.trim().toLowerCase();
  return { raw, name, unicode: c.uLabel !== null && c.uLabel !== name ? c.uLabel : null, source, reason, field, role };
}

/**
 * Plans the reverse-proxy certificate(s) for a validated topology (docs/pki.md section 2). SAN order
 * is stable: subject, other published pools, Directors, meeting URL hosts, dial-in host, Office Web
 * Apps, lyncdiscover per SIP domain, Edge names, Exchange names, extraSans. Under `per-pool` every
 * published pool gets a certificate carrying the shared names (simple URLs, Office Web Apps,
 * lyncdiscover, extraSans); Directors, Edge and Exchange names go on the first (subject pool's) one,
 * whose listener also serves the simple URL and autodiscover rules.
 */
export function planTopology(t: Topology): PlanResult {
  const strategy = t.strategy ?? 'shared';
  const publicCa = t.publicCa === true;
  const findings: PlanFinding[] = [];
  const directors = t.directors ?? [];

  const pools = t.pools.map((p, i) => ({ p, i }));
  const published = pools.filter((x) => x.p.remoteAccess);
  for (const { p, i } of pools) {
    if (!p.remoteAccess) {
      findings.push(planFinding('POOL_NOT_PUBLISHED', `Pool ${p.name} has remoteAccess false: it is not published and not on the certificate.`, { field: `pools[${i}].remoteAccess`, subject: p.name }));
    }
  }
  if (published.length === 0) findings.push(planFinding('NO_PUBLISHED_POOL', 'No pool has remoteAccess true, so there is nothing to publish and no certificate to plan.', { field: 'pools' }));
  findings.push(...checkDuplicateServers(t));
  const subject = chooseSubjectPool(t, published, findings);

  const serverNames = new Set<string>();
  for (const s of [...t.pools, ...directors]) {
    serverNames.add(normalizeName(s.externalWebFqdn));
    serverNames.add(s.name.trim().toLowerCase());
    if (s.internalFqdn !== undefined) serverNames.add(normalizeName(s.internalFqdn));
  }
  const urls = checkSimpleUrls(t, serverNames);
  findings.push(...urls.findings);

  const poolEntry = (x: { p: PoolSpec; i: number }): SanEntry => entry(x.p.externalWebFqdn, 'pool', `pool ${x.p.name} external web services`, `pools[${x.i}].externalWebFqdn`);
  const directorEntries = directors.map((d, i) => entry(d.externalWebFqdn, 'director', `Director ${d.name} external web services`, `directors[${i}].externalWebFqdn`));
  const urlEntries = urls.hosts.map((h) => urlEntry(h));
  const owaEntries = (t.officeWebApps ?? []).map((n, i) => entry(n, 'office-web-apps', 'Office Web Apps Server', `officeWebApps[${i}]`));
  const lyncdiscoverEntries =
    t.mobility?.autodiscoverPort === 443
      ? t.sipDomains.map((d, i) => entry(`lyncdiscover.${normalizeName(d)}`, 'lyncdiscover', `mobility autodiscover for SIP domain ${d}`, `sipDomains[${i}]`))
      : [];
  const edgeEntries = (t.edge?.sans ?? []).map((n, i) => entry(n, 'edge', 'Edge Server name (Edge and reverse proxy certificates combined)', `edge.sans[${i}]`));
  const exchangeEntries = [
    ...(t.exchange?.autodiscover ?? []).map((n, i) => entry(n, 'exchange-autodiscover', 'Exchange autodiscover', `exchange.autodiscover[${i}]`)),
    ...(t.exchange?.webServices ?? []).map((n, i) => entry(n, 'exchange-web-services', 'Exchange web services', `exchange.webServices[${i}]`)),
  ];
  const extraEntries = (t.extraSans ?? []).map((n, i) => entry(n, 'extra', 'listed in extraSans', `extraSans[${i}]`));
  const shared = [...urlEntries, ...owaEntries, ...lyncdiscoverEntries];

  const certPools = subject ? [subject, ...published.filter((x) => x !== subject)] : [];
  const groups: { pool: { p: PoolSpec; i: number }; entries: SanEntry[] }[] =
    strategy === 'shared'
      ? certPools.slice(0, 1).map((pool) => ({
          pool,
          entries: [
            subjectEntry(pool),
            poolEntry(pool),
            ...certPools.slice(1).map(poolEntry),
            ...directorEntries,
            ...shared,
            ...edgeEntries,
            ...exchangeEntries,
            ...extraEntries,
          ],
        }))
      : certPools.map((pool, k) => ({
          pool,
          entries: [
            subjectEntry(pool),
            poolEntry(pool),
            ...(k === 0 ? directorEntries : []),
            ...shared,
            ...(k === 0 ? [...edgeEntries, ...exchangeEntries] : []),
            ...extraEntries,
          ],
        }));

  let plans: CertificatePlan[] = groups.map((g, k) => ({
    certificate: k + 1,
    subject: entry(g.pool.p.externalWebFqdn, 'subject', '', '').name,
    pool: g.pool.p.name,
    sans: mergeEntries(g.entries),
  }));
  const allEntries = groups.flatMap((g) => g.entries);

  const omitted = applyOmissions(plans, t.omitSans ?? []);
  plans = omitted.plans;
  findings.push(...omitted.findings);
  findings.push(...checkCoverage(plans, urls.hosts, lyncdiscoverEntries));
  findings.push(...checkLists(t));
  findings.push(...nameFindings(t, allEntries, publicCa));
  findings.push(...notes(t, plans, edgeEntries, exchangeEntries));

  const ordered = orderFindings(findings);
  return {
    strategy,
    plans,
    findings: ordered,
    publishingRules: buildPublishingRules(t, plans, subject?.p, urls.hosts),
    ok: !hasErrors(ordered),
  };
}

function subjectEntry(pool: { p: PoolSpec; i: number }): SanEntry {
  return entry(pool.p.externalWebFqdn, 'subject', 'subject name (the CN must also be a SAN)', `pools[${pool.i}].externalWebFqdn`, 'subject');
}

function urlEntry(h: SimpleUrlHost): SanEntry {
  if (h.kind === 'dialin') return entry(h.host, 'dialin', 'dial-in simple URL', h.field);
  return entry(h.host, 'meet', `meeting simple URL for ${h.sipDomain ?? ''}${h.active ? '' : ' (not active)'}`, h.field);
}

/** Merges entries by name (case-insensitive A-labels): first position wins, reasons accumulate. */
function mergeEntries(entries: SanEntry[]): PlannedSan[] {
  const byName = new Map<string, PlannedSan>();
  for (const e of entries) {
    let san = byName.get(e.name);
    if (!san) {
      san = { name: e.name, reasons: [], sources: [], fields: [] };
      if (e.unicode !== null) san.unicode = e.unicode;
      byName.set(e.name, san);
    }
    if (!san.reasons.includes(e.reason)) {
      san.reasons.push(e.reason);
      san.sources.push(e.source);
    }
    if (e.field !== '' && !san.fields.includes(e.field)) san.fields.push(e.field);
  }
  return [...byName.values()];
}

function chooseSubjectPool<T extends { p: PoolSpec; i: number }>(t: Topology, published: T[], findings: PlanFinding[]): T | undefined {
  const fallback = published[0];
  if (t.subjectPool === undefined) return fallback;
  const wanted = t.subjectPool.trim().toLowerCase();
  const named = t.pools.findIndex((p) => p.name.trim().toLowerCase() === wanted);
  if (named < 0) {
    findings.push(planFinding('SUBJECT_POOL_UNKNOWN', `subjectPool ${JSON.stringify(t.subjectPool)} names no pool; the pools are ${t.pools.map((p) => p.name).join(', ')}.`, { field: 'subjectPool', subject: t.subjectPool }));
    return fallback;
  }
  const hit = published.find((x) => x.i === named);
  if (!hit) {
    findings.push(planFinding('SUBJECT_POOL_NOT_PUBLISHED', `subjectPool ${t.subjectPool} has remoteAccess false, so its name cannot be the subject of the reverse-proxy certificate.`, { field: 'subjectPool', subject: t.subjectPool }));
    return fallback;
  }
  return hit;
}

function checkDuplicateServers(t: Topology): PlanFinding[] {
  const out: PlanFinding[] = [];
  const names = new Map<string, string>();
  const fqdns = new Map<string, string>();
  const servers = [
    ...t.pools.map((p, i) => ({ s: p, path: `pools[${i}]`, what: 'pool' })),
    ...(t.directors ?? []).map((d, i) => ({ s: d, path: `directors[${i}]`, what: 'Director' })),
  ];
  for (const { s, path, what } of servers) {
    const n = s.name.trim().toLowerCase();
    const f = normalizeName(s.externalWebFqdn);
    const byName = names.get(n);
    const byFqdn = fqdns.get(f);
    if (byName !== undefined) out.push(planFinding('DUPLICATE_POOL', `${path} (${what} ${s.name}) has the same name as ${byName}; pool and Director names must be unique.`, { field: `${path}.name`, subject: s.name }));
    else names.set(n, path);
    if (byFqdn !== undefined) {
      out.push(planFinding('DUPLICATE_POOL', `${path} (${what} ${s.name}) has the same external web FQDN ${f} as ${byFqdn}; each pool and Director has its own.`, { field: `${path}.externalWebFqdn`, subject: s.externalWebFqdn }));
    } else fqdns.set(f, path);
  }
  return out;
}

/** Every name rule of pki.md section 3, on every name that reaches a certificate, plus SIP domains. */
function nameFindings(t: Topology, entries: SanEntry[], publicCa: boolean): PlanFinding[] {
  const out: PlanFinding[] = [];
  const done = new Set<string>();
  const fqdnOnly: SanSource[] = ['pool', 'director', 'office-web-apps', 'exchange-autodiscover', 'exchange-web-services'];
  for (const e of entries) {
    const key = `${e.role}\u0000${e.raw}`;
    if (done.has(key)) continue;
    done.add(key);
    for (const f of checkDnsName(e.raw, { role: e.role, publicCa }).findings) out.push(atField(f, e.field));
    if (fqdnOnly.includes(e.source) && e.name.startsWith('*')) {
      out.push(planFinding('WILDCARD_NOT_FQDN', `${e.field} is the wildcard ${e.raw}; it must be a real host name (a wildcard may only come from edge.sans or extraSans).`, { field: e.field, subject: e.raw }));
    }
  }
  t.sipDomains.forEach((d, i) => {
    const field = `sipDomains[${i}]`;
    for (const f of checkDnsName(d, { publicCa }).findings) out.push(atField(f, field));
    if (d.trim().startsWith('*')) out.push(planFinding('WILDCARD_NOT_FQDN', `${field} is the wildcard ${d}; a SIP domain is a domain name such as contoso.com.`, { field, subject: d }));
  });
  return out;
}

function notes(t: Topology, plans: CertificatePlan[], edge: SanEntry[], exchange: SanEntry[]): PlanFinding[] {
  const out: PlanFinding[] = [];
  const unique = (es: SanEntry[]): string => [...new Set(es.map((e) => e.name))].join(', ');
  if (exchange.length > 0) {
    out.push(planFinding('EXCHANGE_NAMES', `Exchange names ${unique(exchange)} are on the certificate; Exchange needs its own publishing rules (listed with the others).`, { field: 'exchange' }));
  }
  if (edge.length > 0) {
    out.push(
      planFinding('EDGE_SANS_COMBINED', `Edge Server names ${unique(edge)} are combined into certificate 1: keep the key exportable and export the certificate with its private key to the Edge Servers.`, {
        field: 'edge.sans',
        certificate: 1,
      }),
    );
  }
  if (t.mobility?.autodiscoverPort === 80) {
    out.push(planFinding('MOBILITY_HTTP', 'Mobility autodiscover uses port 80: lyncdiscover names are published over HTTP and are not on the certificate.', { field: 'mobility.autodiscoverPort' }));
  }
  for (const p of plans) {
    if (p.sans.length > 100) {
      out.push(planFinding('TOO_MANY_SANS', `Certificate ${p.certificate} has ${p.sans.length} SANs; many public CAs accept at most 100.`, { certificate: p.certificate }));
    }
  }
  return out;
}
