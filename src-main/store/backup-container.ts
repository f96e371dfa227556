import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type * as AgeModule from 'age-encryption';
import * as tar from 'tar-stream';
import { z } from 'zod';
import { CertdeskError } from '../common/errors.js';
import { ScryptStanzaError, scryptIdentity, scryptRecipient } from './age-scrypt.js';

/**
 * The backup container (docs/architecture.md, "Backup container"): an age file (scrypt recipient,
 * so the standard `age -d` opens it with the passphrase) around a plain ustar archive holding
 *   certdesk-backup.json   the manifest: format, version, store id, time, every other entry's size and SHA-256
 *   keychain.json          the store's keychain entries (store key, PFX passwords) as [{ account, secret }]
 *   store/<path>           every file of the store folder
 * Boring on purpose: `age -d backup.age | tar -x` and `sha256sum` are enough to inspect one by hand.
 */

/** The manifest's entry name; it comes first in the archive. */
export const MANIFEST_NAME = 'certdesk-backup.json';
/** The entry holding the keychain secrets. */
export const KEYCHAIN_NAME = 'keychain.json';
/** Store files live under this prefix in the archive. */
export const STORE_PREFIX = 'store/';
/**
 * scrypt work factor (log2 N) for the age recipient. 18 is age's own default; the Go `age` tool
 * accepts up to 22 and age-encryption's decrypter up to 20, so both can open what we write.
 */
export const SCRYPT_LOG_N = 18;
/** Backups larger than this are refused before decryption (a store is kilobytes per request). */
export const MAX_BACKUP_BYTES = 512 * 1024 * 1024;

const AGE_MAGIC = 'age-encryption.org/v1\n';
const SHA256 = /^[0-9a-f]{64}$/;
/** A store path: segments of safe characters, none starting with a dot (no `..`, no hidden leftovers). */
const STORE_PATH = /^(?:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}\/){0,6}[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

const manifestSchema = z.strictObject({
  format: z.literal('certdesk-backup'),
  version: z.literal(1),
  createdAt: z.string().refine((s) => !Number.isNaN(Date.parse(s))),
  storeId: z.string().regex(/^[0-9a-f-]{8,64}$/),
  createdBy: z.string().max(100),
  entries: z.array(z.strictObject({ name: z.string().max(1000), size: z.number().int().nonnegative(), sha256: z.string().regex(SHA256) })).max(1_000_000),
});
/** certdesk-backup.json. */
export type BackupManifest = z.infer<typeof manifestSchema>;

const keychainSchema = z.array(z.strictObject({ account: z.string().min(1).max(300), secret: z.string().min(1).max(10_000) })).max(1_000_000);
/** One keychain entry carried by a backup. */
export type KeychainEntry = z.infer<typeof keychainSchema>[number];

/** The decrypted, checked content of a backup. */
export interface BackupContent {
  manifest: BackupManifest;
  /** Store files by their path inside the store folder ('/'-separated). */
  files: Map<string, Buffer>;
  keychain: KeychainEntry[];
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** True when `path` may be a store file in a backup (relative, no hidden or parent segments). */
export function isBackupStorePath(path: string): boolean {
  return STORE_PATH.test(path);
}

type Age = typeof AgeModule;
let ageModule: Promise<Age> | null = null;
/** age-encryption is ESM-only; main compiles to CommonJS, so it is loaded with a real dynamic import. */
function loadAge(): Promise<Age> {
  ageModule ??= import('age-encryption');
  return ageModule;
}

async function packTar(entries: { name: string; data: Buffer }[], mtime: Date): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pack.on('data', (c: unknown) => chunks.push(c as Buffer));
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
  });
  for (const e of entries) {
    await new Promise<void>((resolve, reject) => {
      pack.entry({ name: e.name, size: e.data.length, mode: 0o600, mtime, type: 'file' }, e.data, (err) => (err ? reject(err) : resolve()));
    });
  }
  pack.finalize();
  return done;
}

/** Builds the encrypted backup: the manifest, the keychain entries and every store file. */
export async function sealBackup(
  input: { storeId: string; createdBy: string; files: Map<string, Buffer>; keychain: KeychainEntry[] },
  passphrase: string,
  now: Date,
): Promise<Uint8Array> {
  const keychainJson = Buffer.from(`${JSON.stringify(input.keychain, null, 2)}\n`, 'utf8');
  const body: { name: string; data: Buffer }[] = [{ name: KEYCHAIN_NAME, data: keychainJson }];
  for (const [path, data] of [...input.files].sort(([a], [b]) => a.localeCompare(b))) {
    if (!isBackupStorePath(path)) throw new CertdeskError('INTERNAL', `a store file has a name a backup cannot carry: ${path}`);
    body.push({ name: `${STORE_PREFIX}${path}`, data });
  }
  const manifest: BackupManifest = {
    format: 'certdesk-backup',
    version: 1,
    createdAt: now.toISOString(),
    storeId: input.storeId,
    createdBy: input.createdBy,
    entries: body.map((e) => ({ name: e.name, size: e.data.length, sha256: sha256(e.data) })),
  };
  const tarBytes = await packTar([{ name: MANIFEST_NAME, data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') }, ...body], now);
  const age = await loadAge();
  const enc = new age.Encrypter();
  enc.addRecipient(scryptRecipient(age, passphrase, SCRYPT_LOG_N));
  return enc.encrypt(tarBytes);
}

function notABackup(why: string): CertdeskError {
  return new CertdeskError('INVALID_INPUT', `this file is not a Certdesk backup (${why})`);
}
function damaged(why: string): CertdeskError {
  return new CertdeskError('STORE_CORRUPT', `the backup is damaged or was altered (${why}); nothing was restored`);
}

async function decrypt(data: Uint8Array, passphrase: string): Promise<Buffer> {
  if (Buffer.from(data.subarray(0, AGE_MAGIC.length)).toString('latin1') !== AGE_MAGIC) notAnAge();
  const age = await loadAge();
  const dec = new age.Decrypter();
  dec.addIdentity(scryptIdentity(passphrase));
  try {
    return Buffer.from(await dec.decrypt(data));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // age-encryption says "no identity matched any of the file's recipients" when the scrypt stanza
    // does not open (wrong passphrase); anything else is a broken header or body.
    const header = Buffer.from(data.subarray(0, 4096)).toString('latin1');
    if (/no identity matched/i.test(msg) && !header.includes('\n-> scrypt ')) throw notABackup('it is age-encrypted to a key, not with a passphrase');
    if (/no identity matched/i.test(msg)) throw new CertdeskError('INVALID_INPUT', 'wrong passphrase: the backup could not be decrypted with it');
    if (e instanceof ScryptStanzaError) throw notABackup(`its passphrase stanza is not acceptable: ${e.message}`);
    throw damaged('the encrypted data does not authenticate: truncated, or a byte was changed');
  }
}

function notAnAge(): never {
  throw notABackup('it is not an age-encrypted file');
}

async function untar(bytes: Buffer): Promise<{ name: string; data: Buffer }[]> {
  const extract = tar.extract();
  const out: { name: string; data: Buffer }[] = [];
  let total = 0;
  try {
    const feeding = Readable.from([bytes]).pipe(extract);
    for await (const entry of feeding) {
      const h = entry.header;
      if (h.type !== 'file') throw notABackup(`the archive holds a ${String(h.type)} entry`);
      const chunks: Buffer[] = [];
      for await (const c of entry as AsyncIterable<Buffer>) {
        total += c.length;
        if (total > MAX_BACKUP_BYTES) throw notABackup('the archive is too large');
        chunks.push(c);
      }
      out.push({ name: h.name, data: Buffer.concat(chunks) });
    }
  } catch (e) {
    if (e instanceof CertdeskError) throw e;
    throw notABackup('the decrypted content is not a tar archive');
  }
  return out;
}

/**
 * Decrypts and checks a backup: the manifest lists every other entry exactly once with its size and
 * SHA-256, the store files have safe names, store.json names the manifest's store, and the keychain
 * entries belong to that store. Anything else is refused before a byte is written anywhere.
 */
export async function openBackup(data: Uint8Array, passphrase: string): Promise<BackupContent> {
  if (data.length > MAX_BACKUP_BYTES) throw notABackup('it is larger than any Certdesk backup');
  const entries = await untar(await decrypt(data, passphrase));
  const [first, ...rest] = entries;
  if (!first || first.name !== MANIFEST_NAME) throw notABackup(`its first entry is not ${MANIFEST_NAME}`);
  let manifestJson: unknown;
  try {
    manifestJson = JSON.parse(first.data.toString('utf8'));
  } catch {
    throw notABackup(`${MANIFEST_NAME} is not JSON`);
  }
  const parsed = manifestSchema.safeParse(manifestJson);
  if (!parsed.success) throw notABackup(`${MANIFEST_NAME} is not a manifest this version reads`);
  const manifest = parsed.data;
  const listed = new Map(manifest.entries.map((e) => [e.name, e]));
  if (listed.size !== manifest.entries.length) throw damaged('the manifest lists an entry twice');
  const seen = new Set<string>();
  const files = new Map<string, Buffer>();
  let keychainBytes: Buffer | null = null;
  for (const e of rest) {
    const want = listed.get(e.name);
    if (!want) throw damaged(`${e.name} is not in the manifest`);
    if (seen.has(e.name)) throw damaged(`${e.name} appears twice`);
    seen.add(e.name);
    if (want.size !== e.data.length || want.sha256 !== sha256(e.data)) throw damaged(`${e.name} does not match its SHA-256 in the manifest`);
    if (e.name === KEYCHAIN_NAME) keychainBytes = e.data;
    else if (e.name.startsWith(STORE_PREFIX) && isBackupStorePath(e.name.slice(STORE_PREFIX.length))) files.set(e.name.slice(STORE_PREFIX.length), e.data);
    else throw damaged(`the entry name ${e.name} is not allowed`);
  }
  const missing = manifest.entries.find((e) => !seen.has(e.name));
  if (missing) throw damaged(`${missing.name} is listed in the manifest but missing`);
  if (!keychainBytes) throw damaged(`${KEYCHAIN_NAME} is missing`);
  let keychain: KeychainEntry[];
  try {
    keychain = keychainSchema.parse(JSON.parse(keychainBytes.toString('utf8')));
  } catch {
    throw damaged(`${KEYCHAIN_NAME} is not readable`);
  }
  const storeJson = files.get('store.json');
  let storeId: unknown;
  try {
    storeId = storeJson ? (JSON.parse(storeJson.toString('utf8')) as { storeId?: unknown }).storeId : undefined;
  } catch {
    storeId = undefined;
  }
  if (storeId !== manifest.storeId) throw damaged("store.json does not name the manifest's store");
  const own = (a: string) => a === `store-key:${manifest.storeId}` || a.startsWith(`pfx-password:${manifest.storeId}:`);
  if (!keychain.every((k) => own(k.account))) throw damaged('a keychain entry belongs to another store');
  const hasKeys = [...files.keys()].some((p) => p.endsWith('/key.enc'));
  if (hasKeys && !keychain.some((k) => k.account === `store-key:${manifest.storeId}`)) throw damaged("the store key's keychain entry is missing");
  return { manifest, files, keychain };
}
