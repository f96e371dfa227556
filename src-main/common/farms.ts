/**
 * Farms of reverse proxies, deployment tracking, removable drives, USB bundles and the expiry
 * overview: the DTOs the services, the CLI's --json and the renderer share.
 */
import type { PfxProfile } from './exports.js';
import { defaultNodeKind, type NodeKind, type ProxyFileRole } from './proxy.js';

/** Windows versions a reverse-proxy node can run; `other` is anything else (or unknown). */
export const WINDOWS_VERSIONS = ['2008R2', '2012', '2012R2', '2016', '2019', '2022', '2025', 'other'] as const;
/** One Windows version a node can run. */
export type WindowsVersion = (typeof WINDOWS_VERSIONS)[number];

/**
 * The PFX profile a node needs. Windows Server 2008 R2 to 2016 (and TMG 2010, which runs only on
 * 2008 R2) reject AES/SHA-256 PFX files, 2019 and later read them. `other` gets `legacy` because
 * every Windows version and OpenSSL 3 read a 3DES/SHA-1 file, while a modern file fails on old
 * Windows with a misleading "wrong password": the safe choice when the version is unknown.
 */
export function profileForWindowsVersion(version: WindowsVersion): PfxProfile {
  return version === '2019' || version === '2022' || version === '2025' ? 'modern' : 'legacy';
}

/** Human wording of a Windows version, for READMEs and listings. */
export function describeWindowsVersion(version: WindowsVersion): string {
  if (version === 'other') return 'other or unknown OS';
  return `Windows Server ${version.replace('R2', ' R2')}`;
}

/** True when `value` is one of WINDOWS_VERSIONS (case-insensitive callers lower-case first). */
export function isWindowsVersion(value: string): value is WindowsVersion {
  return (WINDOWS_VERSIONS as readonly string[]).includes(value);
}

/** One reverse proxy in a farm. */
export interface FarmNode {
  /** DNS host name, A-label, lower case. */
  host: string;
  windowsVersion: WindowsVersion;
  notes: string;
  /** The reverse proxy it runs (proxy configuration in bundles); absent in farms made before kinds: nodeKindOf decides. */
  kind?: NodeKind;
}

/** The node's proxy kind: the stored one, else the default from its OS. */
export function nodeKindOf(node: Pick<FarmNode, 'windowsVersion' | 'kind'>): NodeKind {
  return node.kind ?? defaultNodeKind(node.windowsVersion);
}

/** A CA certificate the farm's proxies must trust (the internal CA of the Lync servers). */
export interface TrustedCa {
  /** `root` goes to the Trusted Root store, `intermediate` to the Intermediate store. */
  role: 'root' | 'intermediate';
  subject: string;
  issuer: string;
  /** ISO-8601. */
  notAfter: string;
  /** SHA-1 of the DER, upper-case hex: what Windows calls the thumbprint. */
  thumbprint: string;
  /** SHA-256 of the DER, lowercase hex. */
  sha256: string;
  /** The certificate itself (public), PEM. */
  pem: string;
}

/** Where one certificate stands on one node. `not-deployed` is the absence of a record. */
export type DeploymentState = 'not-deployed' | 'deployed' | 'verified';

/** A tracked rollout of one request's certificate to one node. */
export interface Deployment {
  requestId: string;
  host: string;
  state: 'deployed' | 'verified';
  /** SHA-1 thumbprint (upper-case hex) of the certificate that was deployed. */
  thumbprint: string;
  /** ISO-8601. */
  deployedAt: string;
  /** ISO-8601, when the thumbprint on the node was confirmed. */
  verifiedAt?: string;
  operator?: string;
}

/** A farm as stored in `<store>/farms/<name>.json`. */
export interface Farm {
  schemaVersion: 1;
  name: string;
  nodes: FarmNode[];
  trustedCas: TrustedCa[];
  /** Requests whose certificates this farm serves. */
  requestIds: string[];
  deployments: Deployment[];
  /** ISO-8601. */
  createdAt: string;
  updatedAt: string;
}

/** Farm names become file and folder names: keep them portable. */
export const FARM_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** One node's state for one certificate, as `farm show` and `request show` list it. */
export interface NodeDeploymentView {
  requestId: string;
  /** The request's CN. */
  subject: string;
  farm: string;
  host: string;
  windowsVersion: WindowsVersion;
  profile: PfxProfile;
  state: DeploymentState;
  deployedAt?: string;
  verifiedAt?: string;
  operator?: string;
  /** The deployed certificate's thumbprint, when it differs from the request's current one. */
  staleThumbprint?: string;
  /** For a request that renews or was renewed: which certificate of its renewal chain the node has. */
  renewal?: NodeRenewalState;
}

/**
 * Which certificate of a renewal chain one node has: `new` (the newest request of the chain, the
 * renewal being rolled out), `old` (an earlier one of the chain), or `none`. The same for every
 * request of the chain, so the old and the new request's views agree.
 */
export interface NodeRenewalState {
  has: 'old' | 'new' | 'none';
  /** The newest request of the chain. */
  newRequestId: string;
  /** The request of the chain whose certificate is marked on the node (absent for `none`). */
  requestId?: string;
  /** That certificate's SHA-1 thumbprint (absent for `none`). */
  thumbprint?: string;
}

/** A renewal chain's rollout over one farm's nodes (farm show, farms.show): a half-finished rollout at a glance. */
export interface RenewalRollout {
  /** The newest request of the chain. */
  newRequestId: string;
  /** Every request of the chain linked to or deployed in the farm, oldest first, the newest last. */
  requestIds: string[];
  nodes: ({ host: string } & Omit<NodeRenewalState, 'newRequestId'>)[];
  /** True when every node has the new certificate. */
  complete: boolean;
}

/** A removable, writable, mounted volume a bundle can go to. */
export interface DriveInfo {
  /** Device path (`/dev/sdb1`), drive letter (`E:`) or disk identifier (`disk4s1`). */
  device: string;
  label: string;
  mountPoint: string;
  /** Bytes; null when the platform does not say. */
  freeBytes: number | null;
  sizeBytes: number | null;
  fileSystem: string;
  /** False for file systems Windows cannot read (ext4, APFS, HFS+): a bundle there is useless to the proxies. */
  windowsReadable: boolean;
}

/** True when Windows reads this file system natively (FAT, exFAT, NTFS, ReFS, UDF), by any platform's name for it. */
export function isWindowsReadableFileSystem(fileSystem: string): boolean {
  const fs = fileSystem.toLowerCase();
  // Each platform names them differently: lsblk `vfat`, diskutil `msdos` / `MS-DOS (FAT32)`, Windows `FAT32`.
  return fs.includes('fat') || fs.includes('ntfs') || fs.includes('ms-dos') || ['msdos', 'refs', 'udf', 'fuseblk'].includes(fs);
}

/** One file of a written bundle. */
export interface BundleFile {
  /** Path relative to the bundle folder (forward slashes). */
  path: string;
  sha256: string;
  size: number;
  kind: 'pfx' | 'root-ca' | 'intermediate-ca' | 'public-root' | 'public-intermediate' | 'manifest' | 'readme' | 'script' | 'proxy';
  profile?: PfxProfile;
  /** kind `proxy`: the node whose folder holds it (its host name). */
  node?: string;
  /** kind `proxy`: what the file is to that node's reverse proxy. */
  role?: ProxyFileRole;
}

/**
 * Every refusal of a code-signing PFX (`bundle --sign-with`, the bundle form's signing fields) has an
 * ErrorInfo.reason starting with this (a PFX reader's own reason is prefixed too, e.g.
 * `CODE_SIGNING_PFX_WRONG_PASSWORD`), so a form can show it next to those fields.
 */
export const CODE_SIGNING_REASON_PREFIX = 'CODE_SIGNING_';

/** What `bundle` reports. */
export interface BundleResult {
  requestId: string;
  farm: string;
  /** Absolute path of the bundle folder; for a name that is not valid UTF-8, its escaped display text. */
  dir: string;
  /** Only for a folder name that is not valid UTF-8: its exact bytes, base64. */
  dirBytes?: string;
  files: BundleFile[];
  profiles: PfxProfile[];
  /** True once every file was read back from the drive and its SHA-256 matched. */
  verified: boolean;
  /** SHA-1 thumbprint of the bundled certificate, upper-case hex. */
  thumbprint: string;
  /** Index of the export entry whose keychain item holds the password (`certdesk password ID --export N`). */
  passwordExport: number;
  /** True when Certdesk generated the password (the admin must fetch and deliver it separately). */
  passwordGenerated: boolean;
  /** What the admin allowed explicitly, e.g. an incomplete chain (--allow-incomplete-chain). */
  warnings?: string[];
  /** Why the farm's proxy nodes got no configuration in the bundle (e.g. the request was not made from a plan). */
  proxyConfigMissing?: string;
  /** Who signed Install-Certificate.ps1 (Authenticode); absent when the script is not signed. */
  scriptSignedBy?: { subject: string; thumbprint: string; notAfter: string };
}

/** One line of the expiry overview. */
export interface ExpiryEntry {
  requestId: string;
  subject: string;
  /** ISO-8601: the start of the validity (for the expiry timeline). */
  notBefore: string;
  /** ISO-8601. */
  notAfter: string;
  /** Whole days from now until notAfter (negative once expired). */
  daysLeft: number;
  thumbprint: string;
  farms: string[];
  status: string;
}

/** What farms.update / `farm edit` changed. */
export interface FarmEditResult {
  farm: Farm;
  nodesAdded: string[];
  nodesRemoved: string[];
  /** Nodes whose Windows version or notes changed. */
  nodesChanged: string[];
  /** Subjects of the CA certificates added to and removed from the farm's trust. */
  trustAdded: string[];
  trustRemoved: string[];
  /** Deployment records dropped with the removed nodes. */
  deploymentsDropped: number;
}

/** What farms.delete / `farm delete` did. */
export interface FarmDeleteResult {
  name: string;
  /** Requests that were linked to the farm (their certificates and keys are untouched). */
  requestsUnlinked: string[];
  /** Per-node deployment records that went with the farm. */
  deploymentsRemoved: number;
  deleted: true;
}

/** What deployments.undo / `deploy --undo` did. */
export interface UndoDeploymentResult {
  requestId: string;
  farm: string;
  host: string;
  /** The mark that was removed. */
  removed: Deployment;
  /** The request's status afterwards. */
  status: string;
}
