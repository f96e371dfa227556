import type { PfxProfile } from '../common/exports.js';
import type { WindowsVersion } from '../common/farms.js';
import type { NodeKind, ProxyFileRole, ProxyKind } from '../common/proxy.js';

/** A CA certificate as it goes into a bundle. */
export interface BundleCa {
  /** File name in the bundle (`.cer`, DER). */
  fileName: string;
  subject: string;
  thumbprint: string;
  notAfter: string;
  der: Uint8Array;
}

/** A PFX file as it goes into a bundle. */
export interface BundlePfx {
  fileName: string;
  profile: PfxProfile;
  data: Uint8Array;
}

/** One file of a node's reverse-proxy configuration, in that node's folder. */
export interface BundleProxyFile {
  /** File name inside the node's folder. */
  name: string;
  role: ProxyFileRole;
  data: Uint8Array;
}

/** A node's folder of reverse-proxy configuration (`node-<host>/`). */
export interface BundleProxyNode {
  host: string;
  kind: ProxyKind;
  folder: string;
  files: BundleProxyFile[];
}

/** The reverse-proxy configuration a bundle carries for its nodes. */
export interface BundleProxyPlan {
  /** Why the nodes with a proxy kind get no configuration (e.g. the request was not made from a plan); null otherwise. */
  missing: string | null;
  /** The plan's certificate the configuration serves, and how many publishing rules it implements. */
  certificate: number | null;
  rules: number;
  nodes: BundleProxyNode[];
  /** What the admin must know (no internal CA known, names no certificate covers). */
  notes: string[];
}

/** Everything a bundle says about itself: the input of the manifest, README and script renderers. */
export interface BundlePlan {
  requestId: string;
  friendlyName: string;
  /** The CN. */
  subject: string;
  distinguishedName: string;
  sans: string[];
  issuer: string;
  serialNumber: string;
  /** SHA-1, upper-case hex. */
  thumbprint: string;
  /** SHA-256 of the certificate DER, lowercase hex. */
  certificateSha256: string;
  notBefore: string;
  notAfter: string;
  farm: string;
  nodes: { host: string; windowsVersion: WindowsVersion; profile: PfxProfile; kind?: NodeKind; notes: string }[];
  pfx: BundlePfx[];
  /** The farm's internal roots: Trusted Root store. */
  roots: BundleCa[];
  /** The farm's internal intermediates: Intermediate store. */
  intermediates: BundleCa[];
  /**
   * The CA certificates of the PFX (the certificate's own chain below its root), also shipped as
   * `.cer` files so the install script puts them into the Intermediate store itself, checked.
   */
  publicIntermediates: BundleCa[];
  /** The public chain's root, when the admin asked for it: Trusted Root store. */
  publicRoot: BundleCa | null;
  /** Which keychain export entry holds the password (`certdesk password ID --export N`). */
  passwordExport: number;
  /** ISO-8601. */
  createdAt: string;
  /** Each node's reverse-proxy configuration (nodes of kind `other` get none); absent: none. */
  proxy?: BundleProxyPlan;
  /** Who signed Install-Certificate.ps1 (Authenticode, `bundle --sign-with`); absent: the script is not signed. */
  scriptSigner?: BundleScriptSigner;
}

/** The code-signing certificate of a signed Install-Certificate.ps1, as README.txt names it. */
export interface BundleScriptSigner {
  subject: string;
  /** SHA-1, upper-case hex. */
  thumbprint: string;
  issuer: string;
  /** ISO-8601: without a timestamp the signature stops validating then. */
  notAfter: string;
}

/** Fixed names of the bundle's own files. */
export const BUNDLE_FILES = { manifest: 'manifest.json', readme: 'README.txt', script: 'Install-Certificate.ps1' } as const;

/** A file-name-safe rendering of a name (DNS names are already safe; anything else becomes `_`). */
export function safeFilePart(s: string, max = 64): string {
  // Windows drops trailing dots and spaces from names, and a leading dot hides a file elsewhere.
  const cleaned = s
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .slice(0, max)
    .replace(/^[._-]+|[._-]+$/g, '');
  return cleaned === '' ? 'certificate' : cleaned;
}

/** The folder of a node's proxy configuration in the bundle. */
export function nodeFolderName(host: string): string {
  return `node-${safeFilePart(host, 100)}`;
}

/** `Certdesk-<subject>-<yyyymmdd-hhmm>` in UTC: sorts by time and says what is inside. */
export function bundleFolderName(subject: string, at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getUTCFullYear()}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}-${p(at.getUTCHours())}${p(at.getUTCMinutes())}`;
  return `Certdesk-${safeFilePart(subject)}-${stamp}`;
}

/** The PFX file name for one profile. */
export function pfxFileName(subject: string, profile: PfxProfile): string {
  return `${safeFilePart(subject)}-${profile}.pfx`;
}

/** A `.cer` file name: role, position, and the CA's CN (or subject) so an admin recognises it. */
export function caFileName(role: 'internal-root' | 'internal-intermediate' | 'public-root' | 'public-intermediate', index: number, subject: string): string {
  const cn = /(?:^|,\s*)CN=((?:\\.|[^,])+)/.exec(subject)?.[1] ?? subject;
  return `${role}-${index}-${safeFilePart(cn.replace(/\\(.)/g, '$1'), 48)}.cer`;
}

/** Text files for Windows: CRLF line ends and a UTF-8 BOM (Notepad and Windows PowerShell 5.1 both read it right). */
export function windowsText(text: string): Uint8Array {
  return new TextEncoder().encode(`\uFEFF${text.replace(/\r?\n/g, '\r\n')}`);
}

/** Every CA certificate file of the bundle. */
export function caFilesOf(plan: BundlePlan): BundleCa[] {
  return [...plan.roots, ...(plan.publicRoot ? [plan.publicRoot] : []), ...plan.intermediates, ...plan.publicIntermediates];
}

/** manifest.json: what is in the bundle, with each file's SHA-256 so anyone can check it. */
export function renderManifest(plan: BundlePlan, files: { path: string; sha256: string; size: number; kind: string; profile?: PfxProfile }[]): string {
  const manifest = {
    format: 'certdesk-bundle',
    formatVersion: 1,
    createdAt: plan.createdAt,
    requestId: plan.requestId,
    friendlyName: plan.friendlyName,
    subject: plan.subject,
    distinguishedName: plan.distinguishedName,
    sans: plan.sans,
    issuer: plan.issuer,
    serialNumber: plan.serialNumber,
    thumbprint: plan.thumbprint,
    certificateSha256: plan.certificateSha256,
    notBefore: plan.notBefore,
    notAfter: plan.notAfter,
    farm: plan.farm,
    password: 'not on this drive: delivered separately',
    nodes: plan.nodes,
    // CA files carry their SHA-1 thumbprint too: the install script and README.txt compare both.
    files: files.map((f) => {
      const ca = caFilesOf(plan).find((c) => c.fileName === f.path);
      return ca ? { ...f, thumbprint: ca.thumbprint } : f;
    }),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
