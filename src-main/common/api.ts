/**
 * The CertdeskApi contract: everything the renderer can ask of main, in both shells (Electron IPC
 * and browser mode's POST /rpc). Every method takes at most ONE plain-data params object and
 * resolves to plain data (strings, numbers, ISO-8601 dates, hex, base64): never class instances.
 * On the wire every call is `{ method: 'area.name', params }` and returns `Result<T>`, because an
 * Error thrown through IPC loses everything but its message.
 *
 * Files: the renderer never reads or writes the file system. It names a file by a handle that
 * main's native dialog issued (Electron), or sends the bytes of a file the user dropped or picked
 * in the browser (capped), or pasted text. Key material never crosses; a PFX password only through
 * exports.revealPassword / exports.copyPassword, which the user triggers explicitly.
 */
import type {
  AppInfo,
  ClipboardOutcome,
  CsrContent,
  DecodedFile,
  FarmDetail,
  FarmNodeInput,
  FileHandle,
  FileSource,
  FolderTarget,
  NameSetCheck,
  OpenedTopology,
  OpenPurpose,
  PasswordChoice,
  RepairNote,
  RequestDetail,
  RevealedPassword,
  SavePurpose,
  SaveOutcome,
  SaveTarget,
  Settings,
  SettingsPatch,
  TopologyExample,
} from './api-dto.js';
import type { BackupCreated, BackupStatus, RestoreResult } from './backup.js';
import type { CaCertificateInfo, CaImportResult, CertificateDetail, ImportResult } from './certificates.js';
import type { Result } from './errors.js';
import type { ExportRecord, ExportResult, PfxProfile } from './exports.js';
import type { BundleResult, Deployment, DriveInfo, ExpiryEntry, Farm, FarmDeleteResult, FarmEditResult, NodeDeploymentView, UndoDeploymentResult } from './farms.js';
import type { PlanResult, Topology } from './plan.js';
import type { ProxyConfigParams, ProxyConfigPreview, ProxyConfigResult } from './proxy.js';
import type { CsrFormat, KeySize, NewRequestInput, RenewalPreview, RequestRecord, RequestStatus } from './requests.js';
import type { RequestSummariesSince, RequestSummary } from './request-summary.js';
import type { ImportedTopology, PlanSource, SavedTopology, StoredTopology, StoredTopologySummary } from './topologies.js';

export type * from './api-dto.js';
export { CLIPBOARD_CLEAR_SECONDS, DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS, MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, THEME_CHOICES, UI_LANGUAGES } from './api-dto.js';

// The domain DTOs the contract carries, re-exported so the renderer finds every API type here.
export type { BackupCreated, BackupResult, BackupStatus, RestoreResult } from './backup.js';
export type { CaCertificateInfo, CaImportResult, CertificateDetail, CertificateSummary, ChainEntry, ChainLinkStatus, ImportReport, ImportResult, SanComparison } from './certificates.js';
export type { DecodedCsr } from './csr.js';
export type { ExportRecord, ExportResult, PfxProfile } from './exports.js';
export type { CertificatePlan, PlanFinding, PlannedSan, PlanResult, PublishingRule, Topology } from './plan.js';
export type { ImportedTopology, PlanSource, SavedTopology, StoredTopology, StoredTopologySummary } from './topologies.js';
export type { NodeKind, ProxyConfigParams, ProxyConfigPreview, ProxyConfigResult, ProxyFile, ProxyFileRole, ProxyKind, ProxyPreviewFile, ProxyTextLanguage } from './proxy.js';

/**
 * requests.renewPreview / requests.renew: which request, and where its names come from: a stored
 * topology (`topology`, with the plan's `certificate` number when it has several), else the topology
 * the request keeps, whose other names are used only with `replan`.
 */
export interface RenewParams {
  id: string;
  topology?: string;
  certificate?: number;
  replan?: boolean;
}

/**
 * requests.create: the request as the admin asks for it; with `fromTopology` its names come from
 * that plan (CN and SANs may be left empty, or must be the plan's) and the request records the topology.
 */
export interface CreateRequestParams extends Omit<NewRequestInput, 'fromTopology'> {
  fromTopology?: PlanSource;
}

/**
 * The contract, grouped by area. Handlers implement it (throwing CertdeskError); the shells wrap
 * every return in Result<T> (see CertdeskClient).
 */
export interface CertdeskApi {
  app: {
    info(): Promise<AppInfo>;
    /** Browser mode's heartbeat: the page calls it every few seconds; the server stops when it ceases. */
    ping(): Promise<void>;
    /** The repairs of interrupted writes made at a store lock since the last call, oldest first; each is returned once. */
    repairNotes(): Promise<RepairNote[]>;
  };
  settings: {
    get(): Promise<Settings>;
    update(params: SettingsPatch): Promise<Settings>;
  };
  dialogs: {
    /** Native open dialog (Electron only); [] when cancelled. */
    openFile(params: { purpose: OpenPurpose; multiple?: boolean }): Promise<FileHandle[]>;
    /** Native save dialog (Electron only); null when cancelled. The handle is used once. */
    saveFile(params: { purpose: SavePurpose; suggestedName: string }): Promise<FileHandle | null>;
    /** Native folder picker (Electron only), for bundles; null when cancelled. */
    chooseFolder(): Promise<FileHandle | null>;
  };
  names: {
    /** The name rules of pki.md section 3, for checking as the admin types. */
    check(params: { commonName: string; sans: string[]; publicCa?: boolean }): Promise<NameSetCheck>;
  };
  plans: {
    /** Plans from topology JSON text (the editor's content). */
    fromText(params: { text: string }): Promise<PlanResult>;
    /** Reads a topology file (dialog handle or dropped bytes) and plans it. */
    openFile(params: { source: FileSource }): Promise<OpenedTopology>;
    /** The bundled example topologies (Contoso first). */
    examples(): Promise<TopologyExample[]>;
  };
  topologies: {
    /** The topologies kept in the store, by name ([] without a store). */
    list(): Promise<StoredTopologySummary[]>;
    /** One stored topology with its content. */
    show(params: { name: string }): Promise<StoredTopology>;
    /** Validates and stores a topology under `name`, replacing an earlier one of that name. */
    save(params: { name: string; topology: Topology; savedFrom?: string }): Promise<SavedTopology>;
    /** Deletes a stored topology (requests made from it keep their copies). */
    delete(params: { name: string }): Promise<{ name: string; deleted: true }>;
    /** Reads a Lync topology document (or Certdesk JSON) into topology JSON, with what was read and assumed. */
    import(params: { source: FileSource }): Promise<ImportedTopology>;
    /** Writes the topology as canonical JSON to a save-dialog handle or typed path, or returns it as a download. */
    saveFile(params: { topology: Topology; fileName: string; target: SaveTarget }): Promise<SaveOutcome>;
  };
  requests: {
    /** Generates the key and CSR, stores the request as pending. Slow (key generation) but never blocks main. */
    create(params: CreateRequestParams): Promise<RequestRecord>;
    list(params: { status?: RequestStatus; search?: string }): Promise<RequestRecord[]>;
    /** Like list, each request as the Requests view's row (a RequestSummary) instead of the full record. */
    summaries(params: { status?: RequestStatus; search?: string }): Promise<RequestSummary[]>;
    /**
     * Every request's summary with the listing's version, or `summaries: null` when the listing still
     * has the `version` the caller holds (every request.json is checked, as for summaries): a return
     * visit of the Requests view keeps its rows instead of receiving and parsing them again.
     */
    summariesSince(params: { version?: string }): Promise<RequestSummariesSince>;
    show(params: { id: string }): Promise<RequestDetail>;
    getCsr(params: { id: string; format: CsrFormat }): Promise<CsrContent>;
    /** Writes the CSR to a dialog handle or typed path, or returns it as a download. */
    saveCsr(params: { id: string; format: CsrFormat; target: SaveTarget }): Promise<SaveOutcome>;
    /** The issued certificate as an admin checks it: identity, SANs requested vs issued, the chain with each link's status. */
    certificate(params: { id: string }): Promise<CertificateDetail>;
    /** Writes the issued certificate (DER, .cer) to a dialog handle or typed path, or returns it as a download. */
    saveCertificate(params: { id: string; target: SaveTarget }): Promise<SaveOutcome>;
    /** Deletes the request and destroys its encrypted key. */
    delete(params: { id: string }): Promise<void>;
    /**
     * What renewing would give, before any key is made: the names now, the names of a plan (a stored
     * topology, or the topology the request keeps), which are used, and pending renewals.
     */
    renewPreview(params: RenewParams): Promise<RenewalPreview>;
    /** Renews: a new key and CSR with the same names and options (or the plan's); the new record carries `renews`. */
    renew(params: RenewParams & { keySize?: KeySize; force?: boolean }): Promise<RequestRecord>;
    /**
     * Adopts a certificate and key from a PFX made elsewhere (an `issued` request with origin
     * `adopted`). The password only opens the file: never stored, logged or sent back.
     */
    adoptPfx(params: { source: FileSource; password: string; friendlyName?: string }): Promise<RequestRecord>;
  };
  decode: {
    /** Decodes any CSR or certificate file (PEM, DER, PKCS#7) for reading. */
    file(params: { source: FileSource }): Promise<DecodedFile>;
  };
  certificates: {
    /** Imports the CA's answer, finds its request by public key, verifies it and reports. */
    importAnswer(params: { sources: FileSource[]; requestId?: string; acceptMismatch?: boolean }): Promise<ImportResult>;
    /** Imports root/intermediate CA certificates on their own. */
    importCa(params: { sources: FileSource[] }): Promise<CaImportResult>;
    listCa(): Promise<CaCertificateInfo[]>;
  };
  exports: {
    /** Builds, writes, reads back and records a PFX; the password goes to the OS keychain, not the reply. */
    create(params: {
      id: string;
      profile?: PfxProfile;
      password: PasswordChoice;
      includeRoot?: boolean;
      iterations?: number;
      target: SaveTarget;
      /** Export even when no path to a root is known (the result's warnings say so). */
      allowIncompleteChain?: boolean;
      /** Replace an existing file at a typed path (the app's Overwrite box; a native save dialog asks by itself). */
      overwrite?: boolean;
    }): Promise<ExportResult>;
    list(params: { id: string }): Promise<ExportRecord[]>;
    /** The stored password of an export (the latest when `exportNumber` is absent). */
    revealPassword(params: { id: string; exportNumber?: number }): Promise<RevealedPassword>;
    /** Copies it to the clipboard, cleared after CLIPBOARD_CLEAR_SECONDS. */
    copyPassword(params: { id: string; exportNumber?: number }): Promise<ClipboardOutcome>;
  };
  farms: {
    add(params: { name: string; nodes: FarmNodeInput[]; trust?: FileSource[] }): Promise<Farm>;
    list(): Promise<Farm[]>;
    show(params: { name: string }): Promise<FarmDetail>;
    linkRequest(params: { name: string; requestId: string }): Promise<Farm>;
    /** Edits a farm: `nodes` is the whole node list afterwards; trusted CAs are added (files) or removed (SHA-256/SHA-1). */
    update(params: { name: string; nodes?: FarmNodeInput[]; addTrust?: FileSource[]; removeTrust?: string[] }): Promise<FarmEditResult>;
    /** Deletes a farm; CONFLICT while a linked request still needs it, unless `confirm`. */
    delete(params: { name: string; confirm?: boolean }): Promise<FarmDeleteResult>;
  };
  drives: {
    /** Removable, writable, mounted volumes. */
    list(): Promise<DriveInfo[]>;
  };
  bundles: {
    /** Writes the farm bundle (PFX per profile, CA certs, manifest, README, script) and verifies it. */
    write(params: {
      id: string;
      farm: string;
      target: FolderTarget;
      password: PasswordChoice;
      includePublicRoot?: boolean;
      /** Write the bundle even when no path to a root is known (the result's warnings say so). */
      allowIncompleteChain?: boolean;
      /**
       * Sign Install-Certificate.ps1 with a code-signing PFX (Authenticode). File and password are
       * read main-side for this one call, never stored or returned.
       */
      signWith?: { source: FileSource; password: string };
    }): Promise<BundleResult>;
  };
  proxyConfig: {
    /**
     * One proxy kind's configuration from a plan's publishing rules, to read, copy and download: the
     * text files (configuration, script, checklist, PEM certificates) and the rules; never key material.
     */
    prepare(params: ProxyConfigParams): Promise<ProxyConfigPreview>;
    /** Writes every file the kind needs into a folder, key material under a password kept in the OS keychain (as `proxy-config --out`). */
    save(params: ProxyConfigParams & { target: FolderTarget; password: PasswordChoice }): Promise<ProxyConfigResult>;
  };
  deployments: {
    /** Marks the request's certificate deployed on a node, or verified when the thumbprint is given. */
    mark(params: { id: string; node: string; farm?: string; operator?: string; verifiedThumbprint?: string }): Promise<Deployment>;
    /** Where the request's certificate stands on each linked node. */
    list(params: { id: string }): Promise<NodeDeploymentView[]>;
    /** Removes the deployment mark on a node (history event `deployment-undone`). */
    undo(params: { id: string; node: string; farm?: string }): Promise<UndoDeploymentResult>;
  };
  expiry: {
    /** Issued certificates by days left; only those expiring within `withinDays` when given; superseded ones only with `all`. */
    list(params: { withinDays?: number; all?: boolean }): Promise<ExpiryEntry[]>;
  };
  backup: {
    /** When the store was last backed up, and whether a store with keys needs a reminder. */
    status(): Promise<BackupStatus>;
    /** Writes an encrypted backup (age, passphrase) of the store; a generated passphrase comes back once. */
    create(params: { target: SaveTarget; passphrase: PasswordChoice }): Promise<BackupCreated>;
    /** Restores a backup into the app's store folder, which must be empty or missing. */
    restore(params: { source: FileSource; passphrase: string }): Promise<RestoreResult>;
  };
}

/** One area of the contract. */
export type ApiArea = keyof CertdeskApi;

/** A method's wire name, `area.name`. */
export type ApiMethod = { [A in ApiArea]: `${A}.${keyof CertdeskApi[A] & string}` }[ApiArea];

/** Every method, in contract order: preload and the test harness build clients from this list. */
export const API_METHODS = [
  'app.info',
  'app.ping',
  'app.repairNotes',
  'settings.get',
  'settings.update',
  'dialogs.openFile',
  'dialogs.saveFile',
  'dialogs.chooseFolder',
  'names.check',
  'plans.fromText',
  'plans.openFile',
  'plans.examples',
  'topologies.list',
  'topologies.show',
  'topologies.save',
  'topologies.delete',
  'topologies.import',
  'topologies.saveFile',
  'requests.create',
  'requests.list',
  'requests.summaries',
  'requests.summariesSince',
  'requests.show',
  'requests.getCsr',
  'requests.saveCsr',
  'requests.certificate',
  'requests.saveCertificate',
  'requests.delete',
  'requests.renewPreview',
  'requests.renew',
  'requests.adoptPfx',
  'decode.file',
  'certificates.importAnswer',
  'certificates.importCa',
  'certificates.listCa',
  'exports.create',
  'exports.list',
  'exports.revealPassword',
  'exports.copyPassword',
  'farms.add',
  'farms.list',
  'farms.show',
  'farms.linkRequest',
  'farms.update',
  'farms.delete',
  'drives.list',
  'bundles.write',
  'proxyConfig.prepare',
  'proxyConfig.save',
  'deployments.mark',
  'deployments.list',
  'deployments.undo',
  'expiry.list',
  'backup.status',
  'backup.create',
  'backup.restore',
] as const satisfies readonly ApiMethod[];

// Compile-time proof that API_METHODS names every method of CertdeskApi (and nothing else).
type MissingMethods = Exclude<ApiMethod, (typeof API_METHODS)[number]>;
const _everyMethodListed: [MissingMethods] extends [never] ? true : MissingMethods = true;
void _everyMethodListed;

type MethodOf<M extends ApiMethod> = M extends `${infer A}.${infer N}`
  ? A extends ApiArea
    ? N extends keyof CertdeskApi[A]
      ? CertdeskApi[A][N]
      : never
    : never
  : never;

/** The params object of a method (`undefined` for methods without one). */
export type ApiParams<M extends ApiMethod> = MethodOf<M> extends (...args: infer P) => unknown ? P[0] : never;

/** What a method resolves to. */
export type ApiValue<M extends ApiMethod> = MethodOf<M> extends (...args: never[]) => Promise<infer R> ? R : never;

/** The server-side implementation of one method: takes validated params, throws CertdeskError. */
export type ApiHandlers = { [M in ApiMethod]: (params: ApiParams<M>) => Promise<ApiValue<M>> };

/** What the renderer holds (`window.certdesk` in Electron): the contract with every reply wrapped in Result. */
export type CertdeskClient = {
  [A in ApiArea]: {
    [N in keyof CertdeskApi[A]]: CertdeskApi[A][N] extends (...args: infer P) => Promise<infer R> ? (...args: P) => Promise<Result<R>> : never;
  };
};

/** The Electron IPC channel of the one ipcMain.handle site. */
export const IPC_CHANNEL = 'certdesk:rpc';

/** Browser mode's only endpoint. */
export const RPC_PATH = '/rpc';

/** The body of one call (browser mode also sends `Authorization: Bearer <token>`). */
export interface RpcRequest {
  method: string;
  params?: unknown;
}
