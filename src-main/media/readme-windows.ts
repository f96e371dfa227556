/**
 * The Windows half of README.txt: what Install-Certificate.ps1 does and in which order, what to do
 * when an execution policy blocks it, and the same steps by hand for each Windows version (the MMC
 * console and the hash tools differ between Windows Server 2008 R2, 2012 and later).
 */
import type { WindowsVersion } from '../common/farms.js';
import { sha256Hex } from '../pki/fingerprint.js';
import type { BundlePlan, BundleScriptSigner } from './bundle-plan.js';
import { BUNDLE_FILES, caFilesOf } from './bundle-plan.js';

/** Windows versions that share one manual procedure. */
interface ManualRoute {
  key: string;
  title: string;
  console: string;
  hash: string[];
}

const MMC_SNAPIN = 'Start > Run > mmc; File > Add/Remove Snap-in >\n     Certificates > Add > Computer account > Local computer > Finish > OK';
const CERTLM = 'Start > Run > certlm.msc (Certificates - Local Computer)';
const CERTUTIL = 'certutil -hashfile FILE SHA256   (some versions print spaces between the bytes: ignore spaces and case)';
const GET_FILEHASH = 'Get-FileHash FILE -Algorithm SHA256   (PowerShell 4.0 and later)';

/**
 * Windows Server 2008 R2 has PowerShell 2.0 and no certlm.msc; 2012 has certlm.msc but PowerShell
 * 3.0, still without Get-FileHash (PowerShell 4.0); 2012 R2 and later have both. An unknown version
 * gets the 2008 R2 route, which works everywhere.
 */
export function manualRoute(version: WindowsVersion): ManualRoute {
  if (version === '2008R2' || version === 'other') {
    return { key: '2008R2', title: 'Windows Server 2008 R2 (and any version)', console: MMC_SNAPIN, hash: [CERTUTIL] };
  }
  if (version === '2012') return { key: '2012', title: 'Windows Server 2012', console: CERTLM, hash: [CERTUTIL] };
  return { key: '2012R2+', title: 'Windows Server 2012 R2 and later', console: CERTLM, hash: [CERTUTIL, GET_FILEHASH] };
}

/** The script's order of operations, as README.txt states it. */
export function scriptOrderLines(): string[] {
  const title = `What ${BUNDLE_FILES.script} does, in this order`;
  return [
    title,
    '-'.repeat(title.length),
    "  1. Finds this computer among the farm's nodes by its full DNS name (by its NetBIOS name only",
    '     when the full name is not listed) and picks the PFX this Windows build can read.',
    '  2. Checks every .cer file and the PFX against the SHA-256 (and each .cer file against the SHA-1',
    '     thumbprint) written into the script; a file that differs is refused by name. Nothing changed.',
    '  3. Asks for the PFX password, opens the PFX in memory and checks that its certificate with the',
    '     private key has the thumbprint above. A wrong password or a wrong file stops here, nothing',
    '     changed. When the Personal store already holds that certificate with its private key, the',
    '     PFX is not imported again (and no password is asked).',
    '  4. Imports the root .cer files into Trusted Root Certification Authorities and the intermediate',
    '     .cer files into Intermediate Certification Authorities (nothing from the PFX goes there), then',
    '     the PFX into Personal, and checks the certificate the import returned.',
    '  5. Prints every change it made to a certificate store. When a step fails after a change, it',
    '     removes what this run added; certificates that were there before are left alone.',
    '',
  ];
}

/** Group Policy overrides -ExecutionPolicy Bypass: say so, and what to do then (signed or not). */
export function executionPolicyLines(plan: BundlePlan): string[] {
  const L = [
    'If the script is blocked (execution policy)',
    '-------------------------------------------',
    '  -ExecutionPolicy Bypass applies to that one PowerShell process. An execution policy set by Group',
    '  Policy ("Turn on Script Execution"; Get-ExecutionPolicy -List shows it as MachinePolicy or',
    '  UserPolicy) takes precedence over it, and PowerShell refuses the script ("running scripts is',
    '  disabled on this system" or "is not digitally signed"). Then either:',
  ];
  if (plan.scriptSigner) {
    L.push(
      '  - run it signed: it is (see "Signature" below) where the policy is AllSigned or RemoteSigned; or',
      '  - do the same steps by hand: "By hand" below, for the Windows version of the node.',
    );
  } else {
    L.push(
      "  - sign the script with your organisation's code-signing certificate where the policy is",
      '    AllSigned or RemoteSigned (Set-AuthenticodeSignature, or certdesk bundle --sign-with), if you',
      '    have one; or',
      '  - do the same steps by hand: "By hand" below, for the Windows version of the node.',
    );
  }
  L.push('  Do not loosen the Group Policy for the whole computer to run this script.', '');
  if (plan.scriptSigner) L.push(...signatureLines(plan.scriptSigner));
  return L;
}

/**
 * Who signed the script and what Windows needs to accept it. Without a timestamp (Certdesk works
 * offline) Windows checks the signing certificate against today's date, so the signature stops
 * validating when that certificate expires (docs/pki.md, "Signing Install-Certificate.ps1").
 */
export function signatureLines(signer: BundleScriptSigner): string[] {
  return [
    'Signature',
    '---------',
    `  ${BUNDLE_FILES.script} is signed (Authenticode, SHA-256) by`,
    `      ${signer.subject}`,
    `      thumbprint  ${signer.thumbprint}`,
    `      issued by   ${signer.issuer}`,
    `      valid until ${signer.notAfter}`,
    '  Check it on the node: Get-AuthenticodeSignature .\\Install-Certificate.ps1 | Format-List',
    '  (Status must be Valid, SignerCertificate the thumbprint above).',
    '  AllSigned runs it once the publisher is trusted: its CA chain in Trusted Root Certification',
    '  Authorities, and this certificate in Trusted Publishers (Local Computer > Trusted Publishers >',
    '  Import, or a Group Policy "Trusted Publishers" entry). Until it is in Trusted Publishers,',
    '  PowerShell asks "Do you want to run software from this untrusted publisher?". RemoteSigned asks',
    '  for a signature only for files marked as downloaded from the internet; it accepts the same',
    '  trusted signature for those.',
    '  The signature has no timestamp (Certdesk works offline), so Windows checks the certificate',
    `  against the current date: after ${signer.notAfter.slice(0, 10)} the signature no longer validates ("A required`,
    '  certificate is not within its validity period") and AllSigned refuses the script. Make a new',
    '  bundle with a current certificate then. Changing any character of the script breaks the signature.',
    '',
  ];
}

/** Every file the admin can check by hand, with the values it must have. */
export function expectedValueLines(plan: BundlePlan): string[] {
  const L = ['Expected values (the same as manifest.json and the script)', '-'.repeat(58)];
  for (const p of plan.pfx) L.push(`  ${p.fileName}`, `      SHA-256     ${sha256Hex(p.data)}`);
  for (const c of caFilesOf(plan)) L.push(`  ${c.fileName}`, `      SHA-256     ${sha256Hex(c.der)}`, `      thumbprint  ${c.thumbprint}`);
  L.push('');
  return L;
}

/** The manual import and check for each Windows version the farm's nodes run, once per version. */
export function manualRouteLines(plan: BundlePlan): string[] {
  const routes = new Map<string, ManualRoute>();
  for (const n of plan.nodes) {
    const r = manualRoute(n.windowsVersion);
    routes.set(r.key, r);
  }
  const rootFiles = [...plan.roots, ...(plan.publicRoot ? [plan.publicRoot] : [])].map((c) => c.fileName);
  const intermediateFiles = [...plan.intermediates, ...plan.publicIntermediates].map((c) => c.fileName);
  const L: string[] = [];
  for (const r of routes.values()) {
    const title = `By hand on ${r.title}`;
    L.push(title, '-'.repeat(title.length));
    L.push('  a. Check each file: its SHA-256 must be the one under "Expected values":');
    for (const h of r.hash) L.push(`       ${h}`);
    L.push('     and each .cer file\'s thumbprint: certutil -dump FILE ("Cert Hash(sha1)"), or open it >');
    L.push('     Details > Thumbprint. Do not import a file that differs.');
    L.push(...`  b. Open the computer's certificates: ${r.console}.`.split('\n'));
    if (rootFiles.length > 0) {
      L.push('  c. Trusted Root Certification Authorities > Certificates > All Tasks > Import:');
      for (const f of rootFiles) L.push(`       ${f}`);
    }
    if (intermediateFiles.length > 0) {
      L.push('  d. Intermediate Certification Authorities > Certificates > All Tasks > Import:');
      for (const f of intermediateFiles) L.push(`       ${f}`);
    }
    L.push('  e. Personal > Certificates > All Tasks > Import > the PFX for this node (file type "Personal');
    L.push('     Information Exchange"), the password; leave "Mark this key as exportable" off; choose');
    L.push('     "Place all certificates in the following store: Personal", never "Automatically select",');
    L.push('     which can put a certificate of the PFX into Trusted Root.');
    L.push(`  f. Verify: certutil -store My ${plan.thumbprint}`);
    L.push('     or open the certificate: Details > Thumbprint must be the one above, and General must say');
    L.push('     "You have a private key that corresponds to this certificate".');
    L.push('');
  }
  return L;
}
