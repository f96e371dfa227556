import { escapeDnValue } from '../common/csr.js';
import { CertdeskError } from '../common/errors.js';
import type { Finding } from '../common/findings.js';
import { KEY_SIZES, type KeySize, type NewRequestInput, type RequestRecord, type SubjectFields, type TopologyForRequest } from '../common/requests.js';
import { canonicalTopologyJson, defaultPlanFriendlyName, REQUEST_TOPOLOGY_FILE, type RequestTopology } from '../common/topologies.js';
import { createCsr, normalizeSubject } from '../pki/csr-create.js';
import { sha256Hex } from '../pki/fingerprint.js';
import { generateRsaKeyPair, type RsaKeyPair } from '../pki/keys.js';
import { checkNameSet } from '../pki/names.js';
import { newRequestId } from '../store/ids.js';
import type { Store } from '../store/store.js';
import { nowOf, openStore, type ServiceContext } from './context.js';

// Creating a request, apart from the rest of services/requests.ts (listing, showing, deleting), so
// that `request new` loads only this: the others pull in the PFX export and CSR decoding code.

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
  };
}

/**
 * The topology a plan request came from, validated again (the renderer sends its text) and put in
 * canonical form, whose SHA-256 the record keeps next to the copy in the request folder.
 */
async function checkTopologyOrigin(from: TopologyForRequest): Promise<{ origin: RequestTopology; json: string }> {
  if (from === null || typeof from !== 'object') invalid('the topology the request comes from is missing');
  if (!['stored', 'file', 'form'].includes(from.kind)) invalid('the topology kind must be stored, file or form');
  const source = freeText(from.source, 'topology source', 255);
  if (!Number.isInteger(from.certificate) || from.certificate < 1) invalid('the plan certificate must be a number from 1');
  if (typeof from.text !== 'string') invalid('the topology must be text');
  // The topology parser (XML and Lync import included) loads only for a request made from a plan.
  const { parseTopologyText } = await import('../planning/topology-file.js');
  const json = canonicalTopologyJson(parseTopologyText(from.text, source || 'the topology'));
  return { origin: { kind: from.kind, source, sha256: sha256Hex(Buffer.from(json, 'utf8')), certificate: from.certificate }, json };
}

/** `1 DNS name`, `2 DNS names`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Creates a request: validates the input and names (refusing on any error finding), generates the
 * RSA key (outside the store lock: it takes seconds), builds the CSR to the profile, and stores
 * everything atomically with the key encrypted. Audits `key-generated`.
 */
export async function createRequest(ctx: ServiceContext, input: NewRequestInput, renewal?: RenewalLink, opts: CreateRequestOptions = {}): Promise<RequestRecord> {
  return (await createRequestWithCsr(ctx, input, renewal, opts)).record;
}

/**
 * createRequest, also handing back the DER of the CSR it stored: `request new` prints or writes the
 * CSR it just made without opening the store again to read back (and re-validate) what it wrote.
 */
export async function createRequestWithCsr(ctx: ServiceContext, input: NewRequestInput, renewal?: RenewalLink, opts: CreateRequestOptions = {}): Promise<{ record: RequestRecord; csrDer: Uint8Array }> {
  const req = { ...checkInput(input), topology: input.fromTopology === undefined ? null : await checkTopologyOrigin(input.fromTopology) };
  // The key is made on the thread pool while the store and the keychain are opened: they do not
  // depend on each other, and a 2048-bit key takes about as long as both together. A store or
  // keychain failure still wins (the key is then dropped unused, never stored).
  const generating = opts.keyPair?.bits === req.keySize ? opts.keyPair.pair : generateRsaKeyPair(req.keySize);
  void generating.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
  const store = await openStore(ctx);
  // Fail on a missing keychain before the request is built.
  await store.ensureStoreKey();
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
    return { record, csrDer: csr.der };
  });
}

/** Options of createRequest. */
export interface CreateRequestOptions {
  /**
   * A key generation the caller started before this module loaded (the CLI starts it as soon as its
   * arguments parse), used when its size is the request's; otherwise a key is generated here. The
   * caller hands each started key to one createRequest only.
   */
  keyPair?: { bits: KeySize; pair: Promise<RsaKeyPair> };
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

