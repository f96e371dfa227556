import { NAME_RULES } from '../pki/names.js';
import type { CertificatePlan, PlanFinding, SanSource, Topology } from '../common/plan.js';
import { planFinding } from './findings.js';
import { normalizeName, wildcardFor } from './normalize.js';
import type { SimpleUrlHost } from './simple-urls.js';

// Names that must stay explicit: a wildcard may replace only meet, dial-in and lyncdiscover names
// (pki.md section 2), and the subject must be a SAN.
const NEVER_OMITTED: SanSource[] = ['pool', 'director', 'office-web-apps'];

/** Applies omitSans to every certificate, refusing to drop names that must stay. */
export function applyOmissions(plans: CertificatePlan[], omitSans: string[]): { plans: CertificatePlan[]; findings: PlanFinding[] } {
  const findings: PlanFinding[] = [];
  if (omitSans.length === 0) return { plans, findings };
  const omit = new Map(omitSans.map((n, i) => [normalizeName(n), i]));
  const found = new Set<string>();
  const out = plans.map((p) => {
    const sans = p.sans.filter((s) => {
      const i = omit.get(s.name);
      if (i === undefined) return true;
      found.add(s.name);
      const field = `omitSans[${i}]`;
      if (s.sources.includes('subject')) {
        findings.push(planFinding('SUBJECT_KEPT_IN_SAN', `omitSans lists ${s.name}, the subject of certificate ${p.certificate}; the subject must also be a SAN, so it was kept.`, { field, subject: s.name, certificate: p.certificate }));
        return true;
      }
      const fixed = s.sources.filter((x) => NEVER_OMITTED.includes(x));
      if (fixed.length > 0) {
        findings.push(
          planFinding('REQUIRED_NAME_OMITTED', `omitSans lists ${s.name} (${s.reasons.join('; ')}), which must stay on the certificate: a wildcard may replace only meeting, dial-in and lyncdiscover names.`, {
            field,
            subject: s.name,
          }),
        );
        return true;
      }
      findings.push(planFinding('SAN_OMITTED', `${s.name} (${s.reasons.join('; ')}) is left off certificate ${p.certificate} because omitSans lists it.`, { field, subject: s.name, certificate: p.certificate }));
      return false;
    });
    return { ...p, sans };
  });
  for (const [name, i] of omit) {
    if (!found.has(name)) {
      findings.push(planFinding('OMIT_UNKNOWN_NAME', `omitSans lists ${omitSans[i] ?? name}, which is not on any planned certificate (a typo?).`, { field: `omitSans[${i}]`, subject: omitSans[i] ?? name }));
    }
  }
  return { plans: out, findings };
}

/**
 * Every meeting URL host, the dial-in host and (mobility on 443) every lyncdiscover name must be on
 * each certificate, explicitly or under a wildcard SAN. The planner adds them all, so a name can
 * only be missing when omitSans removed it: that is when MEET_URL_NOT_IN_SAN, DIALIN_URL_NOT_IN_SAN
 * and LYNCDISCOVER_MISSING fire.
 */
export function checkCoverage(plans: CertificatePlan[], hosts: SimpleUrlHost[], lyncdiscover: { name: string; raw: string; reason: string; field: string }[]): PlanFinding[] {
  const out: PlanFinding[] = [];
  const required = [
    ...hosts.map((h) => ({
      name: h.host,
      field: h.field,
      what: h.kind === 'meet' ? `the meeting simple URL host for ${h.sipDomain ?? ''}` : 'the dial-in simple URL host',
      code: h.kind === 'meet' ? ('MEET_URL_NOT_IN_SAN' as const) : ('DIALIN_URL_NOT_IN_SAN' as const),
    })),
    ...lyncdiscover.map((l) => ({ name: l.name, field: l.field, what: `the ${l.reason}`, code: 'LYNCDISCOVER_MISSING' as const })),
  ];
  const several = plans.length > 1;
  for (const p of plans) {
    const names = new Set(p.sans.map((s) => s.name));
    const wildcards = new Set(p.sans.filter((s) => s.name.startsWith('*.')).map((s) => s.name));
    for (const r of required) {
      const explicit = names.has(r.name);
      const cover = wildcardFor(r.name, wildcards);
      const where = several ? ` on certificate ${p.certificate}` : '';
      if (cover !== undefined) {
        out.push(
          planFinding('WILDCARD_COVERS', `The wildcard ${cover} covers ${r.name}, ${r.what}${where}${explicit ? '; the explicit name may be left out with omitSans' : ''}.`, {
            field: r.field,
            subject: r.name,
            certificate: p.certificate,
          }),
        );
      } else if (!explicit) {
        const fix = 'remove it from omitSans or add a wildcard SAN that covers it';
        out.push(planFinding(r.code, `${r.name}, ${r.what}, is not a SAN${where} and no wildcard covers it; ${fix}.`, { field: r.field, subject: r.name, certificate: p.certificate }));
      }
    }
  }
  return out;
}

/** A name listed twice in one topology list is merged (DUPLICATE_NAME, info). */
export function checkLists(t: Topology): PlanFinding[] {
  const out: PlanFinding[] = [];
  const lists: [string, string[] | undefined][] = [
    ['sipDomains', t.sipDomains],
    ['officeWebApps', t.officeWebApps],
    ['edge.sans', t.edge?.sans],
    ['exchange.autodiscover', t.exchange?.autodiscover],
    ['exchange.webServices', t.exchange?.webServices],
    ['extraSans', t.extraSans],
    ['omitSans', t.omitSans],
  ];
  for (const [path, list] of lists) {
    const seen = new Map<string, number>();
    (list ?? []).forEach((n, i) => {
      const key = normalizeName(n);
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, i);
        return;
      }
      out.push({
        code: 'DUPLICATE_NAME',
        severity: NAME_RULES.DUPLICATE_NAME.severity,
        message: `${path}[${i}] ${JSON.stringify(n)} repeats ${path}[${first}]; it is kept once.`,
        subject: n,
        field: `${path}[${i}]`,
      });
    });
  }
  return out;
}
