import { DEFAULT_INSTALL_DIRS } from '../common/proxy.js';
import type { BundlePlan, BundleProxyNode } from './bundle-plan.js';

const ROLE_TEXT = {
  config: 'the configuration',
  certificate: 'the certificate and its CA chain (PEM)',
  key: 'the private key, encrypted PKCS#8 PEM: the same password as the PFX',
  'trusted-ca': "the internal CA that issued the Lync servers' certificates: the proxy verifies them with it",
  pfx: 'certificate + private key + chain (AES PFX, the same password)',
  script: 'the script that does the work (read it first)',
  checklist: 'the step-by-step checklist',
} as const;

/** The README's list of a node folder's files. */
function fileLines(node: BundleProxyNode): string[] {
  const width = Math.max(...node.files.map((f) => f.name.length));
  return node.files.map((f) => `       ${f.name.padEnd(width)}  ${f.name.endsWith('.zh-TW.txt') ? '繁體中文 (Traditional Chinese)' : ROLE_TEXT[f.role]}`);
}

/** One line per node folder, for the README's file list. */
export function proxyFileListLines(plan: BundlePlan): string[] {
  return (plan.proxy?.nodes ?? []).map((n) => `  ${n.folder}/  reverse-proxy configuration for ${n.host} (${n.kind}): see "Node ${n.host}" below`);
}

/** The paragraph after the file list: where the configuration came from, or why there is none. */
export function proxyIntroLines(plan: BundlePlan): string[] {
  const p = plan.proxy;
  if (!p) return [];
  if (p.missing !== null) {
    return ['Reverse-proxy configuration: none in this bundle, because', `  ${p.missing}.`, '  The certificate admin can make it on the Certdesk workstation (certdesk proxy-config).', ''];
  }
  if (p.nodes.length === 0) return [];
  const L = [`Reverse-proxy configuration: made from the plan's publishing rules (certificate ${p.certificate ?? '?'} of the plan, ${p.rules} rules),`, '  one folder per node, for the proxy it runs. Nodes of kind "other" get none.'];
  for (const n of p.notes) L.push(`  Note: ${n}`);
  L.push('');
  return L;
}

/** A Linux proxy node's steps (nginx, HAProxy): instead of the Windows steps. */
export function linuxNodeLines(plan: BundlePlan, node: BundleProxyNode): string[] {
  const dir = node.kind === 'nginx' ? DEFAULT_INSTALL_DIRS.nginx : DEFAULT_INSTALL_DIRS.haproxy;
  const conf = node.files.find((f) => f.role === 'config')?.name ?? '';
  const L = [`  Reverse proxy: ${node.kind === 'nginx' ? 'nginx' : 'HAProxy'}. The folder ${node.folder}/ holds:`, ...fileLines(node)];
  L.push(`  1. Copy: as root, copy the files of ${node.folder}/ into ${dir}/ on the node (mkdir -p ${dir}; chmod 700 ${dir}).`);
  if (node.kind === 'nginx') {
    L.push(`  2. Password: create ${dir}/ssl-password.txt holding the password (one line), owned by root,`);
    L.push('     mode 0600 (chmod 600). nginx reads the encrypted key with it; it never goes on this drive.');
    L.push(`  3. Include ${dir}/${conf} inside http { } of nginx.conf (it has no http, events or pid of its own).`);
    L.push('  4. Check and load: nginx -t, then systemctl reload nginx.');
  } else {
    L.push(`  2. Configuration: compare ${conf} with /etc/haproxy/haproxy.cfg, keep a copy of the old one, and put it in place.`);
    L.push(`  3. Certificate: as root, sh ${dir}/install-haproxy-cert.sh [PASSWORD_FILE]: it asks for the password`);
    L.push('     (or reads it from PASSWORD_FILE), writes the PEM HAProxy reads (mode 0600), checks haproxy -c and');
    L.push('     reloads HAProxy only when that passes.');
  }
  L.push(`  ${node.kind === 'nginx' ? 5 : 4}. Verify: for each published name, the thumbprint served must be`);
  L.push(`       ${plan.thumbprint}`);
  L.push(`     (openssl s_client -connect NAME:443 -servername NAME </dev/null | openssl x509 -noout -fingerprint -sha1)`);
  L.push('     Then record it on the Certdesk workstation:');
  L.push(`       certdesk deploy ${plan.requestId} --node ${node.host} --verified-thumbprint ${plan.thumbprint}`);
  return L;
}

/** A Windows proxy node's extra step (IIS ARR script, TMG checklist), after import and bind. */
export function windowsNodeLines(node: BundleProxyNode): string[] {
  const main = node.files[0]?.name ?? '';
  const L = [`  5. Publishing rules (${node.kind === 'tmg' ? 'TMG 2010' : 'IIS ARR'}), from the folder ${node.folder}\\:`, ...fileLines(node)];
  if (node.kind === 'iis-arr') {
    L.push('     After step 1, run it in PowerShell as administrator (safe to run twice; it prints what it changed):');
    L.push(`       powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\\${node.folder}\\${main}`);
  } else {
    L.push(`     Follow ${main} in the Forefront TMG console, one step at a time.`);
  }
  return L;
}
