/**
 * Reverse-proxy certificate planning: the topology an admin describes (a JSON file) and the plan
 * Certdesk derives from it. Plain data shared by the planner, the CLI's --json and the renderer.
 * Field names are a public contract (README section `plan`): add fields, never rename one.
 */
import type { Finding, Severity } from './findings.js';

/** The only topology format version this Certdesk reads. */
export const TOPOLOGY_VERSION = 1;
/** Largest topology file accepted (a real deployment is a few kilobytes). */
export const MAX_TOPOLOGY_BYTES = 1024 * 1024;

/** `shared`: one certificate for every pool; `per-pool`: one per published pool's external web FQDN. */
export type PlanStrategy = 'shared' | 'per-pool';

/** A Front End pool or Standard Edition server. */
export interface PoolSpec {
  name: string;
  /** The external web services FQDN (the listener name), e.g. webext.contoso.com. */
  externalWebFqdn: string;
  /** True when the pool homes users enabled for remote access: only those are published. */
  remoteAccess: boolean;
  /** Internal FQDN the reverse proxy forwards to; defaults to `name` in publishing rules. */
  internalFqdn?: string;
}

/** A Director or Director pool. */
export interface DirectorSpec {
  name: string;
  externalWebFqdn: string;
  /** Internal FQDN the reverse proxy forwards to; defaults to `name` in publishing rules. */
  internalFqdn?: string;
}

/** One meeting simple URL of a SIP domain. */
export interface MeetUrlSpec {
  url: string;
  sipDomain: string;
  active: boolean;
}

/** The deployment as the admin describes it (topology JSON, version 1). */
export interface Topology {
  version: 1;
  /** Free text for the admin's own notes; ignored by the planner. */
  description?: string;
  sipDomains: string[];
  pools: PoolSpec[];
  directors?: DirectorSpec[];
  simpleUrls: { meet: MeetUrlSpec[]; dialin: string };
  officeWebApps?: string[];
  /** Absent: no mobility. Port 443 puts lyncdiscover.<sipdomain> on the certificate; 80 publishes it over HTTP only. */
  mobility?: { autodiscoverPort: 443 | 80 };
  exchange?: { autodiscover?: string[]; webServices?: string[] };
  /** Edge Server names to combine into the certificate. */
  edge?: { sans: string[] };
  /** Pool whose external web FQDN is the subject (default: the first pool). */
  subjectPool?: string;
  strategy?: PlanStrategy;
  /** True when a public CA will sign: internal names become errors. */
  publicCa?: boolean;
  /** More SANs for every certificate (e.g. a wildcard that replaces simple URL names). */
  extraSans?: string[];
  /** Names to leave off every certificate (e.g. those a wildcard covers); required names are checked after. */
  omitSans?: string[];
}

/** Why a SAN is there, machine-readable. */
export type SanSource =
  | 'subject'
  | 'pool'
  | 'director'
  | 'meet'
  | 'dialin'
  | 'office-web-apps'
  | 'lyncdiscover'
  | 'edge'
  | 'exchange-autodiscover'
  | 'exchange-web-services'
  | 'extra';

/** One SAN of a certificate plan with every reason it is there. */
export interface PlannedSan {
  /** Lower-case A-label form, as the CSR carries it. */
  name: string;
  /** The U-label form when it differs (internationalized names), for display. */
  unicode?: string;
  /** Plain sentences, e.g. "meeting simple URL for contoso.com". */
  reasons: string[];
  /** The same reasons, machine-readable, parallel to `reasons`. */
  sources: SanSource[];
  /** Topology field paths the name came from, e.g. `pools[0].externalWebFqdn`. */
  fields: string[];
}

/** One certificate the topology needs. */
export interface CertificatePlan {
  /** 1-based, as the CLI shows it and `request new --plan FILE --certificate N` takes it. */
  certificate: number;
  /** The CN: the external web FQDN of `pool`. */
  subject: string;
  /** The pool whose external web FQDN is the subject. */
  pool: string;
  /** Subject first, then the stable order documented in the README. */
  sans: PlannedSan[];
}

/** What a publishing rule publishes, machine-readable. */
export type PublishingKind = 'pool' | 'director' | 'meet' | 'dialin' | 'lyncdiscover' | 'office-web-apps' | 'exchange';

/** One reverse-proxy publishing rule: a listener name and port forwarded to an internal target. */
export interface PublishingRule {
  /** The public host name the listener accepts. */
  externalName: string;
  externalPort: 443 | 80;
  protocol: 'https' | 'http';
  /** The internal host the reverse proxy forwards to. */
  internalTarget: string;
  internalPort: number;
  /** What it publishes, in plain words (several joined by "; " when one name serves several roles). */
  publishes: string;
  kinds: PublishingKind[];
  /** The 1-based certificate whose SANs cover externalName (the listener's certificate); null for plain HTTP. */
  certificate: number | null;
  /** The rule as one line of text. */
  text: string;
}

/** A finding of the planner: a name rule or a topology rule, with where it applies. */
export interface PlanFinding extends Finding {
  /** Topology field path, e.g. `simpleUrls.meet[0].url`. */
  field?: string;
  /** The 1-based certificate it concerns, when it concerns one. */
  certificate?: number;
}

/** Plans, findings and publishing rules for one topology. */
export interface PlanResult {
  strategy: PlanStrategy;
  /** One plan (shared) or one per published pool (per-pool); empty only when no pool is published. */
  plans: CertificatePlan[];
  findings: PlanFinding[];
  publishingRules: PublishingRule[];
  /** False when any finding is an error: the plan must not become a request. */
  ok: boolean;
}

/**
 * The planner's own rules with stable codes (the name rules of pki.md section 3 come on top, from
 * NAME_RULES in pki/names.ts). A public contract: add codes, never rename one.
 */
export const PLAN_RULES = {
  NO_PUBLISHED_POOL: { severity: 'error', meaning: 'no pool has remoteAccess true: there is nothing to publish' },
  POOL_NOT_PUBLISHED: { severity: 'info', meaning: 'a pool without remote access is not published and not on the certificate' },
  SUBJECT_POOL_UNKNOWN: { severity: 'error', meaning: 'subjectPool names no pool of the topology' },
  SUBJECT_POOL_NOT_PUBLISHED: { severity: 'error', meaning: 'subjectPool names a pool without remote access' },
  DUPLICATE_POOL: { severity: 'error', meaning: 'two pools or Directors share a name or an external web FQDN' },
  WILDCARD_NOT_FQDN: { severity: 'error', meaning: 'a wildcard where a real host name is needed (pool, Director, Office Web Apps, Exchange, SIP domain)' },
  MEET_URL_MISSING: { severity: 'error', meaning: 'a SIP domain has no active meeting simple URL' },
  MEET_URL_SEVERAL_ACTIVE: { severity: 'error', meaning: 'a SIP domain has more than one active meeting simple URL' },
  MEET_URL_UNKNOWN_DOMAIN: { severity: 'error', meaning: 'a meeting simple URL names a SIP domain not in sipDomains' },
  SIMPLE_URL_INVALID: { severity: 'error', meaning: 'a simple URL is not an absolute URL (or carries a user name, query or fragment)' },
  SIMPLE_URL_NOT_HTTPS: { severity: 'error', meaning: 'a simple URL does not use https' },
  SIMPLE_URL_HAS_PORT: { severity: 'error', meaning: 'a simple URL contains a port number' },
  SIMPLE_URL_POOL_FQDN: { severity: 'error', meaning: "a simple URL's host is a pool's or Director's FQDN" },
  SIMPLE_URL_HOST_CHARS: { severity: 'error', meaning: 'a simple URL host has characters other than letters, digits and periods' },
  SIMPLE_URL_PREFIX: { severity: 'error', meaning: 'a simple URL is a prefix of another simple URL' },
  SIMPLE_URL_DUPLICATE: { severity: 'error', meaning: 'the same simple URL is used twice' },
  MEET_URL_NOT_IN_SAN: { severity: 'error', meaning: 'a meeting simple URL host is left off a certificate (omitSans) and no wildcard SAN covers it' },
  DIALIN_URL_NOT_IN_SAN: { severity: 'error', meaning: 'the dial-in simple URL host is left off a certificate (omitSans) and no wildcard SAN covers it' },
  LYNCDISCOVER_MISSING: { severity: 'error', meaning: 'mobility uses port 443 but a SIP domain\'s lyncdiscover name is left off a certificate (omitSans) and no wildcard SAN covers it' },
  REQUIRED_NAME_OMITTED: { severity: 'error', meaning: 'omitSans lists a pool, Director or Office Web Apps name, which must stay on the certificate' },
  SUBJECT_KEPT_IN_SAN: { severity: 'info', meaning: 'omitSans lists the subject name; it must also be a SAN, so it was kept' },
  SAN_OMITTED: { severity: 'info', meaning: 'a name is left off the certificate because omitSans lists it' },
  OMIT_UNKNOWN_NAME: { severity: 'warning', meaning: 'omitSans lists a name the plan does not contain (a typo?)' },
  WILDCARD_COVERS: { severity: 'info', meaning: 'a wildcard SAN covers a meeting, dial-in or lyncdiscover name (allowed)' },
  MOBILITY_HTTP: { severity: 'info', meaning: 'mobility autodiscover on port 80: lyncdiscover names are published over HTTP and need no SAN' },
  EXCHANGE_NAMES: { severity: 'info', meaning: 'Exchange names are on the certificate; Exchange needs its own publishing rules (listed)' },
  EDGE_SANS_COMBINED: { severity: 'info', meaning: 'Edge Server names are combined into the certificate: export it with its private key for the Edge' },
  TOO_MANY_SANS: { severity: 'warning', meaning: 'a certificate has more than 100 SANs, more than many public CAs accept' },
} as const satisfies Record<string, { severity: Severity; meaning: string }>;

/** One of the planner's stable finding codes. */
export type PlanRuleCode = keyof typeof PLAN_RULES;
