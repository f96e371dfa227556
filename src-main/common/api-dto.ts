import type { NodeKind } from './proxy.js';
/**
 * The plain-data shapes the CertdeskApi contract (api.ts) carries that belong to the contract itself:
 * shell capabilities, file sources and save targets, and the replies that combine domain DTOs.
 * Import them from api.ts, which re-exports everything here.
 */
import type { CertificateIdentity } from './certificates.js';
import type { DecodedCsr } from './csr.js';
import type { PfxProfile } from './exports.js';
import type { Farm, NodeDeploymentView, RenewalRollout, WindowsVersion } from './farms.js';
import type { Finding } from './findings.js';
import type { PlanResult } from './plan.js';
import type { CsrFormat, RenewalChainEntry, RequestRecord } from './requests.js';

/** Which shell serves the renderer. */
export type ShellMode = 'electron' | 'browser';

/** What the current shell can do, so the renderer offers the right controls. */
export interface ShellCapabilities {
  /** Native open/save/folder dialogs (dialogs.*): Electron only. */
  nativeDialogs: boolean;
  /** Destinations may be typed as paths (`{ kind: 'path' }`): browser mode only, where no dialog exists. */
  typedPaths: boolean;
  /** `{ kind: 'download' }` save targets: the content comes back for the browser to download. */
  downloads: boolean;
  /** Who writes the clipboard on exports.copyPassword: main (Electron) or the page (browser mode). */
  clipboard: 'main' | 'renderer';
}

/** app.info: what and where this Certdesk is. */
export interface AppInfo {
  name: string;
  version: string;
  mode: ShellMode;
  /** node's process.platform of the machine main runs on. */
  platform: string;
  storeDir: string;
  capabilities: ShellCapabilities;
}

/** The languages the UI ships: English first, then the zh-TW of the reference procedure. */
export const UI_LANGUAGES = ['en', 'zh-TW'] as const;
/** One UI language. */
export type UiLanguage = (typeof UI_LANGUAGES)[number];

/** The colour scheme: follow the system's light/dark preference, or pin one. */
export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
/** One colour-scheme choice. */
export type ThemeChoice = (typeof THEME_CHOICES)[number];

/** Expiry thresholds when none are saved: red within 30 days, amber within 60 (XCA-style colours). */
export const DEFAULT_EXPIRY_DAYS = { critical: 30, warning: 60 } as const;
/** The longest threshold accepted, in days (about three years: beyond any certificate's validity today). */
export const MAX_EXPIRY_DAYS = 1095;

/** User settings persisted in `<store>/settings.json`. */
export interface Settings {
  /** Read-only here: chosen with --store / CERTDESK_HOME, shown for orientation. */
  storeDir: string;
  /** Profile preselected for PFX exports. */
  defaultPfxProfile: PfxProfile;
  /**
   * The UI language the admin chose, or null to follow the system. Kept in the store rather than in
   * the browser, because browser mode gets a new origin (port) on every launch.
   */
  language: UiLanguage | null;
  /** The UI's colour scheme. */
  theme: ThemeChoice;
  /** Days left at or below which a certificate shows as critical (red) in the expiry view. */
  expiryCriticalDays: number;
  /** Days left at or below which a certificate shows as a warning (amber); never below the critical one. */
  expiryWarningDays: number;
}

/** The part of Settings the user can change. */
export interface SettingsPatch {
  defaultPfxProfile?: PfxProfile;
  language?: UiLanguage;
  theme?: ThemeChoice;
  expiryCriticalDays?: number;
  expiryWarningDays?: number;
}

/** What a native open dialog is for: picks its title and file filters. */
export type OpenPurpose = 'topology' | 'csr' | 'certificate' | 'any' | 'backup';
/** What a native save dialog is for: picks its title and file filters. */
export type SavePurpose = 'csr' | 'pfx' | 'backup' | 'certificate' | 'topology';

/** A file or folder the user picked in a native dialog; main keeps the path behind the handle. */
export interface FileHandle {
  /** Opaque, random, valid for this app session only. */
  handle: string;
  /** Base name, for display. */
  name: string;
  /** Full path, for display only: methods take the handle, never the path. */
  path: string;
}

/** Most bytes one file sent from the renderer may have (topologies, CSRs and certificates are far smaller). */
export const MAX_UPLOAD_BYTES = 1024 * 1024;
/** Most files one call may carry. */
export const MAX_UPLOAD_FILES = 10;

/** An input file: picked with a native dialog, dropped/picked in the page (bytes), or pasted (text). */
export type FileSource =
  | { kind: 'handle'; handle: string }
  | { kind: 'bytes'; name: string; base64: string }
  | { kind: 'text'; text: string };

/**
 * Where a file goes: a handle from dialogs.saveFile (Electron), a path typed by the user (browser
 * mode only), or back to the page as a download (browser mode, where the method allows it).
 */
export type SaveTarget = { kind: 'handle'; handle: string } | { kind: 'path'; path: string } | { kind: 'download' };

/** Where a bundle folder goes: a removable drive from drives.list, a folder handle, or a typed path (browser mode). */
export type FolderTarget = { kind: 'drive'; mountPoint: string } | { kind: 'handle'; handle: string } | { kind: 'path'; path: string };

/** Result of a save: written to `path`, or content for the browser to download. */
export type SaveOutcome = { kind: 'saved'; path: string } | { kind: 'download'; fileName: string; mediaType: string; base64: string };

/** A CSR in one of the procedure's formats, ready to copy or download. */
export interface CsrContent {
  format: CsrFormat;
  /** Suggested file name, e.g. `webext.contoso.com.req` (base64) or `.der`. */
  fileName: string;
  mediaType: string;
  /** The exact file bytes, base64. */
  base64: string;
  /** The PEM text (format base64 only), for copy to the clipboard. */
  pem: string | null;
}

/** requests.show: the record, its decoded CSR and the certutil-style text of it (both null for an adopted certificate). */
export interface RequestDetail {
  record: RequestRecord;
  csr: DecodedCsr | null;
  csrText: string | null;
  /** Where its certificate stands on each farm node it is linked to. */
  deployments: NodeDeploymentView[];
  /** Its renewal chain, oldest first, itself included (just itself when it stands alone). */
  renewalChain?: RenewalChainEntry[];
}

/** names.check: the name set as the request would carry it, and the rule findings. */
export interface NameSetCheck {
  commonName: string;
  /** A-labels, CN first, deduplicated. */
  sans: string[];
  findings: Finding[];
}

/** A bundled example topology (examples/*.json). */
export interface TopologyExample {
  /** File name without `.json`, e.g. `contoso`. */
  name: string;
  text: string;
}

/** plans.openFile: the topology text (for the editor) and its plan. */
export interface OpenedTopology {
  fileName: string;
  text: string;
  result: PlanResult;
}

/** A certificate read from a file for display (decode.file). */
export interface DecodedCertificate extends CertificateIdentity {
  publicKeySha256: string;
  dnsNames: string[];
  ipAddresses: string[];
  keyUsage: string[] | null;
  extendedKeyUsage: string[] | null;
  /** basicConstraints cA; null when absent. */
  isCa: boolean | null;
  selfIssued: boolean;
}

/** decode.file: whatever the file holds, decoded, with a certutil-style text. */
export type DecodedFile =
  | { kind: 'csr'; fileName: string; csr: DecodedCsr; text: string }
  | { kind: 'certificates'; fileName: string; certificates: DecodedCertificate[]; text: string };

/** How a PFX password is chosen: generated by Certdesk (the default), or supplied by the admin. */
export type PasswordChoice = { kind: 'generate' } | { kind: 'supplied'; password: string };

/** exports.revealPassword: the stored password of export `exportNumber`. */
export interface RevealedPassword {
  exportNumber: number;
  password: string;
}

/** exports.copyPassword: main wrote the clipboard, or (browser mode) the page must, with this password. */
export type ClipboardOutcome =
  | { by: 'main'; exportNumber: number; clearAfterSeconds: number }
  | { by: 'renderer'; exportNumber: number; password: string; clearAfterSeconds: number };

/** Seconds after which a copied PFX password is cleared from the clipboard (if it is still there). */
export const CLIPBOARD_CLEAR_SECONDS = 30;

/** A node as the farms.add form gives it. */
export interface FarmNodeInput {
  host: string;
  windowsVersion: WindowsVersion;
  notes?: string;
  /** The reverse proxy it runs; default from the OS (defaultNodeKind). */
  kind?: NodeKind;
}

/** farms.show: the farm and where each linked certificate stands per node. */
export interface FarmDetail {
  farm: Farm;
  deployments: NodeDeploymentView[];
  /** The requests linked to the farm. */
  requests: RequestRecord[];
  /** Per renewal chain in the farm: which node has the old, the new or no certificate of it. */
  rollouts?: RenewalRollout[];
}

/**
 * How a repair of an interrupted write (a process killed mid-export, mid-bundle, ...) ended, found
 * when the store was next locked: finished (it had been recorded), rolled back (it had not), or
 * still pending (tried again by the next change).
 */
export type RepairOutcome = 'finished' | 'rolled-back' | 'pending';

/** One repair the app made (app.repairNotes): when, how it ended, and the store's sentence (English, names the files). */
export interface RepairNote {
  at: string;
  outcome: RepairOutcome;
  message: string;
}
