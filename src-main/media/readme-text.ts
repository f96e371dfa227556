import { escapeUntrustedLines } from '../common/escape.js';
import { describeWindowsVersion } from '../common/farms.js';
import type { BundlePlan } from './bundle-plan.js';
import { BUNDLE_FILES } from './bundle-plan.js';
import { linuxNodeLines, proxyFileListLines, proxyIntroLines, windowsNodeLines } from './readme-proxy.js';
import { executionPolicyLines, expectedValueLines, manualRoute, manualRouteLines, scriptOrderLines } from './readme-windows.js';

const PROFILE_USE = {
  legacy: 'Windows Server 2008 R2 to 2016, TMG 2010 (3DES / SHA-1)',
  modern: 'Windows Server 2019 and later (AES-256 / SHA-256)',
} as const;

/** The bind step: TMG 2010 exists only on Windows Server 2008 (R2); IIS ARR on every version. */
function bindSteps(windowsVersion: string, thumbprint: string): string[] {
  const iis = `IIS ARR: IIS Manager > the site that publishes Lync (e.g. "Default Web Site") > Bindings > https, port 443 > SSL certificate: pick the one with thumbprint ${thumbprint}.`;
  const tmg = `TMG 2010: Forefront TMG console > Firewall Policy > the Lync web publishing rule > Properties > Listener > Properties > Certificates > Select Certificate: pick the one with thumbprint ${thumbprint}; then Apply.`;
  if (windowsVersion === '2008R2' || windowsVersion === 'other') return [tmg, iis];
  return [iis];
}

/** Word-wraps `text` to `width` columns, the first line after `first`, the rest after `rest`. */
function wrap(text: string, width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(' ')) {
    const prefix = lines.length === 0 ? first : rest;
    if (line !== prefix && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line = line === prefix ? line + word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}

/**
 * README.txt: what is in the bundle and the steps on each node (import, trust the internal root,
 * bind, verify the thumbprint). It says plainly that the password is not on the drive.
 */
export function renderReadme(plan: BundlePlan): string {
  const L: string[] = [];
  const thumb = plan.thumbprint;
  const title = `Certdesk bundle: ${plan.subject} for farm ${plan.farm}`;
  L.push(title, '='.repeat(Math.min(78, title.length)));
  L.push('');
  L.push(`Certificate:   ${plan.distinguishedName}`);
  L.push(`Names (SAN):   ${plan.sans.join(', ')}`);
  L.push(`Issuer:        ${plan.issuer}`);
  L.push(`Thumbprint:    ${thumb} (SHA-1, as Windows shows it)`);
  L.push(`Valid:         ${plan.notBefore} to ${plan.notAfter}`);
  L.push(`Request:       ${plan.requestId}   Bundle made: ${plan.createdAt}`);
  L.push('');
  L.push('THE PFX PASSWORD IS NOT ON THIS DRIVE. It is delivered separately (by phone, in person or');
  L.push('through your password safe). The certificate admin reads it on the Certdesk workstation with:');
  L.push(`    certdesk password ${plan.requestId} --export ${plan.passwordExport}`);
  L.push('');
  L.push('Files');
  L.push('-----');
  for (const p of plan.pfx) L.push(`  ${p.fileName}  certificate + private key + chain, for ${PROFILE_USE[p.profile]}`);
  for (const c of plan.roots) L.push(`  ${c.fileName}  internal root CA ${c.subject}: Trusted Root Certification Authorities`);
  for (const c of plan.intermediates) L.push(`  ${c.fileName}  internal intermediate CA ${c.subject}: Intermediate Certification Authorities`);
  if (plan.publicRoot) L.push(`  ${plan.publicRoot.fileName}  root of the certificate's own CA ${plan.publicRoot.subject}: Trusted Root Certification Authorities`);
  for (const c of plan.publicIntermediates) L.push(`  ${c.fileName}  intermediate of the certificate's own CA ${c.subject}: Intermediate Certification Authorities`);
  L.push(`  ${BUNDLE_FILES.script}  does steps 1, 2 and 4 below on one node${plan.scriptSigner ? ` (signed by ${plan.scriptSigner.subject}: see "Signature")` : ''}`);
  L.push(`  ${BUNDLE_FILES.manifest}  the contents with a SHA-256 per file (certutil -hashfile FILE SHA256, or Get-FileHash on PowerShell 4.0 and later, checks them)`);
  L.push(...proxyFileListLines(plan));
  L.push('');
  L.push(...proxyIntroLines(plan));
  L.push(...scriptOrderLines(), ...executionPolicyLines(plan), ...expectedValueLines(plan));
  L.push('The internal root CA is the one that issued the certificates of the internal Lync servers:');
  L.push('the reverse proxy must trust it to reach them over HTTPS (the procedure\'s first step).');
  L.push('');
  for (const node of plan.nodes) {
    const pfx = plan.pfx.find((p) => p.profile === node.profile);
    const proxyNode = plan.proxy?.nodes.find((n) => n.host === node.host);
    if (node.kind === 'nginx' || node.kind === 'haproxy') {
      // A Linux proxy: its own folder and steps, none of the Windows ones.
      const heading = `Node ${node.host} (${node.kind})`;
      L.push(heading, '-'.repeat(Math.min(78, heading.length)));
      if (node.notes !== '') L.push(`  Notes: ${node.notes}`);
      if (proxyNode) L.push(...linuxNodeLines(plan, proxyNode));
      else L.push('  No reverse-proxy configuration in this bundle (see above); the PFX files hold the certificate.');
      L.push('');
      continue;
    }
    const heading = `Node ${node.host} (${describeWindowsVersion(node.windowsVersion)}): use ${pfx?.fileName ?? `the ${node.profile} PFX`}`;
    L.push(heading, '-'.repeat(Math.min(78, heading.length)));
    if (node.notes !== '') L.push(`  Notes: ${node.notes}`);
    L.push('  1. Import: copy this folder to the node, open PowerShell with "Run as administrator" and run');
    L.push(`       powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\\${BUNDLE_FILES.script}`);
    L.push('     It checks every file, asks for the password and checks the PFX before it changes anything.');
    L.push('     By hand instead (or when an execution policy blocks the script):');
    L.push(`     "By hand on ${manualRoute(node.windowsVersion).title}" below, with ${pfx?.fileName ?? 'the PFX'}.`);
    L.push('  2. Trust the internal root: the script imports the checked .cer files (roots into Trusted Root');
    L.push('     Certification Authorities, intermediates into Intermediate Certification Authorities).');
    L.push('  3. Bind the certificate:');
    for (const step of bindSteps(node.windowsVersion, thumb)) L.push(...wrap(step, 90, '       - ', '         '));
    L.push(`  4. Verify: the script prints the thumbprint and DNS names it finds; the thumbprint must be`);
    L.push(`       ${thumb}`);
    L.push('     Then record it on the Certdesk workstation:');
    L.push(`       certdesk deploy ${plan.requestId} --node ${node.host} --verified-thumbprint ${thumb}`);
    if (proxyNode) L.push(...windowsNodeLines(proxyNode));
    L.push('');
  }
  L.push(...manualRouteLines(plan));
  L.push('When every node serves the new certificate, delete this folder from the drive: the PFX holds');
  L.push('the private key, protected only by its password.');
  // Subjects, issuers, node names and notes come from certificates and admins' input: an ESC or
  // RLO in them must not reach the text file an admin opens in a console on the node.
  return `${escapeUntrustedLines(L.join('\n'))}\n`;
}
