import type { PlanFinding, Topology } from '../common/plan.js';
import { planFinding } from './findings.js';
import { normalizeName } from './normalize.js';

/** A simple URL that parsed, with the host it contributes to the certificate. */
export interface SimpleUrlHost {
  kind: 'meet' | 'dialin';
  /** Lower-case A-label host, as the URL parser gives it. */
  host: string;
  /** For meeting URLs: the SIP domain, as written. */
  sipDomain?: string;
  active: boolean;
  field: string;
}

interface ParsedUrl {
  host: string;
  /** host + path, lower case, without a trailing slash: what the prefix rule compares. */
  key: string;
  raw: string;
  field: string;
}

/**
 * Checks the meeting and dial-in simple URLs (pki.md section 2: https, no port, no pool FQDN, not a
 * prefix of another, host of letters, digits and periods; one active meeting URL per SIP domain) and
 * returns the hosts they contribute. `serverNames` are the pools' and Directors' FQDNs, lower case.
 */
export function checkSimpleUrls(t: Topology, serverNames: ReadonlySet<string>): { hosts: SimpleUrlHost[]; findings: PlanFinding[] } {
  const findings: PlanFinding[] = [];
  const hosts: SimpleUrlHost[] = [];
  const parsed: ParsedUrl[] = [];
  const inspect = (raw: string, field: string, what: string): ParsedUrl | null => {
    const r = parseSimpleUrl(raw, field, what, serverNames, findings);
    if (r) parsed.push(r);
    return r;
  };

  t.simpleUrls.meet.forEach((m, i) => {
    const field = `simpleUrls.meet[${i}].url`;
    const r = inspect(m.url, field, `The meeting simple URL ${JSON.stringify(m.url)}`);
    if (r) hosts.push({ kind: 'meet', host: r.host, sipDomain: m.sipDomain, active: m.active, field });
  });
  const dialin = inspect(t.simpleUrls.dialin, 'simpleUrls.dialin', `The dial-in simple URL ${JSON.stringify(t.simpleUrls.dialin)}`);
  if (dialin) hosts.push({ kind: 'dialin', host: dialin.host, active: true, field: 'simpleUrls.dialin' });

  for (let i = 0; i < parsed.length; i++) {
    for (let j = 0; j < parsed.length; j++) {
      const a = parsed[i];
      const b = parsed[j];
      if (!a || !b || i === j) continue;
      if (a.key === b.key && i < j) {
        findings.push(planFinding('SIMPLE_URL_DUPLICATE', `${b.raw} (${b.field}) is the same simple URL as ${a.field}; every simple URL must be unique.`, { field: b.field, subject: b.raw }));
      } else if (a.key !== b.key && a.host === b.host && b.key.startsWith(a.key)) {
        findings.push(planFinding('SIMPLE_URL_PREFIX', `${a.raw} (${a.field}) is a prefix of ${b.raw} (${b.field}); no simple URL may be a prefix of another.`, { field: a.field, subject: a.raw }));
      }
    }
  }

  const domains = new Map(t.sipDomains.map((d) => [normalizeName(d), d]));
  t.simpleUrls.meet.forEach((m, i) => {
    if (!domains.has(normalizeName(m.sipDomain))) {
      findings.push(
        planFinding('MEET_URL_UNKNOWN_DOMAIN', `The meeting simple URL ${m.url} is for ${JSON.stringify(m.sipDomain)}, which is not one of sipDomains.`, {
          field: `simpleUrls.meet[${i}].sipDomain`,
          subject: m.sipDomain,
        }),
      );
    }
  });
  for (const [key, domain] of domains) {
    const active = t.simpleUrls.meet.filter((m) => m.active && normalizeName(m.sipDomain) === key);
    if (active.length === 0) {
      findings.push(planFinding('MEET_URL_MISSING', `SIP domain ${domain} has no active meeting simple URL; each SIP domain needs one.`, { field: 'simpleUrls.meet', subject: domain }));
    } else if (active.length > 1) {
      findings.push(
        planFinding('MEET_URL_SEVERAL_ACTIVE', `SIP domain ${domain} has ${active.length} active meeting simple URLs (${active.map((m) => m.url).join(', ')}); exactly one may be active.`, {
          field: 'simpleUrls.meet',
          subject: domain,
        }),
      );
    }
  }
  return { hosts, findings };
}

// The authority part of an absolute URL, to see a port the URL parser would drop (":443" on https).
const AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i;

function parseSimpleUrl(raw: string, field: string, what: string, serverNames: ReadonlySet<string>, findings: PlanFinding[]): ParsedUrl | null {
  const add = (code: Parameters<typeof planFinding>[0], message: string): void => {
    findings.push(planFinding(code, message, { field, subject: raw }));
  };
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    add('SIMPLE_URL_INVALID', `${what} is not an absolute URL such as https://meet.contoso.com.`);
    return null;
  }
  if (url.hostname === '' || !/^[a-z][a-z0-9+.-]*:\/\//i.test(raw.trim())) {
    add('SIMPLE_URL_INVALID', `${what} has no host name; write it like https://meet.contoso.com.`);
    return null;
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '' || raw.includes('?') || raw.includes('#')) {
    add('SIMPLE_URL_INVALID', `${what} must not carry a user name, query or fragment.`);
  }
  if (url.protocol !== 'https:') add('SIMPLE_URL_NOT_HTTPS', `${what} must use https.`);
  const authority = (AUTHORITY.exec(raw.trim())?.[1] ?? '').replace(/^.*@/, '').replace(/^\[[^\]]*\]/, '');
  if (authority.includes(':')) add('SIMPLE_URL_HAS_PORT', `${what} contains a port number; simple URLs never do.`);
  const host = url.hostname.toLowerCase();
  if (!/^[a-z0-9.]+$/.test(host)) {
    add('SIMPLE_URL_HOST_CHARS', `${what} has host ${host}; a simple URL host may contain only letters, digits and periods.`);
  }
  if (serverNames.has(host)) add('SIMPLE_URL_POOL_FQDN', `${what} uses the pool or Director FQDN ${host}; a simple URL never contains a pool FQDN.`);
  const path = url.pathname.replace(/\/+$/, '').toLowerCase();
  return { host, key: `${host}${path}`, raw, field };
}
