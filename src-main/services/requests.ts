import { readFile, unlink } from 'node:fs/promises';
import { domainToASCII } from 'node:url';
import { escapeDnValue, type DecodedCsr } from '../common/csr.js';
import { CertdeskError } from '../common/errors.js';
import type { Finding } from '../common/findings.js';
import {
  type CsrFormat,
  KEY_SIZES,
  type KeySize,
  type NewRequestInput,
  REQUEST_STATUSES,
  type RequestRecord,
  type RenewalChainEntry,
  type RequestStatus,
  type SubjectFields,
  type TopologyForRequest,
} from '../common/requests.js';
import { canonicalTopologyJson, defaultPlanFriendlyName, REQUEST_TOPOLOGY_FILE, type RequestTopology } from '../common/topologies.js';
import { parseTopologyText } from '../planning/topology-file.js';
import { CSR_PEM_LABEL, createCsr, normalizeSubject } from '../pki/csr-create.js';
import { parseCsr } from '../pki/csr-decode.js';
import { sha256Hex } from '../pki/fingerprint.js';
import { generateRsaKeyPair } from '../pki/keys.js';
import { checkNameSet } from '../pki/names.js';
import { decodePemBlocks, toPem } from '../pki/pem.js';
import { newRequestId } from '../store/ids.js';
import { storeKeyAccount } from '../store/store-key.js';
import { loadPath, type UserPath } from '../store/user-path.js';
import { preloadRecordValidator, type Store } from '../store/store.js';
import { nowOf, openStore, openStoreIfExists, type ServiceContext } from './context.js';
import { pfxPasswordAccount } from './export.js';
import { renewalChain } from './renewal-chain.js';

const MAX_SANS = 500;

function invalid(message: string): never {
  throw new CertdeskError('INVALID_INPUT', message);
}

/** Free text shown in lists and carried into the PFX: one line, bounded. */
function freeText(value: unknown, label: string, max: number): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') invalid(`the ${label} must be text`);
  const v = value.trim();
  if ([...v].length > max) invalid(`the ${label} is longer than ${max} characters`);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f-\u009f]/.test(v)) invalid(`the ${label} contains a control character (it must be one line)`);
  return v;
}

function bool(value: unknown, label: string, dflt: boolean): boolean {
  if (value === undefined) return dflt;
  if (typeof value !== 'boolean') invalid(`${label} must be true or false`);
  return value;
}

function keySizeOf(value: unknown): KeySize {
  if (value === undefined) return 2048;
  if (!(KEY_SIZES as readonly unknown[]).includes(value)) invalid(`the key size must be one of ${KEY_SIZES.join(', ')} bits`);
  return value as KeySize;
}

/** `CN=..., OU=..., O=..., L=..., ST=..., C=..`: most specific first, as the CSR prints it. */
function distinguishedName(s: SubjectFields): string {
  const parts: [string, string | undefined][] = [
    ['CN', s.commonName],
    ['OU', s.organizationalUnit],
    ['O', s.organization],
    ['L', s.locality],
    ['ST', s.state],
    ['C', s.country],
  ];
  return parts
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeDnValue(v)}`)
    .join(', ');
}

/** Validates what a caller asked for, before any key is generated. */
function checkInput(input: NewRequestInput) {
  if (input === null || typeof input !== 'object') invalid('the request is missing');
  if (input.subject === null || typeof input.subject !== 'object') invalid('the subject is missing');
  if (typeof input.subject.commonName !== 'string' || input.subject.commonName.trim() === '') invalid('the subject CN (the FQDN the certificate is for) is missing');
  const sans = input.sans ?? [];
  if (!Array.isArray(sans) || sans.some((s) => typeof s !== 'string')) invalid('the SANs must be a list of DNS names');
  if (sans.length > MAX_SANS) invalid(`a request takes at most ${MAX_SANS} SANs`);
  const subject = normalizeSubject(input.subject);
  const names = checkNameSet(subject.commonName, sans);
  const errors = names.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    const all = errors.map((f) => f.message.replace(/\.$/, '')).join('; ');
    invalid(errors.length === 1 ? `the names are refused: ${all}` : `the names are refused (${errors.length} errors): ${all}`);
  }
  return {
    subject: { ...subject, commonName: names.commonName },
    sans: names.sans,
    findings: names.findings,
    friendlyName: freeText(input.friendlyName, 'friendly name', 256),
    description: freeText(input.description, 'description', 1024),
    keySize: keySizeOf(input.keySize),
    exportable: bool(input.exportable, 'exportable', true),
    windowsAttributes: bool(input.windowsAttributes, 'windowsAttributes', true),
    friendlyNameGiven: input.friendlyName !== undefined,
    topology: input.fromTopology === undefined ? null : checkTopologyOrigin(input.fromTopology),
  };
}

/**
 * The topology a plan request came from, validated again (the renderer sends its text) and put in
 * canonical form, whose SHA-256 the record keeps next to the copy in the request folder.
 */
function checkTopologyOrigin(from: TopologyForRequest): { origin: RequestTopology; json: string } {
  if (from === null || typeof from !== 'object') invalid('the topology the request comes from is missing');
  if (!['stored', 'file', 'form'].includes(from.kind)) invalid('the topology kind must be stored, file or form');
  const source = freeText(from.source, 'topology source', 255);
  if (!Number.isInteger(from.certificate) || from.certificate < 1) invalid('the plan certificate must be a number from 1');
  if (typeof from.text !== 'string') invalid('the topology must be text');
  const json = canonicalTopologyJson(parseTopologyText(from.text, source || 'the topology'));
  return { origin: { kind: from.kind, source, sha256: sha256Hex(Buffer.from(json, 'utf8')), certificate: from.certificate }, json };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Creates a request: validates the input and names (refusing on any error finding), generates the
 * RSA key (outside the store lock: it takes seconds), builds the CSR to the profile, and stores
 * everything atomically with the key encrypted. Audits `key-generated`.
 */
export async function createRequest(ctx: ServiceContext, input: NewRequestInput, renewal?: RenewalLink): Promise<RequestRecord> {
  const req = checkInput(input);
  // The key is made on the thread pool while the store and the keychain are opened: they do not
  // depend on each other, and a 2048-bit key takes about as long as both together. A store or
  // keychain failure still wins (the key is then dropped unused, never stored).
  const generating = generateRsaKeyPair(req.keySize);
  void generating.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
  const store = await openStore(ctx);
  // Fail on a missing keychain before the request is built. While the keychain helper starts and the
  // key is made, the main thread is idle: load the record validator (zod) then, not after.
  const storeKey = store.ensureStoreKey();
  preloadRecordValidator();
  await storeKey;
  const keyPair = await generating;
  const keyAt = nowOf(ctx).toISOString();
  const csr = createCsr({ subject: req.subject, sans: req.sans, windowsAttributes: req.windowsAttributes }, keyPair.privateKey);
  const now = nowOf(ctx);
  const at = now.toISOString();
  const dn = distinguishedName(req.subject);
  const cnAdded = req.findings.some((f) => f.code === 'NAME_CN_ADDED_TO_SAN');
  const publicKeySha256 = sha256Hex(keyPair.spkiDer);
  const keyDetail = `RSA ${req.keySize}-bit key generated (${req.exportable ? 'exportable' : 'not exportable'}); public key SHA-256 ${publicKeySha256}`;
  const csrDetail =
    `CSR created for ${dn} with ${plural(req.sans.length, 'DNS name')} (${req.sans.join(', ')})` +
    (cnAdded ? '; the CN was added to the SAN list automatically' : '') +
    (req.windowsAttributes ? '; with the Microsoft enrollment attribute (key type Exchange, SChannel CSP)' : '');
  const findings: Finding[] = req.findings.filter((f) => f.severity !== 'error');
  return store.withLock(async () => {
    const friendlyName = req.topology && !req.friendlyNameGiven ? defaultPlanFriendlyName(req.subject.commonName, now) : req.friendlyName;
    const record: RequestRecord = {
      schemaVersion: 1,
      id: await freshId(store, now),
      friendlyName,
      description: req.description,
      subject: req.subject.commonName,
      subjectFields: req.subject,
      distinguishedName: dn,
      sans: req.sans,
      keyAlgorithm: 'RSA',
      keySize: req.keySize,
      exportable: req.exportable,
      keySpec: 'exchange',
      windowsAttributes: req.windowsAttributes,
      status: 'pending',
      createdAt: at,
      updatedAt: at,
      publicKeySha256,
      csrSha256: sha256Hex(csr.der),
      findings,
      history: [
        { at: keyAt, event: 'key-generated', detail: keyDetail },
        { at, event: 'csr-created', detail: csrDetail },
      ],
      ...(req.topology ? { topology: req.topology.origin } : {}),
    };
    if (req.topology) {
      const t = req.topology.origin;
      const from = t.kind === 'stored' ? `stored topology ${t.source}` : t.kind === 'file' ? `topology file ${t.source}` : `the topology form${t.source ? ` (${t.source})` : ''}`;
      record.history.push({ at, event: 'planned-from-topology', detail: `names from certificate ${t.certificate} of the plan of ${from} (SHA-256 ${t.sha256}); a copy is kept with the request` });
    }
    const extra = req.topology ? [{ name: REQUEST_TOPOLOGY_FILE, data: req.topology.json }] : [];
    // Checked again under the lock: another renewal may have been made since the caller looked.
    await renewal?.check(store);
    if (renewal) {
      record.renews = renewal.renews;
      record.history.push({ at, event: 'renews', detail: `renews request ${renewal.renews}: ${renewal.detail}` });
    }
    // The key-generated line is written with the commit: a crash between the two is repaired at the next lock.
    await store.createRequest(record, { csrDer: csr.der, privateKeyPem: keyPair.privateKeyPem, extra, audit: { event: 'key-generated', requestId: record.id, detail: `${keyDetail}; for ${dn}` } });
    if (renewal) {
      // The new request exists first: a crash here leaves a renewal whose old request does not name it
      // yet, which `request show` still finds through `renews`; never the other way round.
      const detail = `renewed by request ${record.id} (new ${req.keySize}-bit key, public key SHA-256 ${publicKeySha256})`;
      await store.updateRequest(renewal.renews, (r) => {
        r.history.push({ at, event: 'renewed-by', detail });
        return r;
      });
      await store.appendAudit({ event: 'renewed-by', requestId: renewal.renews, detail });
    }
    return record;
  });
}

/** How createRequest links a renewal to the request it renews (services/renew.ts). */
export interface RenewalLink {
  /** The id of the request renewed. */
  renews: string;
  /** What the renewal keeps or changes, for the `renews` history event. */
  detail: string;
  /** Runs under the store lock before anything is written; throws to refuse (e.g. a pending renewal). */
  check(store: Store): Promise<void>;
}

/** A new id that no stored request has (ids carry 20 random bits per second; collisions are retried). */
export async function freshId(store: Store, now: Date): Promise<string> {
  const taken = new Set(await store.listRequestIds());
  for (;;) {
    const id = newRequestId(now);
    if (!taken.has(id)) return id;
  }
}

/** The id `idOrPrefix` names (an exact id or a unique prefix), for every service taking an id. */
export async function resolveRequestId(ctx: ServiceContext, idOrPrefix: string): Promise<string> {
  return (await openStore(ctx, { mustExist: true })).resolveId(idOrPrefix);
}

function matches(r: RequestRecord, needles: string[]): boolean {
  const hay = [r.id, r.friendlyName, r.description, r.subject, r.distinguishedName, ...r.sans].map((s) => s.toLowerCase());
  return needles.some((n) => hay.some((h) => h.includes(n)));
}

/**
 * Stored requests, oldest first, optionally filtered by status and by a case-insensitive search over
 * id, friendly name, description, subject and SANs (an internationalized name also matches its A-label).
 * Damaged requests are skipped and reported through ctx.warn.
 */
export async function listRequests(ctx: ServiceContext, f: { status?: RequestStatus; search?: string } = {}): Promise<RequestRecord[]> {
  return (await listRequestsWithLinks(ctx, f)).records;
}

/**
 * listRequests plus, for every listed request, the ids of the requests that renew it (found over the
 * whole store, so a filtered listing still shows links to requests it leaves out).
 */
export async function listRequestsWithLinks(ctx: ServiceContext, f: { status?: RequestStatus; search?: string } = {}): Promise<{ records: RequestRecord[]; renewedBy: Record<string, string[]> }> {
  if (f.status !== undefined && !(REQUEST_STATUSES as readonly string[]).includes(f.status)) {
    invalid(`unknown status "${String(f.status)}"; use one of ${REQUEST_STATUSES.join(', ')}`);
  }
  const store = await openStoreIfExists(ctx);
  if (!store) return { records: [], renewedBy: {} };
  const { records, problems } = await store.scanRequests();
  for (const p of problems) ctx.warn?.(`skipped request ${p.id}: ${p.message}`);
  const search = f.search?.trim().toLowerCase() ?? '';
  const needles = search === '' ? [] : [...new Set([search, domainToASCII(search) || search])];
  const listed = records.filter((r) => (f.status === undefined || r.status === f.status) && (needles.length === 0 || matches(r, needles)));
  const renewedBy: Record<string, string[]> = {};
  for (const r of records) if (r.renews !== undefined) (renewedBy[r.renews] ??= []).push(r.id);
  return { records: listed, renewedBy };
}

/** The request's CSR DER, checked against the record's hash; null for an adopted certificate (no CSR). */
async function readCsrDerIfAny(store: Store, id: string, record: RequestRecord): Promise<Uint8Array | null> {
  if (record.csrSha256 === undefined) return null;
  return readCsrDer(store, id, record);
}

/** The request's CSR DER, checked against the record's hash. */
async function readCsrDer(store: Store, id: string, record: RequestRecord): Promise<Uint8Array> {
  if (record.csrSha256 === undefined) {
    throw new CertdeskError('NOT_FOUND', `request ${id} was adopted from a PFX and has no CSR; renew it for a new one (certdesk request renew ${id})`);
  }
  const bytes = await store.readRequestFile(id, 'request.csr');
  if (bytes === null) throw new CertdeskError('STORE_CORRUPT', `request ${id} is damaged: its request.csr is missing`);
  let der: Uint8Array | undefined;
  try {
    der = decodePemBlocks(bytes)[0]?.der;
  } catch {
    der = undefined;
  }
  if (!der || sha256Hex(der) !== record.csrSha256) {
    throw new CertdeskError('STORE_CORRUPT', `request ${id} is damaged: its request.csr does not match the record`);
  }
  return der;
}

/**
 * The record, its decoded CSR (null for an adopted certificate, which has none) and its renewal
 * chain, oldest first, this request included (just itself when it was never renewed nor renews).
 */
export async function showRequest(ctx: ServiceContext, id: string): Promise<{ record: RequestRecord; csr: DecodedCsr | null; renewalChain: RenewalChainEntry[] }> {
  const store = await openStore(ctx, { mustExist: true });
  const realId = await store.resolveId(id);
  const record = await store.getRequest(realId);
  const der = await readCsrDerIfAny(store, realId, record);
  // Found through `renews` of every record, so it holds even if a crash cut the old one's `renewed-by` event.
  const chain = renewalChain(await store.listRequests(), realId);
  return { record, csr: der ? parseCsr(der) : null, renewalChain: chain.map(chainEntry) };
}

function chainEntry(r: RequestRecord): RenewalChainEntry {
  return {
    id: r.id,
    status: r.status,
    subject: r.subject,
    createdAt: r.createdAt,
    ...(r.renews !== undefined ? { renews: r.renews } : {}),
    ...(r.certificate ? { thumbprint: r.certificate.thumbprint, notAfter: r.certificate.notAfter } : {}),
  };
}

/** The CSR as the procedure's Base64 (PEM text) or Binary (DER bytes). */
export async function getCsr(ctx: ServiceContext, id: string, format: CsrFormat): Promise<Uint8Array | string> {
  if (format !== 'base64' && format !== 'der') invalid(`unknown CSR format "${String(format)}"; use base64 or der`);
  const store = await openStore(ctx, { mustExist: true });
  const realId = await store.resolveId(id);
  const der = await readCsrDer(store, realId, await store.getRequest(realId));
  return format === 'der' ? der : toPem(der, CSR_PEM_LABEL);
}

/** What deleteRequest did. */
export interface DeletedRequest {
  id: string;
  /** Paths of the PFX files exported earlier: they still hold the private key, protected by their password. */
  exportedFiles: string[];
  /** How many PFX passwords were removed from the keychain. */
  passwordsRemoved: number;
  /** Keychain accounts that could not be removed (the keychain failed); reported through ctx.warn too. */
  passwordsLeft: string[];
  /** Of exportedFiles, those still on disk with the content Certdesk wrote (and not removed). */
  exportedFilesPresent: string[];
  /** Exported PFX files removed on request (removeExports), each only after its SHA-256 matched the record. */
  exportedFilesRemoved: string[];
}

/** How deleteRequest may proceed. */
export interface DeleteOptions {
  /** Delete even when the OS keychain cannot be reached (its PFX passwords then stay behind). */
  force?: boolean;
  /** Also remove the exported PFX files that still hold exactly what was exported. */
  removeExports?: boolean;
}

/** The exported files still on disk with the recorded SHA-256: a file someone replaced is not Certdesk's to touch. */
async function presentExports(exports: readonly { path: string; pathBytes?: string; sha256: string }[]): Promise<{ path: UserPath; shown: string }[]> {
  const out: { path: UserPath; shown: string }[] = [];
  for (const e of exports) {
    // The exact name written: its bytes when it is not valid UTF-8 (path then holds display text).
    const path = loadPath(e.path, e.pathBytes);
    const data = await readFile(path).catch(() => null);
    if (data && sha256Hex(data) === e.sha256) out.push({ path, shown: e.path });
  }
  return out;
}

/** A damaged request's exports are unknown; numbers run 1, 2, ... so probe until one is absent. */
const MAX_PROBED_EXPORTS = 10_000;

/**
 * Removes the keychain passwords of a request's PFX exports. Failures do not undo the deletion (the
 * request is gone already): they are returned and warned about, naming the account to remove by hand.
 */
async function deletePfxPasswords(ctx: ServiceContext, storeId: string, id: string, numbers: number[] | null): Promise<{ removed: number; left: string[] }> {
  let removed = 0;
  const left: string[] = [];
  const remove = async (n: number): Promise<boolean> => {
    const account = pfxPasswordAccount(storeId, id, n);
    try {
      const gone = await ctx.secrets.delete(account);
      if (gone) removed++;
      return gone;
    } catch (e) {
      left.push(account);
      ctx.warn?.(`the password of PFX export #${n} could not be removed from the keychain (${e instanceof Error ? e.message : String(e)}); remove the entry "${account}" by hand`);
      return false;
    }
  };
  if (numbers) for (const n of numbers) await remove(n);
  else {
    let n = 1;
    while (n <= MAX_PROBED_EXPORTS && (await remove(n))) n++;
  }
  return { removed, left };
}

/**
 * Deletes the request, destroys its encrypted private key and removes the PFX passwords of its
 * exports from the keychain; audits `key-deleted`. Destructive, so only the full id is accepted:
 * a prefix that happens to be unique today must not pick what gets destroyed.
 */
export async function deleteRequest(ctx: ServiceContext, id: string, opts: DeleteOptions = {}): Promise<DeletedRequest> {
  const store = await openStore(ctx, { mustExist: true });
  const realId = await store.resolveId(id);
  if (realId !== id.trim().toLowerCase()) {
    invalid(`give the full request id to delete (${realId}); a prefix is not enough to destroy a private key`);
  }
  if (opts.force !== true) {
    // Without the keychain the request's PFX passwords would stay behind, orphaned: ask first.
    try {
      await ctx.secrets.get(storeKeyAccount(store.storeId));
    } catch (e) {
      if (e instanceof CertdeskError && e.code.startsWith('KEYCHAIN_')) {
        throw new CertdeskError(e.code, `${e.message}; the request was not deleted, because its PFX passwords in the keychain would be left behind`);
      }
      throw e;
    }
  }
  return store.withLock(async () => {
    const record = await store.getRequest(realId).catch((e: unknown) => {
      // A damaged request may still be deleted: that is how the admin gets rid of it.
      if (e instanceof CertdeskError && e.code === 'STORE_CORRUPT') return null;
      throw e;
    });
    await store.deleteRequest(realId);
    const exports = record?.exports ?? [];
    const present = await presentExports(exports);
    const removedFiles: string[] = [];
    if (opts.removeExports === true) {
      for (const { path, shown } of present) {
        await unlink(path).then(
          () => removedFiles.push(shown),
          (e: unknown) => ctx.warn?.(`could not remove ${shown}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`),
        );
      }
    }
    const passwords = await deletePfxPasswords(ctx, store.storeId, realId, record ? exports.map((e) => e.n) : null);
    const what = record ? `request for ${record.distinguishedName} (status ${record.status})` : 'damaged request';
    const pw =
      (passwords.removed > 0 ? `; ${plural(passwords.removed, 'PFX password')} removed from the keychain` : '') +
      (removedFiles.length > 0 ? `; ${plural(removedFiles.length, 'exported PFX file')} removed` : '');
    await store.appendAudit({ event: 'key-deleted', requestId: realId, detail: `${what} deleted; its encrypted private key was destroyed${pw}` });
    return {
      id: realId,
      exportedFiles: exports.map((e) => e.path),
      passwordsRemoved: passwords.removed,
      passwordsLeft: passwords.left,
      exportedFilesPresent: present.map((p) => p.shown).filter((p) => !removedFiles.includes(p)),
      exportedFilesRemoved: removedFiles,
    };
  });
}
