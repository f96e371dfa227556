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

/** The outcome of reading a topology file: the topology and what was read and assumed. */
export interface TopologyImport {
  format: TopologyFormat;
  topology: Topology;
  /** Plain sentences: what the document said (SIP domains, pools, Directors, simple URLs, ...). */
  read: string[];
  /** Info findings for what was proposed or noticed, with the topology field they concern. */
  findings: PlanFinding[];
}
