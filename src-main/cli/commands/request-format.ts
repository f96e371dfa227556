import type { Finding } from '../../common/findings.js';
import type { RenewalChainEntry, RequestRecord } from '../../common/requests.js';
import { table } from '../table.js';

/** `2026-03-15 14:02` (UTC) for tables. */
function shortTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** A finding as one line: `warning [INTERNAL_NAME] ...`. */
export function findingLine(f: Finding): string {
  return `${f.severity} [${f.code}] ${f.message}`;
}

/** Key facts of a request in one line. */
export function keyLine(r: RequestRecord): string {
  return `RSA ${r.keySize} bits, ${r.exportable ? 'exportable' : 'not exportable'}, key type Exchange${r.windowsAttributes ? ', with Windows attributes' : ''}`;
}

/** What `request new` prints after storing a request. */
export function creationSummary(r: RequestRecord): string[] {
  const lines = [
    `Created request ${r.id} (${r.status})`,
    `  subject:  ${r.distinguishedName}`,
    `  SANs:     ${r.sans.join(', ')}`,
    `  key:      ${keyLine(r)}`,
  ];
  if (r.friendlyName) lines.push(`  name:     ${r.friendlyName}`);
  if (r.findings.some((f) => f.code === 'NAME_CN_ADDED_TO_SAN')) lines.push('Note: the CN was added to the SAN list (the subject name must also be a SAN).');
  for (const f of r.findings.filter((x) => x.code !== 'NAME_CN_ADDED_TO_SAN')) lines.push(findingLine(f));
  return lines;
}

/** The `request list` table; an empty list says so. */
export function requestTable(records: RequestRecord[], filtered: boolean, renewedBy: Record<string, string[]> = {}): string[] {
  if (records.length === 0) return [filtered ? 'No requests match.' : 'No requests yet; create one with: certdesk request new --subject FQDN'];
  const rows = records.map((r) => [r.id, r.status, shortTime(r.createdAt), String(r.keySize), r.subject, String(r.sans.length), r.friendlyName]);
  // The renewal column appears only in stores that have renewals: other listings stay as they were.
  if (!records.some((r) => r.renews !== undefined || renewedBy[r.id] !== undefined)) return table(['ID', 'STATUS', 'CREATED (UTC)', 'KEY', 'SUBJECT', 'SANS', 'FRIENDLY NAME'], rows);
  const links = records.map((r) => [...(r.renews !== undefined ? [`renews ${r.renews}`] : []), ...(renewedBy[r.id] ?? []).map((id) => `renewed by ${id}`)].join(', '));
  return table(['ID', 'STATUS', 'CREATED (UTC)', 'KEY', 'SUBJECT', 'SANS', 'FRIENDLY NAME', 'RENEWAL'], rows.map((row, i) => [...row, links[i] ?? '']));
}

/** The renewal chain lines of `request show`, oldest first; nothing when the request stands alone. */
export function chainLines(id: string, chain: RenewalChainEntry[]): string[] {
  if (chain.length <= 1) return [];
  const lines = ['Renewal chain (oldest first):'];
  for (const c of chain) {
    const cert = c.thumbprint !== undefined ? `certificate ${c.thumbprint}, valid to ${(c.notAfter ?? '').slice(0, 10)}` : 'no certificate yet';
    lines.push(`  ${c.id === id ? '*' : ' '} ${c.id}  ${c.status.padEnd(10)}  ${c.subject}  ${cert}${c.renews !== undefined ? `  (renews ${c.renews})` : ''}`);
  }
  return lines;
}

/** The record part of `request show`. */
export function recordDetail(r: RequestRecord): string[] {
  const lines = [
    `Request ${r.id}`,
    `  status:        ${r.status}`,
    `  friendly name: ${r.friendlyName || '(none)'}`,
    `  description:   ${r.description || '(none)'}`,
    `  subject:       ${r.distinguishedName}`,
    `  SANs:          ${r.sans.join(', ')}`,
    `  key:           ${keyLine(r)}`,
    `  created:       ${r.createdAt}`,
    `  updated:       ${r.updatedAt}`,
    `  public key SHA-256: ${r.publicKeySha256}`,
    r.csrSha256 !== undefined ? `  CSR SHA-256:        ${r.csrSha256}` : '  CSR:                none (adopted from a PFX)',
  ];
  if (r.origin === 'adopted') lines.splice(2, 0, '  origin:        adopted from a PFX made elsewhere');
  if (r.renews !== undefined) lines.splice(2, 0, `  renews:        ${r.renews}`);
  if (r.findings.length > 0) {
    lines.push('Findings:');
    for (const f of r.findings) lines.push(`  ${findingLine(f)}`);
  }
  lines.push('History:');
  for (const h of r.history) lines.push(`  ${h.at}  ${h.event}: ${h.detail}`);
  return lines;
}
