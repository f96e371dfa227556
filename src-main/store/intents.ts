import { createHash, randomBytes } from 'node:crypto';
import { link, lstat, readdir, readFile, rename, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CertdeskError } from '../common/errors.js';
import type { RepairOutcome } from '../common/api-dto.js';
import type { SecretStore } from '../common/secret-store.js';
import type { AuditEntry } from './audit.js';
import { crashPoint } from './crash-point.js';
import { ensureDir, fsyncDir, removeDurable, writeFileDurable, writeNewFileSynced } from './durable.js';
import { readIfExists } from './fs-read.js';
import { ioReason } from './io-error.js';
import type { IntentOnDisk } from './intent-schema.js';
import { dirOfUserPath, hiddenSibling, loadPath, showPath, storePath, type UserPath } from './user-path.js';

/**
 * Intents: how a write outside the store (a PFX export, a farm bundle, a proxy configuration) or a
 * two-step write inside it (a new request and its audit line) survives kill -9 at any moment.
 *
 *   1. beginIntent records, durably in `<store>/.intents/`, what is about to happen: the targets and the
 *      temporary names beside them, the export numbers, the keychain entries, the audit line.
 *   2. run() stores the secret, writes the temporaries, records the export in request.json, renames
 *      every temporary into place, appends the audit line and clears the intent.
 *
 * The next process that takes the store lock finds any intent left open (recoverIntents) and decides
 * by the request record alone: export recorded -> finish it (put the temporaries into place, write a
 * missing audit line); not recorded -> roll it back (remove the temporaries and any folder it created,
 * delete its keychain entries). A file at a target that this write did not create is never touched.
 *
 * Paths are {@link UserPath}s: a target whose name is not valid UTF-8 is kept as bytes, in memory as
 * a Buffer and on disk as base64 beside the display text (intent-schema.ts), so every rename, link and
 * removal acts on exactly the name the admin gave.
 */

/** What is being written; names the repair in notes and the audit log. */
export type IntentKind = 'pfx-export' | 'bundle' | 'proxy-config' | 'request-create';

/** One file or folder placed outside (or inside) the store. */
export interface IntentTarget {
  /** Absolute final path. */
  path: UserPath;
  /** The temporary sibling written first (chosen by beginIntent, hidden: a leading dot). */
  temp: UserPath;
  folder: boolean;
  /** SHA-256 of a file's content: recovery removes a file at `path` only when its content is this. */
  sha256: string | null;
  /** SHA-256 of the existing file this write may replace (overwrite asked for); null: nothing may be replaced. */
  replaces: string | null;
}

/** What a caller declares before writing. */
export interface IntentPlan {
  kind: IntentKind;
  requestId: string;
  /** Export numbers this write records; it counts as done once all of them are in the request record. None: done once the request exists. */
  exports: number[];
  /** Keychain accounts it creates. */
  accounts: string[];
  targets: { path: UserPath; folder?: boolean; sha256?: string | null; replaces?: string | null }[];
  /** Folders it will create (outermost first); removed again, when empty, on roll back. */
  createdDirs?: UserPath[];
  /** The audit line that marks the write as complete. */
  audit: AuditEntry;
}

/** An intent as this process holds it (see {@link encodeIntent} for the file). */
export interface IntentRecord {
  schemaVersion: 1;
  id: string;
  kind: IntentKind;
  requestId: string;
  at: string;
  exports: number[];
  accounts: string[];
  targets: IntentTarget[];
  createdDirs: UserPath[];
  audit: AuditEntry;
}

/** The intent's JSON: each path as text, plus its bytes where the name is not UTF-8 (intent-schema.ts). */
function encodeIntent(r: IntentRecord): string {
  const dirs = r.createdDirs.map(storePath);
  const file = {
    ...r,
    targets: r.targets.map((t) => {
      const path = storePath(t.path);
      const temp = storePath(t.temp);
      return {
        path: path.text,
        ...(path.bytes !== undefined ? { pathBytes: path.bytes } : {}),
        temp: temp.text,
        ...(temp.bytes !== undefined ? { tempBytes: temp.bytes } : {}),
        folder: t.folder,
        sha256: t.sha256,
        replaces: t.replaces,
      };
    }),
    createdDirs: dirs.map((d) => d.text),
    ...(dirs.some((d) => d.bytes !== undefined) ? { createdDirsBytes: dirs.map((d) => d.bytes ?? null) } : {}),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Back from the validated file: the bytes win over the display text wherever both are there. */
function decodeIntent(v: IntentOnDisk): IntentRecord {
  return {
    schemaVersion: 1,
    id: v.id,
    kind: v.kind,
    requestId: v.requestId,
    at: v.at,
    exports: v.exports,
    accounts: v.accounts,
    targets: v.targets.map((t) => ({ path: loadPath(t.path, t.pathBytes), temp: loadPath(t.temp, t.tempBytes), folder: t.folder, sha256: t.sha256, replaces: t.replaces })),
    createdDirs: v.createdDirs.map((d, i) => loadPath(d, v.createdDirsBytes?.[i] ?? undefined)),
    audit: { event: v.audit.event, ...(v.audit.requestId !== undefined ? { requestId: v.audit.requestId } : {}), detail: v.audit.detail },
  };
}

/** The parts of the store an intent needs (kept narrow so store.ts and this file do not import each other). */
export interface IntentPort {
  dir: string;
  secrets: SecretStore;
  now: () => Date;
  /** Export numbers recorded in the request, or null when there is no such request. Other failures throw. */
  recordedExports(requestId: string): Promise<number[] | null>;
  auditLines(): Promise<string[]>;
  appendAudit(e: AuditEntry): Promise<void>;
  /** One line per repair for the user (the CLI prints `note: ...`; the app shows it by its outcome). */
  note: (message: string, outcome: RepairOutcome) => void;
}

/** The folder of open intents; hidden, so a backup never carries one (see services/backup.ts). */
export const INTENTS_DIR = '.intents';

const WHAT: Record<IntentKind, string> = {
  'pfx-export': 'PFX export',
  bundle: 'farm bundle',
  'proxy-config': 'proxy configuration',
  'request-create': 'new request',
};

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function errno(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** The kind of thing at `path` without following a final symlink; null when nothing is there. */
async function kindAt(path: UserPath): Promise<'file' | 'dir' | 'other' | null> {
  try {
    const s = await lstat(path);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
  } catch (e) {
    if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return null;
    throw e;
  }
}

async function fileSha(path: UserPath): Promise<string | null> {
  if ((await kindAt(path)) !== 'file') return null;
  const data = await readIfExists(path);
  return data === null ? null : sha256(data);
}

/** `path` as it is now, for `replaces`: the SHA-256 of an existing regular file, else null. */
export async function existingFileSha(path: UserPath): Promise<string | null> {
  return fileSha(path);
}

function tempName(path: UserPath, folder: boolean): UserPath {
  const hex = randomBytes(6).toString('hex');
  return hiddenSibling(path, folder ? `.partial-${hex}` : `.${hex}.tmp`);
}

function intentPath(port: IntentPort, id: string): string {
  return join(port.dir, INTENTS_DIR, `${id}.json`);
}

function sameLine(line: string, e: AuditEntry): boolean {
  try {
    const v = JSON.parse(line) as { event?: unknown; requestId?: unknown; detail?: unknown };
    return v.event === e.event && v.requestId === e.requestId && v.detail === e.detail.replace(/[\r\n]+/g, ' ');
  } catch {
    return false;
  }
}

/** Appends the intent's audit line unless the log has it already; true when it was missing. */
async function ensureAudit(port: IntentPort, e: AuditEntry): Promise<boolean> {
  if ((await port.auditLines()).some((l) => sameLine(l, e))) return false;
  await port.appendAudit(e);
  return true;
}

/** Steps of {@link Intent.run}, in the order they run. */
export interface IntentSteps {
  /** Stored under every keychain account of the intent before anything is written (a lost generated password would make the file useless). */
  secret?: string;
  /** Writes every target's temporary (file or folder). */
  stage(): Promise<void>;
  /** Records the write in the store; returns how to take that record back should placing fail. */
  record(): Promise<() => Promise<void>>;
  /** Puts the temporaries into place when the caller's file system port must do it (a bundle's drive); default {@link Intent.place}. */
  place?(): Promise<void>;
}

/** An open intent of this process: see the file comment for the sequence. */
export class Intent {
  constructor(
    private readonly port: IntentPort,
    readonly record: IntentRecord,
  ) {}

  /** The temporary name of target `i`. */
  temp(i = 0): UserPath {
    const t = this.record.targets[i];
    if (!t) throw new CertdeskError('INTERNAL', `intent has no target ${i}`);
    return t.temp;
  }

  /**
   * Writes a target's temporary file (created exclusively, fsynced). Its folder is fsynced when the
   * file is put into place.
   */
  async writeTemp(i: number, data: Uint8Array | string, mode: number): Promise<void> {
    const t = this.record.targets[i];
    if (!t || t.folder) throw new CertdeskError('INTERNAL', `intent target ${i} is not a file`);
    try {
      await writeNewFileSynced(t.temp, data, mode);
    } catch (e) {
      throw new CertdeskError('IO_ERROR', `cannot write ${showPath(t.path)}: ${ioReason(e)}`);
    }
  }

  /** Secret, temporaries, record, placing, audit line, clearing; any failure undoes what was done. */
  async run(steps: IntentSteps): Promise<void> {
    let unrecord: () => Promise<void>;
    try {
      if (steps.secret !== undefined) for (const a of this.record.accounts) await this.port.secrets.set(a, steps.secret);
      crashPoint('intent:secret-stored');
      await steps.stage();
      crashPoint('intent:staged');
      unrecord = await steps.record();
      crashPoint('intent:recorded');
    } catch (e) {
      await this.abandon();
      throw e;
    }
    try {
      await (steps.place ? steps.place() : this.place());
    } catch (e) {
      // Recorded but not in place: take the record back, then undo the rest. When taking it back fails,
      // the intent stays open and the next lock finishes the write instead.
      const taken = await unrecord().then(
        () => true,
        () => false,
      );
      if (taken) await this.abandon();
      throw e;
    }
    crashPoint('intent:placed');
    await this.port.appendAudit(this.record.audit);
    crashPoint('intent:audited');
    await this.clear();
  }

  /**
   * Puts every temporary into place: a folder or a file that may replace nothing only where nothing
   * is (a hard link for files, so nothing that appeared meanwhile is replaced); a file that may replace
   * one by rename after checking it is still the file that was there.
   */
  async place(): Promise<void> {
    for (const t of this.record.targets) {
      try {
        await placeOne(t);
      } catch (e) {
        if (e instanceof CertdeskError) throw e;
        throw new CertdeskError('IO_ERROR', `cannot write ${showPath(t.path)}: ${ioReason(e)}`);
      }
    }
  }

  /** Removes the temporaries, the folders it created (when empty) and its keychain entries; then the intent. */
  async abandon(): Promise<void> {
    const { left } = await rollBack(this.port, this.record).catch(() => ({ left: this.record.accounts }));
    if (left.length === 0) await this.clear().catch(() => undefined);
  }

  async clear(): Promise<void> {
    await clearIntent(this.port.dir, intentPath(this.port, this.record.id));
  }
}

async function placeOne(t: IntentTarget): Promise<void> {
  const conflict = (): CertdeskError =>
    new CertdeskError('CONFLICT', `${showPath(t.path)} appeared while it was being written; it was left untouched`);
  if (t.folder) {
    if ((await kindAt(t.path)) !== null) throw conflict();
    await rename(t.temp, t.path);
  } else if (t.replaces === null) {
    try {
      await link(t.temp, t.path);
      await unlink(t.temp);
    } catch (e) {
      if (errno(e) === 'EEXIST') throw conflict();
      // File systems without hard links (FAT on USB sticks): check, then rename.
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(errno(e) ?? '')) throw e;
      if ((await kindAt(t.path)) !== null) throw conflict();
      await rename(t.temp, t.path);
    }
  } else {
    const kind = await kindAt(t.path);
    if (kind !== null && (kind !== 'file' || (await fileSha(t.path)) !== t.replaces)) throw conflict();
    await rename(t.temp, t.path);
  }
  await fsyncDir(dirOfUserPath(t.path));
}

/** What a roll back removed (for the note) and the keychain accounts it could not delete (kept for a retry). */
interface RolledBack {
  removed: string[];
  left: string[];
}

/** Undoes an unrecorded write: its temporaries, the empty folders it created, its keychain entries. */
async function rollBack(port: IntentPort, r: IntentRecord): Promise<RolledBack> {
  const removed: string[] = [];
  for (const t of r.targets) {
    if ((await kindAt(t.temp)) !== null) {
      await removeDurable(t.temp);
      removed.push(`${t.folder ? 'the partial folder' : 'the partial file'} ${showPath(t.temp)}`);
    }
    // Never reached in the normal order (placing follows recording); a file there is removed only when it is provably this write's.
    if (!t.folder && t.sha256 !== null && (await fileSha(t.path)) === t.sha256) {
      await removeDurable(t.path);
      removed.push(`the unrecorded file ${showPath(t.path)}`);
    }
  }
  for (const d of [...r.createdDirs].reverse()) {
    await rmdir(d).then(
      async () => {
        await fsyncDir(dirOfUserPath(d));
        removed.push(`the folder ${showPath(d)} it had created`);
      },
      () => undefined, // not empty (someone else's files) or never made: left as it is
    );
  }
  const left: string[] = [];
  let deleted = 0;
  for (const a of r.accounts) {
    try {
      if (await port.secrets.delete(a)) deleted++;
    } catch {
      left.push(a);
    }
  }
  if (deleted > 0) removed.push(`${deleted} keychain entr${deleted === 1 ? 'y' : 'ies'}`);
  if (left.length > 0 && left.length < r.accounts.length) {
    await writeFileDurable(intentPath(port, r.id), encodeIntent({ ...r, targets: [], createdDirs: [], accounts: left }));
  }
  return { removed, left };
}

/** Records an intent durably (before anything is written) and returns it open. */
export async function beginIntent(port: IntentPort, plan: IntentPlan): Promise<Intent> {
  const record: IntentRecord = {
    schemaVersion: 1,
    id: `${port.now().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(6).toString('hex')}`,
    kind: plan.kind,
    requestId: plan.requestId,
    at: port.now().toISOString(),
    exports: plan.exports,
    accounts: plan.accounts,
    targets: plan.targets.map((t) => ({ path: t.path, temp: tempName(t.path, t.folder === true), folder: t.folder === true, sha256: t.sha256 ?? null, replaces: t.replaces ?? null })),
    createdDirs: plan.createdDirs ?? [],
    audit: plan.audit,
  };
  await ensureDir(join(port.dir, INTENTS_DIR));
  await writeFileDurable(intentPath(port, record.id), encodeIntent(record));
  crashPoint('intent:begun');
  return new Intent(port, record);
}

/** Removes an intent, and its folder once empty: a store without open writes looks as it did before. */
async function clearIntent(storeDir: string, path: string): Promise<void> {
  await removeDurable(path);
  await rmdir(join(storeDir, INTENTS_DIR)).then(
    () => fsyncDir(storeDir),
    () => undefined, // other intents are open
  );
}

/** The intent in `text`, or null when it is not one this version can act on safely (validated: it names files to rename and remove). */
async function parseIntent(text: string): Promise<IntentRecord | null> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const v = (await import('./intent-schema.js')).parseIntentOnDisk(value);
  return v === null ? null : decodeIntent(v);
}

/** Finishes a recorded write; returns what was done, empty when nothing was left to do. */
async function rollForward(port: IntentPort, r: IntentRecord): Promise<string[]> {
  const done: string[] = [];
  for (const t of r.targets) {
    if ((await kindAt(t.temp)) === null) continue; // placed before the crash
    try {
      await placeOne(t);
      done.push(`${showPath(t.path)} put into place`);
    } catch {
      // Something this write did not create took the name: it stays, the temporary goes.
      await removeDurable(t.temp);
      done.push(`${showPath(t.path)} was taken by another file, left untouched; the temporary copy was removed`);
    }
  }
  if (await ensureAudit(port, r.audit)) done.push(`its audit line (${r.audit.event}) written`);
  return done;
}

/**
 * Finishes or rolls back every intent a dead process left open. Runs under the store lock, before the
 * lock holder's own work. A failure on one intent leaves it for the next lock and never fails the
 * command that found it.
 */
export async function recoverIntents(port: IntentPort): Promise<void> {
  const dir = join(port.dir, INTENTS_DIR);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (e) {
    if (errno(e) === 'ENOENT') return;
    throw e;
  }
  for (const name of names) {
    const path = join(dir, name);
    const r = await parseIntent(await readFile(path, 'utf8').catch(() => ''));
    if (!r) {
      port.note(`the unreadable record of an interrupted write ${showPath(path)} was left in place; nothing was changed for it`, 'pending');
      continue;
    }
    const what = `${WHAT[r.kind]} of request ${r.requestId}`;
    try {
      const recorded = await port.recordedExports(r.requestId);
      const committed = recorded !== null && r.exports.every((n) => recorded.includes(n));
      if (committed) {
        const done = await rollForward(port, r);
        if (done.length > 0) {
          const detail = `an interrupted ${what} was finished: ${done.join('; ')}`;
          // A lost key-generated line is the repair itself; an export's repair is logged on its own line.
          if (r.kind !== 'request-create') await port.appendAudit({ event: 'interrupted-write-finished', requestId: r.requestId, detail });
          port.note(detail, 'finished');
        }
      } else if (r.targets.length > 0 || r.accounts.length > 0) {
        const { removed, left } = await rollBack(port, r);
        // Killed before anything was written: only the record of the intent goes, silently.
        if (removed.length > 0) {
          const detail = `an interrupted ${what} was rolled back (it was never recorded): removed ${removed.join(', ')}`;
          await port.appendAudit({ event: 'interrupted-write-rolled-back', ...(recorded !== null ? { requestId: r.requestId } : {}), detail });
          port.note(detail, 'rolled-back');
        }
        if (left.length > 0) {
          port.note(`an interrupted ${what} left ${left.length} keychain entr${left.length === 1 ? 'y' : 'ies'} that could not be removed yet (the keychain did not answer): tried again next time`, 'pending');
          continue;
        }
      }
      await clearIntent(port.dir, path);
    } catch (e) {
      port.note(`an interrupted ${what} could not be repaired yet (${e instanceof Error ? e.message : String(e)}); it is tried again by the next command that changes the store`, 'pending');
    }
  }
}
