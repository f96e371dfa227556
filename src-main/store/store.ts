import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CertdeskError, isCertdeskError } from '../common/errors.js';
import type { RequestRecord } from '../common/requests.js';
import type { RequestSummary } from '../common/request-summary.js';
import type { RepairOutcome } from '../common/api-dto.js';
import type { SecretStore } from '../common/secret-store.js';
import { toPem } from '../pki/pem.js';
import { type AuditEntry, auditLine } from './audit.js';
import { crashPoint } from './crash-point.js';
import { appendLineDurable, DIR_MODE, ensureDir, fsyncDir, removeDurable, writeFileDurable, writeNewFileSynced } from './durable.js';
import { assertRequestId, isRequestId, isRequestIdPrefix, printable } from './ids.js';
import { exists, lastLineOf, readIfExists } from './fs-read.js';
import { guardIo } from './io-error.js';
import { openPrivateKey, sealPrivateKey } from './key-envelope.js';
import { initMeta, LAYOUT, readMeta } from './layout.js';
import { acquireLock } from './lock.js';
import type { validateRecord as ValidateRecord } from './record-schema.js';
import { scanSummariesWithIndex, scanWithIndex } from './request-index.js';
import { readOrCreateStoreKey, readStoreKey, storeKeyIfPresent } from './store-key.js';
import { sweepLeftovers } from './sweep.js';
import { isChained, nextPrev } from './audit-chain.js';
import { beginIntent, type Intent, type IntentPlan, type IntentPort, recoverIntents } from './intents.js';

export type { AuditEntry } from './audit.js';

/** Options for Store.open; the defaults suit the app and the CLI. */
export interface StoreOptions {
  /** How long to wait for another process's lock before STORE_LOCKED (default 15 s). */
  lockTimeoutMs?: number;
  /** Clock for audit lines and updatedAt (tests pin it). */
  now?: () => Date;
  /**
   * false: open an existing store only, creating nothing on disk (NOT_FOUND naming the folder when
   * there is none), so a read-only command on a mistyped --store does not leave a new store behind.
   */
  create?: boolean;
  /** One line per repair of an interrupted write found at the lock (the CLI prints `note: ...`); default: dropped. */
  note?: (message: string, outcome: RepairOutcome) => void;
}

/** A request folder that could not be read; listRequests skips it and reports it here. */
export interface StoreProblem {
  id: string;
  message: string;
}

const DEFAULT_LOCK_TIMEOUT_MS = 15_000;

type RecordCheck = ReturnType<typeof ValidateRecord>;

/** The record validator, loaded on first use: zod is a tenth of a CLI start, and a listing served from the request index needs none of it. */
async function validateRecord(value: unknown): Promise<RecordCheck> {
  return (await import('./record-schema.js')).validateRecord(value);
}

/** Names a caller may write into a request folder; the store's own files are off limits. */
const REQUEST_FILE_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const RESERVED_FILES: readonly string[] = [LAYOUT.requestJson, LAYOUT.requestCsr, LAYOUT.keyEnc];

/** Throws INTERNAL unless `name` may be written into a request folder by a caller. */
function checkRequestFileName(name: string): void {
  if (!REQUEST_FILE_NAME.test(name) || RESERVED_FILES.includes(name) || name.endsWith('.tmp')) {
    throw new CertdeskError('INTERNAL', `"${printable(name)}" cannot be written into a request folder`);
  }
}

/** Listing order: by creation time, then id (records and summaries alike). */
const oldestFirst = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }): number => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

/** A listing's failed reads as problems; NOT_FOUND (deleted meanwhile) is no problem, anything unexpected is thrown. */
function problemsOf(failures: { id: string; error: unknown }[]): StoreProblem[] {
  const problems: StoreProblem[] = [];
  for (const { id, error: e } of failures) {
    if (e instanceof CertdeskError && (e.code === 'STORE_CORRUPT' || e.code === 'IO_ERROR')) problems.push({ id, message: e.message });
    else if (!(e instanceof CertdeskError && e.code === 'NOT_FOUND')) throw e;
  }
  return problems;
}

/**
 * The on-disk store (docs/architecture.md, "On disk"). Every mutation runs under the inter-process
 * lock (taken automatically, reentrant within one withLock call) and is durable before it returns.
 */
export class Store {
  private readonly lockScope = new AsyncLocalStorage<true>();
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    /** Absolute path of the store folder. */
    readonly dir: string,
    /** Random id from store.json; names the keychain entry of the store key. */
    readonly storeId: string,
    private readonly secrets: SecretStore,
    private readonly lockTimeoutMs: number,
    private readonly now: () => Date,
    /** The topmost folder open() created for this store (null when the folder existed): removed again if the keychain fails first. */
    private readonly createdFolder: string | null = null,
    private readonly note: (message: string, outcome: RepairOutcome) => void = () => undefined,
  ) {}

  /** True when `dir` holds a store (its store.json exists; whether it is readable is open's business). */
  static async exists(dir: string): Promise<boolean> {
    return guardIo(`cannot open the store ${resolve(dir)}`, () => exists(join(resolve(dir), LAYOUT.meta)));
  }

  /**
   * Opens the store in `dir`, creating the layout (0700) when missing unless `opts.create` is false;
   * checks the format version.
   */
  static async open(dir: string, secrets: SecretStore, opts: StoreOptions = {}): Promise<Store> {
    const abs = resolve(dir);
    const lockTimeoutMs = opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    const now = opts.now ?? (() => new Date());
    return guardIo(`cannot open the store ${abs}`, async () => {
      if (opts.create === false) {
        const existing = await readMeta(abs);
        if (!existing) throw new CertdeskError('NOT_FOUND', `no Certdesk store at ${abs}`);
        return new Store(abs, existing.storeId, secrets, lockTimeoutMs, now, null, opts.note);
      }
      let createdFolder: string | null = null;
      for (let p = abs; !(await exists(p)); p = dirname(p)) {
        createdFolder = p;
        if (dirname(p) === p) break;
      }
      await ensureDir(abs);
      let meta = await readMeta(abs);
      if (!meta) {
        // Created under the lock so two first-time processes agree on one storeId.
        const release = await acquireLock(join(abs, LAYOUT.lock), { timeoutMs: lockTimeoutMs });
        try {
          meta = (await readMeta(abs)) ?? (await initMeta(abs, now()));
        } finally {
          await release();
        }
      }
      await ensureDir(join(abs, LAYOUT.requests));
      return new Store(abs, meta.storeId, secrets, lockTimeoutMs, now, createdFolder, opts.note);
    });
  }

  /**
   * Runs `fn` holding the store's exclusive inter-process lock (STORE_LOCKED after a bounded wait).
   * Leftovers of crashed writers are swept and their open intents finished or rolled back first
   * (store/intents.ts). Nested calls from inside `fn` do not re-lock.
   */
  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    if (this.lockScope.getStore()) return fn();
    // Queue callers of this instance in-process so they do not poll the lock file against each other.
    const previous = this.queue;
    let done!: () => void;
    this.queue = new Promise<void>((r) => (done = r));
    try {
      await previous;
      let tookOver = false;
      const onTakeOver = () => void (tookOver = true);
      const release = await guardIo('cannot lock the store', () => acquireLock(join(this.dir, LAYOUT.lock), { timeoutMs: this.lockTimeoutMs, onTakeOver }));
      try {
        await guardIo('cannot tidy the store', () => sweepLeftovers(this.dir, { insideRequests: tookOver }));
        return await this.lockScope.run(true, async () => {
          await guardIo('cannot repair interrupted writes', () => recoverIntents(this.intentPort()));
          return fn();
        });
      } finally {
        await release();
      }
    } finally {
      done();
    }
  }

  private intentPort(): IntentPort {
    return {
      dir: this.dir,
      secrets: this.secrets,
      now: this.now,
      recordedExports: async (id) => {
        try {
          return ((await this.getRequest(id)).exports ?? []).map((e) => e.n);
        } catch (e) {
          if (isCertdeskError(e) && e.code === 'NOT_FOUND') return null;
          throw e;
        }
      },
      auditLines: () => this.readAuditLines(),
      appendAudit: (e) => this.appendAudit(e),
      note: this.note,
    };
  }

  /**
   * Records, before anything is written, a write that must be finished or rolled back as a whole even
   * across kill -9 (an export outside the store): see store/intents.ts. Only under the lock.
   */
  async beginIntent(plan: IntentPlan): Promise<Intent> {
    if (!this.lockScope.getStore()) throw new CertdeskError('INTERNAL', 'an intent is begun only under the store lock');
    return guardIo('cannot record the write about to be made', () => beginIntent(this.intentPort(), plan));
  }

  private requestDir(id: string): string {
    assertRequestId(id);
    return join(this.dir, LAYOUT.requests, id);
  }

  /**
   * Stores a new request atomically: everything is built and fsynced in requests/.tmp-<id>/, then
   * renamed into place, so a crash leaves either the complete request or nothing visible. With `audit`,
   * its audit line (key-generated) is written right after the commit under an intent, so a crash between
   * the two gets the line written by the next lock instead of losing it.
   */
  async createRequest(
    record: RequestRecord,
    files: { csrDer?: Uint8Array; privateKeyPem: string; extra?: readonly { name: string; data: Uint8Array | string }[]; audit?: AuditEntry },
  ): Promise<void> {
    for (const f of files.extra ?? []) checkRequestFileName(f.name);
    // Not run through the record schema here: a new record is typed data its service just built, and
    // the schema is checked wherever a request.json is read (getRequest, listings, the index), so a
    // damaged or hand-edited file is still refused. Building the schema (zod) was about a tenth of
    // `request new` (tests/unit/services/record-write-read.test.ts: what the writers store, the reader accepts).
    const finalDir = this.requestDir(record.id);
    await this.withLock(async () => {
      const audit = files.audit;
      // The keychain call (a round trip through the helper process) runs while the intent is written.
      const storeKey = readOrCreateStoreKey(this.secrets, this.storeId, () => this.hasEncryptedKeys());
      void storeKey.catch(() => undefined); // awaited below, or dropped when the intent cannot be written
      const intent = audit ? await this.beginIntent({ kind: 'request-create', requestId: record.id, exports: [], accounts: [], targets: [], audit }) : null;
      try {
        await guardIo(`cannot store request ${record.id}`, async () => {
          if (await exists(finalDir)) throw new CertdeskError('CONFLICT', `a request with id ${record.id} already exists`);
          const key = await storeKey;
          const tmp = join(this.dir, LAYOUT.requests, `${LAYOUT.tmpPrefix}${record.id}`);
          await mkdir(tmp, { mode: DIR_MODE });
          crashPoint('create:tmp-dir');
          // The folder is invisible until its rename: each file is written in place and fsynced, and
          // the folder's entries once after the last (not a temp file, rename and folder fsync each).
          await writeNewFileSynced(join(tmp, LAYOUT.keyEnc), sealPrivateKey(key, record.id, files.privateKeyPem));
          crashPoint('create:key-written');
          // An adopted certificate has no CSR; it brings its certificate and chain files instead.
          if (files.csrDer) await writeNewFileSynced(join(tmp, LAYOUT.requestCsr), toPem(files.csrDer, 'CERTIFICATE REQUEST'));
          // Other files of the request (its topology copy, an adopted certificate and chain) are part of the same all-or-nothing rename.
          for (const f of files.extra ?? []) await writeNewFileSynced(join(tmp, f.name), f.data);
          await writeNewFileSynced(join(tmp, LAYOUT.requestJson), `${JSON.stringify(record, null, 2)}\n`);
          await fsyncDir(tmp);
          crashPoint('create:files-written');
          await rename(tmp, finalDir);
          crashPoint('create:renamed');
          await fsyncDir(join(this.dir, LAYOUT.requests));
          crashPoint('create:committed');
        });
      } catch (e) {
        await intent?.abandon();
        throw e;
      }
      if (intent && audit) {
        await this.appendAudit(audit);
        await guardIo('cannot clear the record of the write just made', () => intent.clear());
      }
    });
  }

  /**
   * Makes sure the store key can be had from the keychain (creating it on first use), so a caller
   * learns of a missing keychain before spending seconds on key generation.
   */
  async ensureStoreKey(): Promise<void> {
    try {
      // A key that exists is never replaced (only a missing one is made, under the lock), so reading
      // it needs no lock: the common case costs one keychain call, not a lock, sweep and repair pass
      // on top. Writers still read the key again under the lock before they use it.
      if ((await storeKeyIfPresent(this.secrets, this.storeId)) !== null) return;
      await this.withLock(async () => {
        await readOrCreateStoreKey(this.secrets, this.storeId, () => this.hasEncryptedKeys());
      });
    } catch (e) {
      // A command that fails for lack of a keychain must not leave a new, empty store behind.
      if (isCertdeskError(e) && e.code.startsWith('KEYCHAIN_') && this.createdFolder && (await this.listRequestIds()).length === 0) {
        await removeDurable(this.createdFolder).catch(() => undefined);
      }
      throw e;
    }
  }

  /** The stored record; NOT_FOUND when there is none, STORE_CORRUPT (naming it) when unreadable. */
  async getRequest(id: string): Promise<RequestRecord> {
    const dir = this.requestDir(id);
    return guardIo(`cannot read request ${id}`, async () => {
      const bytes = await readIfExists(join(dir, LAYOUT.requestJson));
      if (bytes === null) {
        if (await exists(dir)) throw new CertdeskError('STORE_CORRUPT', `request ${id} is damaged: its request.json is missing`);
        throw new CertdeskError('NOT_FOUND', `no request ${id}`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(bytes.toString('utf8'));
      } catch {
        throw new CertdeskError('STORE_CORRUPT', `request ${id} is damaged: its request.json is not valid JSON`);
      }
      const checked = await validateRecord(parsed);
      if (!checked.ok) throw new CertdeskError('STORE_CORRUPT', `request ${id} is damaged: ${checked.reason}`);
      if (checked.record.id !== id) throw new CertdeskError('STORE_CORRUPT', `request ${id} is damaged: its request.json belongs to ${checked.record.id}`);
      return checked.record;
    });
  }

  /** Ids of every committed request folder, oldest first (ids sort by creation time). */
  async listRequestIds(): Promise<string[]> {
    return guardIo('cannot list the requests', async () => {
      // An existing store opened without creating anything may lack requests/ (a hand-made copy): none then.
      const names = await readdir(join(this.dir, LAYOUT.requests)).catch((e: unknown) => {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      });
      return names.filter(isRequestId).sort();
    });
  }

  /**
   * Every readable request, oldest first, plus the unreadable ones as problems. A damaged request
   * must not hide all the others, so listing skips it and says so instead of failing.
   */
  async scanRequests(): Promise<{ records: RequestRecord[]; problems: StoreProblem[] }> {
    // Through the request index (a cache checked against every request.json: store/request-index.ts),
    // so 10,000 requests list in well under a second; misses are read with getRequest as before.
    const ids = await this.listRequestIds();
    const scan = await scanWithIndex(this.dir, join(this.dir, LAYOUT.requests), LAYOUT.requestJson, ids, (id) => this.getRequest(id));
    return { records: scan.records.sort(oldestFirst), problems: problemsOf(scan.failures) };
  }

  /**
   * scanRequests as the Requests view's rows (common/request-summary.ts), through the summary index:
   * the same requests, order and problems, without parsing a full record that has not changed.
   */
  async scanRequestSummaries(): Promise<{ summaries: RequestSummary[]; problems: StoreProblem[] }> {
    const ids = await this.listRequestIds();
    const scan = await scanSummariesWithIndex(this.dir, join(this.dir, LAYOUT.requests), LAYOUT.requestJson, ids, (id) => this.getRequest(id));
    return { summaries: scan.summaries.sort(oldestFirst), problems: problemsOf(scan.failures) };
  }

  /** Every readable request, oldest first (damaged ones skipped: see scanRequests). */
  async listRequests(): Promise<RequestRecord[]> {
    return (await this.scanRequests()).records;
  }

  /**
   * The one id that `idOrPrefix` names: an exact id, or a unique prefix of one. NOT_FOUND when none
   * match, INVALID_INPUT listing the candidates when several do.
   */
  async resolveId(idOrPrefix: string): Promise<string> {
    const wanted = idOrPrefix.trim().toLowerCase();
    if (isRequestId(wanted)) return wanted;
    if (!isRequestIdPrefix(wanted)) {
      throw new CertdeskError('NOT_FOUND', `no request "${printable(idOrPrefix)}" (request ids look like 20260315-3f2kx9ab)`);
    }
    const matches = (await this.listRequestIds()).filter((id) => id.startsWith(wanted));
    if (matches.length === 1) return matches[0] as string;
    if (matches.length === 0) throw new CertdeskError('NOT_FOUND', `no request with an id starting "${wanted}"`);
    const shown = matches.slice(0, 5).join(', ') + (matches.length > 5 ? ', ...' : '');
    throw new CertdeskError('INVALID_INPUT', `"${wanted}" matches ${matches.length} requests (${shown}); give more of the id`);
  }

  /** Rewrites request.json durably with what `mutate` returns (id and format cannot change). */
  async updateRequest(id: string, mutate: (r: RequestRecord) => RequestRecord): Promise<RequestRecord> {
    const dir = this.requestDir(id);
    return this.withLock(async () => {
      const current = await this.getRequest(id);
      const next = mutate(structuredClone(current));
      if (next.id !== id) throw new CertdeskError('INTERNAL', 'a request update tried to change the request id');
      if (next.updatedAt === current.updatedAt) next.updatedAt = this.now().toISOString();
      const checked = await validateRecord(next);
      if (!checked.ok) throw new CertdeskError('INTERNAL', `refusing to store an invalid request record: ${checked.reason}`);
      await guardIo(`cannot update request ${id}`, () => writeFileDurable(join(dir, LAYOUT.requestJson), `${JSON.stringify(checked.record, null, 2)}\n`));
      return checked.record;
    });
  }

  /**
   * Removes the request folder, encrypted key included: renamed out of sight first (atomic), then
   * unlinked. No overwrite pass: it would not reach old blocks on SSDs, and key.enc is useless
   * without the store key in the keychain.
   */
  async deleteRequest(id: string): Promise<void> {
    const dir = this.requestDir(id);
    await this.withLock(() =>
      guardIo(`cannot delete request ${id}`, async () => {
        if (!(await exists(dir))) throw new CertdeskError('NOT_FOUND', `no request ${id}`);
        const aside = join(this.dir, LAYOUT.requests, `${LAYOUT.delPrefix}${id}-${randomBytes(4).toString('hex')}`);
        await rename(dir, aside);
        await fsyncDir(join(this.dir, LAYOUT.requests));
        crashPoint('delete:renamed');
        await removeDurable(aside);
      }),
    );
  }

  /** The decrypted PKCS#8 PEM private key. Only for export; never log or return it to a renderer. */
  async readPrivateKey(id: string): Promise<string> {
    const dir = this.requestDir(id);
    const data = await guardIo(`cannot read the key of request ${id}`, () => readIfExists(join(dir, LAYOUT.keyEnc)));
    if (data === null) {
      await this.getRequest(id); // NOT_FOUND when the whole request is gone
      throw new CertdeskError('STORE_CORRUPT', `request ${id} is damaged: its encrypted private key (key.enc) is missing`);
    }
    const key = await readStoreKey(this.secrets, this.storeId);
    return openPrivateKey(key, id, data);
  }

  /** Writes a file of the request's own (e.g. certificate.pem) durably with mode 0600. */
  async writeRequestFile(id: string, name: string, data: Uint8Array | string): Promise<void> {
    const dir = this.requestDir(id);
    checkRequestFileName(name);
    await this.withLock(async () => {
      await this.getRequest(id);
      await guardIo(`cannot write ${name} of request ${id}`, () => writeFileDurable(join(dir, name), data));
    });
  }

  /** A file of the request (null when it has none); NOT_FOUND for an unknown request. The key is not readable this way. */
  async readRequestFile(id: string, name: string): Promise<Buffer | null> {
    const dir = this.requestDir(id);
    if (!REQUEST_FILE_NAME.test(name) || name === LAYOUT.keyEnc) {
      throw new CertdeskError('INTERNAL', `"${printable(name)}" cannot be read from a request folder`);
    }
    return guardIo(`cannot read ${name} of request ${id}`, async () => {
      const data = await readIfExists(join(dir, name));
      if (data === null && !(await exists(dir))) throw new CertdeskError('NOT_FOUND', `no request ${id}`);
      return data;
    });
  }

  /** Appends one JSON line to audit.log (fsynced): time, event, request, detail, OS user and host. */
  async appendAudit(e: AuditEntry): Promise<void> {
    const path = join(this.dir, LAYOUT.audit);
    await this.withLock(() =>
      guardIo('cannot write the audit log', async () => {
        // Under the lock, so the line before ours cannot change between reading it and appending.
        const last = await lastLineOf(path);
        if (last !== null && !isChained(last)) {
          // A log from before the chain: start one here, tied to its last line, and say so.
          await appendLineDurable(path, auditLine({ event: 'audit-chain-started', detail: 'lines from here on carry the SHA-256 of the line before them; earlier lines were written before the chain existed' }, this.now(), nextPrev(last)));
          const started = await lastLineOf(path);
          await appendLineDurable(path, auditLine(e, this.now(), nextPrev(started)));
          return;
        }
        await appendLineDurable(path, auditLine(e, this.now(), nextPrev(last)));
      }),
    );
  }

  /** The audit log's lines (empty when there is none yet). */
  async readAuditLines(): Promise<string[]> {
    const data = await guardIo('cannot read the audit log', () => readIfExists(join(this.dir, LAYOUT.audit)));
    if (data === null) return [];
    return data.toString('utf8').split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
  }

  /** True when any request folder holds an encrypted key (so a lost store key must not be replaced). */
  private async hasEncryptedKeys(): Promise<boolean> {
    for (const id of await this.listRequestIds()) {
      if (await exists(join(this.dir, LAYOUT.requests, id, LAYOUT.keyEnc))) return true;
    }
    return false;
  }
}

