/**
 * Reading Lync Server / Skype for Business topology documents into Certdesk topology JSON: the
 * formats recognised and the stable codes of what the importer proposes or notes. Plain data shared
 * by the planning layer, the CLI's --json and the renderer. Codes are a public contract.
 */
import type { PlanFinding, Topology } from './plan.js';
import type { Severity } from './findings.js';

/** What a topology file held, recognised by content (never by extension). */
export type TopologyFormat = 'certdesk-json' | 'lync-topology' | 'lync-topology-builder';

/** The importer's finding codes: what it proposed because the document does not say, or noticed. */
export const IMPORT_RULES = {
  IMPORT_MEET_URL_PROPOSED: { severity: 'info', meaning: 'the document has no meeting simple URL for a SIP domain: https://meet.<sipdomain> is proposed' },
  IMPORT_DIALIN_URL_PROPOSED: { severity: 'info', meaning: 'the document has no dial-in simple URL: https://dialin.<default SIP domain> is proposed' },
  IMPORT_MOBILITY_PROPOSED: { severity: 'info', meaning: "mobility autodiscover on port 443 is assumed (a pool's web components include the mobility or UCWA service, or list none)" },
  IMPORT_POOL_PUBLISHED: { severity: 'info', meaning: 'a pool with an external web services FQDN is assumed published through the reverse proxy (remoteAccess true)' },
  IMPORT_POOL_NO_EXTERNAL_WEB: { severity: 'info', meaning: 'a pool has no external web services FQDN in the document: it is left out' },
  IMPORT_EDGE_FOUND: { severity: 'info', meaning: 'the document has an Edge Server: its names are not combined into the certificate unless you add them' },
} as const satisfies Record<string, { severity: Severity; meaning: string }>;

/** One of the importer's stable codes. */
export type ImportRuleCode = keyof typeof IMPORT_RULES;

/**
 * One thing the document said, as data: the app words it in the UI's language from its kind and
 * values, the CLI prints readLine's English sentence.
 */
export type ReadItem =
  | { kind: 'sip-domains'; domains: string[]; defaultDomain?: string }
  | { kind: 'pool'; fqdn: string; external: string }
  | { kind: 'director'; fqdn: string; external: string }
  | { kind: 'meet-urls'; urls: string[] }
  | { kind: 'dialin-url'; url: string }
  | { kind: 'office-web-apps'; servers: string[] }
  /** fqdn null: an Edge pool whose cluster the document does not name. */
  | { kind: 'edge'; fqdn: string | null };

/** The English sentence for what the document said (TopologyImport.read, the CLI's `read:` lines). */
export function readLine(r: ReadItem): string {
  switch (r.kind) {
    case 'sip-domains':
      return `SIP domains: ${r.domains.join(', ')}${r.defaultDomain ? ` (default ${r.defaultDomain})` : ''}`;
    case 'pool':
      return `pool ${r.fqdn}: external web services ${r.external}`;
    case 'director':
      return `Director ${r.fqdn}: external web services ${r.external}`;
    case 'meet-urls':
      return `meeting simple URLs: ${r.urls.join(', ')}`;
    case 'dialin-url':
      return `dial-in simple URL: ${r.url}`;
    case 'office-web-apps':
      return `Office Web Apps: ${r.servers.join(', ')}`;
    case 'edge':
      return `Edge Server ${r.fqdn ?? 'an Edge pool'}`;
  }
}

/** The outcome of reading a topology file: the topology and what was read and assumed. */
export interface TopologyImport {
  format: TopologyFormat;
  topology: Topology;
  /** Plain sentences: what the document said (SIP domains, pools, Directors, simple URLs, ...). */
  read: string[];
  /** The same, as data (readLine(readItems[i]) is read[i]), for a UI in another language. */
  readItems: ReadItem[];
  /** Info findings for what was proposed or noticed, with the topology field they concern. */
  findings: PlanFinding[];
}
