import { randomBytes } from 'node:crypto';
import { lstat, readdir, readFile, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { BackupCreated, BackupResult, BackupStatus, RestoreResult } from '../common/api.js';
import { CertdeskError } from '../common/errors.js';
import { sha256Hex } from '../pki/fingerprint.js';
import { assertStrongPassword, generatePfxPassword } from '../pki/pfx-password.js';
import { type KeychainEntry, MAX_BACKUP_BYTES, openBackup, sealBackup } from '../store/backup-container.js';
import { ensureDir, FILE_MODE, removeDurable, renameDurable, writeFileDurable } from '../store/durable.js';
import { exists, readIfExists } from '../store/fs-read.js';
import { guardIo } from '../store/io-error.js';
import { LAYOUT } from '../store/layout.js';
import { assertOutsideStore } from '../store/paths.js';
import { storeKeyAccount } from '../store/store-key.js';
import { checkOutputTarget, readUserFile, writeUserFile } from '../store/user-file.js';
import { resolveUserPath, showPath, storePath, type UserPath } from '../store/user-path.js';
import { Store } from '../store/store.js';
import { nowOf, openStore, openStoreIfExists, type ServiceContext } from './context.js';
import { pfxPasswordAccount } from './export.js';

/** Where the time of the last backup is kept, inside the store (it travels with later backups). */
export const BACKUP_STATE_FILE = 'backup.json';
/** A backup protects every key at once and is attacked offline: longer than a PFX password. */
export const MIN_BACKUP_PASSPHRASE_LENGTH = 16;
const CREATED_BY = 'Certdesk 0.1.0';

/** Why a chosen backup passphrase is refused (WEAK_PASSWORD), as for PFX passwords plus a length floor. */
export function assertStrongBackupPassphrase(passphrase: string): void {
  if (passphrase.length > 0 && passphrase.length < MIN_BACKUP_PASSPHRASE_LENGTH) {
    throw new CertdeskError('WEAK_PASSWORD', `the backup passphrase is too short (${passphrase.length} characters; at least ${MIN_BACKUP_PASSPHRASE_LENGTH})`);
  }
  assertStrongPassword(passphrase);
}

/**
 * A generated passphrase: 25 characters in five groups from a 51-letter alphabet without look-alikes,
 * about 141 bits, so a person can copy it by hand from paper.
 */
export function generateBackupPassphrase(): string {
  return generatePfxPassword();
}

/** Every regular file of the store folder, by '/'-separated relative path; leftovers and the lock are left out. */
async function readStoreFiles(dir: string, warn: (m: string) => void): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const walk = async (abs: string, rel: string): Promise<void> => {
    for (const name of (await readdir(abs)).sort()) {
      // Hidden names are temp files, half-built requests and open intents: never part of a store's state.
      if (name.startsWith('.') || (rel === '' && name === LAYOUT.lock)) continue;
      const p = join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      const s = await lstat(p);
      if (s.isDirectory()) await walk(p, r);
      else if (s.isFile()) files.set(r, await readFile(p));
      else warn(`${p} is not a regular file and is not in the backup`);
    }
  };
  await walk(dir, '');
  return files;
}

async function keychainEntries(ctx: ServiceContext, store: Store, files: Map<string, Buffer>): Promise<KeychainEntry[]> {
  const out: KeychainEntry[] = [];
  const hasKeys = [...files.keys()].some((p) => p.endsWith(`/${LAYOUT.keyEnc}`));
  const storeKey = await ctx.secrets.get(storeKeyAccount(store.storeId));
  if (storeKey !== null) out.push({ account: storeKeyAccount(store.storeId), secret: storeKey });
  else if (hasKeys) {
    throw new CertdeskError('STORE_CORRUPT', `this store's key is missing from the OS keychain (account "${storeKeyAccount(store.storeId)}"), so a backup could not restore its private keys`);
  }
  for (const record of (await store.scanRequests()).records) {
    for (const e of record.exports ?? []) {
      const account = pfxPasswordAccount(store.storeId, record.id, e.n);
      const secret = await ctx.secrets.get(account);
      if (secret !== null) out.push({ account, secret });
    }
  }
  return out;
}

/** Seals the store (under the lock) and records the backup once `deliver` has put the bytes somewhere. */
async function makeBackup(ctx: ServiceContext, passphrase: string, out: UserPath, deliver: (sealed: Uint8Array) => Promise<void>): Promise<BackupResult> {
  const store = await openStore(ctx, { mustExist: true });
  const now = nowOf(ctx);
  const snapshot = await store.withLock(async () => {
    const files = await guardIo('cannot read the store', () => readStoreFiles(store.dir, ctx.warn ?? (() => undefined)));
    return { files, keychain: await keychainEntries(ctx, store, files) };
  });
  const sealed = await sealBackup({ storeId: store.storeId, createdBy: CREATED_BY, files: snapshot.files, keychain: snapshot.keychain }, passphrase, now);
  await deliver(sealed);
  const requests = new Set([...snapshot.files.keys()].filter((p) => p.startsWith(`${LAYOUT.requests}/`)).map((p) => p.split('/')[1]));
  const keys = [...snapshot.files.keys()].filter((p) => p.endsWith(`/${LAYOUT.keyEnc}`)).length;
  // A name that is not valid UTF-8: display text in `out`, its exact bytes in `outBytes` (store/user-path.ts).
  const shown = storePath(out);
  const result: BackupResult = {
    out: shown.text,
    ...(shown.bytes !== undefined ? { outBytes: shown.bytes } : {}),
    storeId: store.storeId,
    createdAt: now.toISOString(),
    files: snapshot.files.size,
    requests: requests.size,
    keys,
    keychainEntries: snapshot.keychain.length,
    bytes: sealed.length,
    sha256: sha256Hex(sealed),
    passphraseGenerated: false,
  };
  await store.withLock(async () => {
    await guardIo('cannot record the backup', () =>
      writeFileDurable(join(store.dir, BACKUP_STATE_FILE), `${JSON.stringify({ schemaVersion: 1, lastBackupAt: result.createdAt, lastBackupSha256: result.sha256 }, null, 2)}\n`),
    );
    await store.appendAudit({ event: 'backup-created', detail: `${keys} keys, ${snapshot.files.size} files, ${result.bytes} bytes, sha256 ${result.sha256}` });
  });
  return result;
}

/**
 * Writes an encrypted backup of the whole store (files + its keychain entries) to `out`, which must
 * not exist and must lie outside the store. Without a passphrase one is generated and returned once.
 */
export async function createBackup(ctx: ServiceContext, input: { out: UserPath; passphrase?: string }): Promise<BackupCreated> {
  const out = resolveUserPath(process.cwd(), input.out);
  if (input.passphrase !== undefined) assertStrongBackupPassphrase(input.passphrase);
  const passphrase = input.passphrase ?? generateBackupPassphrase();
  const store = await openStore(ctx, { mustExist: true });
  await assertOutsideStore(store.dir, out);
  const existsMessage = `${showPath(out)} already exists; choose a new file name for the backup`;
  // Never over anything: a regular file is a CONFLICT, a device, FIFO, symlink or folder is refused outright.
  if (await checkOutputTarget(out)) throw new CertdeskError('CONFLICT', existsMessage);
  const result = await makeBackup(ctx, passphrase, out, (sealed) => writeUserFile(out, sealed, { force: false, mode: FILE_MODE, existsMessage }));
  return input.passphrase === undefined ? { ...result, passphraseGenerated: true, passphrase } : result;
}

/**
 * The same backup for a browser to download (browser mode): nothing is written outside the store;
 * the bytes come back with a file name, and the backup time is recorded like a written one.
 */
export async function createBackupForDownload(ctx: ServiceContext, input: { passphrase?: string }): Promise<{ result: BackupCreated; fileName: string; bytes: Uint8Array }> {
  if (input.passphrase !== undefined) assertStrongBackupPassphrase(input.passphrase);
  const passphrase = input.passphrase ?? generateBackupPassphrase();
  const fileName = `certdesk-backup-${nowOf(ctx).toISOString().slice(0, 16).replace(/[-:T]/g, '')}.age`;
  let bytes: Uint8Array = new Uint8Array();
  const result = await makeBackup(ctx, passphrase, fileName, (sealed) => {
    bytes = sealed;
    return Promise.resolve();
  });
  return { result: input.passphrase === undefined ? { ...result, passphraseGenerated: true, passphrase } : result, fileName, bytes };
}

/** The Settings view's backup line: when the last backup was made and whether to remind. */
export async function getBackupStatus(ctx: ServiceContext): Promise<BackupStatus> {
  const store = await openStoreIfExists(ctx);
  if (!store) return { lastBackupAt: null, keys: 0, reminder: false };
  let keys = 0;
  for (const id of await store.listRequestIds()) {
    if (await exists(join(store.dir, LAYOUT.requests, id, LAYOUT.keyEnc))) keys++;
  }
  const bytes = await guardIo('cannot read the backup state', () => readIfExists(join(store.dir, BACKUP_STATE_FILE)));
  let lastBackupAt: string | null;
  try {
    const v = bytes ? (JSON.parse(bytes.toString('utf8')) as { lastBackupAt?: unknown }).lastBackupAt : null;
    lastBackupAt = typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? v : null;
  } catch {
    lastBackupAt = null;
  }
  return { lastBackupAt, keys, reminder: keys > 0 && lastBackupAt === null };
}

/** The backup file: opened once, a regular file only (never a FIFO or device), up to the largest backup. */
function readBackupFile(file: UserPath): Promise<Buffer> {
  return readUserFile(file, 'backup file', {
    maxBytes: MAX_BACKUP_BYTES,
    tooLarge: () => new CertdeskError('INVALID_INPUT', `${showPath(file)} is larger than any Certdesk backup`),
  });
}

/** Creates the missing ancestors of `dir` (not `dir` itself); returns the topmost one created, to undo. */
async function ensureParent(dir: string): Promise<string | null> {
  let top: string | null = null;
  for (let p = dirname(dir); !(await exists(p)); p = dirname(p)) {
    top = p;
    if (dirname(p) === p) break;
  }
  await ensureDir(dirname(dir));
  return top;
}

/**
 * Restores a backup into ctx.storeDir, which must be missing or an empty folder. Checks everything
 * before writing; builds the store beside the target, puts its keychain entries in place (refusing
 * an existing entry with another value), decrypts every key once as proof, then renames it into
 * place. Any failure removes what this call created: folders, files and keychain entries.
 */
export async function restoreBackup(ctx: ServiceContext, input: { file: UserPath; passphrase: string } | { data: Uint8Array; passphrase: string }): Promise<RestoreResult> {
  const target = resolve(ctx.storeDir);
  const targetState = await guardIo(`cannot check ${target}`, async () => {
    const s = await stat(target).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    });
    if (s === null) return 'missing' as const;
    if (!s.isDirectory()) throw new CertdeskError('CONFLICT', `${target} exists and is not a folder; restore into an empty or new folder`);
    if ((await readdir(target)).length > 0) throw new CertdeskError('CONFLICT', `${target} is not empty; a backup is only restored into an empty or new folder, never over a store`);
    return 'empty' as const;
  });
  const data = 'data' in input ? input.data : await readBackupFile(resolveUserPath(process.cwd(), input.file));
  const content = await openBackup(data, input.passphrase);
  // Conflicts before anything is written: an entry with another value belongs to some other store copy.
  const toCreate: KeychainEntry[] = [];
  for (const k of content.keychain) {
    const existing = await ctx.secrets.get(k.account);
    if (existing !== null && existing !== k.secret) {
      throw new CertdeskError('CONFLICT', `the OS keychain already holds "${k.account}" (service "Certdesk") with a different value; remove that entry only if it belongs to nothing you need, then retry`);
    }
    if (existing === null) toCreate.push(k);
  }
  const building = join(dirname(target), `.${basename(target)}.restore-${randomBytes(6).toString('hex')}`);
  const created: string[] = [];
  let createdAncestor: string | null = null;
  try {
    createdAncestor = await guardIo(`cannot create ${target}`, () => ensureParent(target));
    await guardIo(`cannot write the restored store beside ${target}`, async () => {
      await ensureDir(building);
      for (const [path, bytes] of content.files) {
        const abs = join(building, ...path.split('/'));
        await ensureDir(dirname(abs));
        await writeFileDurable(abs, bytes);
      }
    });
    for (const k of toCreate) {
      await ctx.secrets.set(k.account, k.secret);
      created.push(k.account);
      if ((await ctx.secrets.get(k.account)) !== k.secret) {
        throw new CertdeskError('KEYCHAIN_UNAVAILABLE', `the OS keychain did not keep "${k.account}"; check that the keyring is unlocked and persistent`);
      }
    }
    // The proof: every key decrypts with the key now in the keychain, under its request id.
    const restored = await Store.open(building, ctx.secrets, { create: false, ...(ctx.now ? { now: ctx.now } : {}) });
    const ids = await restored.listRequestIds();
    let keysVerified = 0;
    for (const id of ids) {
      if (!(await exists(join(building, LAYOUT.requests, id, LAYOUT.keyEnc)))) continue;
      await restored.readPrivateKey(id);
      keysVerified++;
    }
    await restored.appendAudit({ event: 'backup-restored', detail: `from a backup made ${content.manifest.createdAt}; ${keysVerified} keys decrypted as proof` });
    await guardIo(`cannot move the restored store into ${target}`, async () => {
      // POSIX rename replaces an empty folder in one step; Windows needs it gone first.
      if (targetState === 'empty' && process.platform === 'win32') await rmdir(target);
      await renameDurable(building, target);
    });
    return {
      storeDir: target,
      storeId: content.manifest.storeId,
      backupCreatedAt: content.manifest.createdAt,
      files: content.files.size,
      requests: ids.length,
      keysVerified,
      keychainEntriesCreated: created.length,
    };
  } catch (e) {
    await removeDurable(building).catch(() => undefined);
    for (const account of created) await ctx.secrets.delete(account).catch(() => false);
    if (createdAncestor) await removeDurable(createdAncestor).catch(() => undefined);
    throw e;
  }
}
