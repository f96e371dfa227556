import type { DriveInfo, ExpiryEntry, Farm, NodeDeploymentView, NodeRenewalState, RenewalRollout } from '../../common/farms.js';
import { describeWindowsVersion, profileForWindowsVersion } from '../../common/farms.js';
import type { RequestRecord } from '../../common/requests.js';
import { table } from '../table.js';

/** Bytes as people read drive sizes (decimal units, like the OS file managers). */
export function humanBytes(n: number | null): string {
  if (n === null) return '?';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** `certdesk drives` as a table. */
export function driveTable(drives: DriveInfo[]): string[] {
  if (drives.length === 0) return ['No removable, writable drive is mounted. Any folder works too: certdesk bundle ID --farm NAME --to DIR'];
  const rows = drives.map((d) => [d.mountPoint, d.label || '(no label)', d.fileSystem || '?', humanBytes(d.freeBytes), humanBytes(d.sizeBytes), d.device, d.windowsReadable ? '' : 'Windows cannot read this file system']);
  return table(['MOUNT POINT', 'LABEL', 'FS', 'FREE', 'SIZE', 'DEVICE', 'NOTE'], rows);
}

/** The state of one node, e.g. `verified 2026-03-15 by alice`. */
export function stateText(v: NodeDeploymentView): string {
  if (v.state === 'not-deployed') return v.staleThumbprint ? `not deployed (an earlier certificate ${v.staleThumbprint} is)` : 'not deployed';
  const when = v.state === 'verified' ? (v.verifiedAt ?? v.deployedAt ?? '') : (v.deployedAt ?? '');
  return `${v.state} ${when.slice(0, 10)}${v.operator ? ` by ${v.operator}` : ''}`;
}

/** `certdesk farm show` as text. */
export function farmDetail(farm: Farm, requests: RequestRecord[], views: NodeDeploymentView[], rollouts: RenewalRollout[] = []): string[] {
  const lines = [`Farm ${farm.name} (created ${farm.createdAt.slice(0, 10)})`, '', 'Nodes:'];
  lines.push(
    ...table(
      ['  HOST', 'WINDOWS', 'PFX PROFILE', 'NOTES'],
      farm.nodes.map((n) => [`  ${n.host}`, describeWindowsVersion(n.windowsVersion), profileForWindowsVersion(n.windowsVersion), n.notes]),
    ),
  );
  lines.push('', 'Trusted CA certificates (go into every bundle):');
  if (farm.trustedCas.length === 0) lines.push('  none: add the internal root CA with certdesk farm add ... --trust FILE');
  for (const c of farm.trustedCas) lines.push(`  ${c.role.padEnd(12)}  ${c.subject}  thumbprint ${c.thumbprint}  expires ${c.notAfter.slice(0, 10)}`);
  lines.push('', 'Linked requests:');
  if (requests.length === 0) lines.push('  none yet (certdesk bundle ID --farm NAME links one)');
  for (const r of requests) {
    const cert = r.certificate;
    lines.push(`  ${r.id}  ${r.subject}  ${r.status}${cert ? `  thumbprint ${cert.thumbprint}  expires ${cert.notAfter.slice(0, 10)}` : '  (no certificate yet)'}`);
    for (const v of views.filter((x) => x.requestId === r.id)) lines.push(`    ${v.host.padEnd(Math.max(...farm.nodes.map((n) => n.host.length)))}  ${stateText(v)}`);
  }
  for (const ro of rollouts) {
    lines.push('', `Renewal rollout to ${ro.newRequestId} (chain ${ro.requestIds.join(' -> ')}): ${ro.complete ? 'complete' : `${ro.nodes.filter((n) => n.has === 'new').length} of ${ro.nodes.length} nodes have the new certificate`}`);
    lines.push(...table(['  NODE', 'HAS', 'REQUEST', 'THUMBPRINT'], ro.nodes.map((n) => [`  ${n.host}`, renewalText(n.has), n.requestId ?? '-', n.thumbprint ?? '-'])));
  }
  return lines;
}

/** A node's place in a renewal rollout, in words. */
export function renewalText(has: NodeRenewalState['has']): string {
  return has === 'new' ? 'new certificate' : has === 'old' ? 'OLD certificate' : 'none of the chain';
}

/** `certdesk farm list` as a table. */
export function farmTable(farms: Farm[]): string[] {
  if (farms.length === 0) return ['No farms yet; add one with: certdesk farm add NAME --node HOST:WINDOWS_VERSION'];
  return table(
    ['NAME', 'NODES', 'PROFILES', 'TRUSTED CAS', 'REQUESTS'],
    farms.map((f) => [f.name, String(f.nodes.length), [...new Set(f.nodes.map((n) => profileForWindowsVersion(n.windowsVersion)))].sort().join('+'), String(f.trustedCas.length), String(f.requestIds.length)]),
  );
}

/** `certdesk expiry` as a table. */
export function expiryTable(entries: ExpiryEntry[], within: number | undefined): string[] {
  if (entries.length === 0) return [within === undefined ? 'No issued certificates yet.' : `No certificate expires within ${within} days.`];
  return table(
    ['DAYS LEFT', 'EXPIRES (UTC)', 'SUBJECT', 'REQUEST', 'STATUS', 'FARMS'],
    entries.map((e) => [e.daysLeft < 0 ? `expired ${-e.daysLeft}d ago` : String(e.daysLeft), e.notAfter.slice(0, 16).replace('T', ' '), e.subject, e.requestId, e.status, e.farms.join(', ') || '-']),
  );
}
