import { randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CertdeskError } from '../common/errors.js';
import { writeFileDurable } from './durable.js';

/** The store format this build reads and writes. */
export const STORE_SCHEMA_VERSION = 1;

/** File and folder names inside a store folder and a request folder. */
export const LAYOUT = {
  meta: 'store.json',
  readme: 'README.txt',
  lock: 'store.lock',
  audit: 'audit.log',
  requests: 'requests',
  requestJson: 'request.json',
  requestCsr: 'request.csr',
  keyEnc: 'key.enc',
  /** requests/.tmp-<id>: a request being built; renamed into place when complete. */
  tmpPrefix: '.tmp-',
  /** requests/.del-<id>-<rand>: a request being removed. */
  delPrefix: '.del-',
} as const;

/** store.json: identifies the store (its keychain entry is keyed by storeId) and its format. */
export interface StoreMeta {
  schemaVersion: number;
  storeId: string;
  createdAt: string;
}

const README = `This folder is a Certdesk store: certificate requests, their encrypted private keys,
issued certificates and an audit log, kept by the Certdesk app and the \`certdesk\` command line.

Do not edit, rename or copy files in here by hand: every write is made atomically and checked, and a
hand-edited file makes its request unreadable. Use \`certdesk request list\`, \`show\` and \`delete\`.

  store.json          format version and the store id
  requests/<id>/      one folder per request: request.json (metadata), request.csr (PEM),
                      key.enc (the private key, AES-256-GCM encrypted), certificates once issued
  audit.log           append-only log of key generation, export and deletion (one JSON line each)
  store.lock          present while a Certdesk process is writing

The private keys can only be decrypted with this store's key, which is kept in the OS keychain
(service "Certdesk", account "store-key:<store id>") of the user who created the store. Backing up
this folder without that keychain entry backs up the requests but not usable private keys.
`;

/** Reads store.json; null when it does not exist. Unreadable, foreign or newer -> a clear error. */
export async function readMeta(dir: string): Promise<StoreMeta | null> {
  let text: string;
  try {
    text = await readFile(join(dir, LAYOUT.meta), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  let meta: Partial<StoreMeta> | null = null;
  try {
    meta = JSON.parse(text) as Partial<StoreMeta>;
  } catch {
    // reported below
  }
  if (!meta || typeof meta !== 'object' || typeof meta.schemaVersion !== 'number' || typeof meta.storeId !== 'string' || !/^[0-9a-f-]{8,64}$/.test(meta.storeId)) {
    throw new CertdeskError('STORE_CORRUPT', `${join(dir, LAYOUT.meta)} is damaged or not a Certdesk store file`);
  }
  if (meta.schemaVersion > STORE_SCHEMA_VERSION) {
    throw new CertdeskError(
      'CONFLICT',
      `the store in ${dir} was written by a newer Certdesk (format ${meta.schemaVersion}; this version reads format ${STORE_SCHEMA_VERSION}); upgrade Certdesk`,
    );
  }
  if (meta.schemaVersion !== STORE_SCHEMA_VERSION) {
    throw new CertdeskError('STORE_CORRUPT', `${join(dir, LAYOUT.meta)} has an unknown format version ${meta.schemaVersion}`);
  }
  return { schemaVersion: meta.schemaVersion, storeId: meta.storeId, createdAt: String(meta.createdAt) };
}

/**
 * Writes store.json and README.txt for a new store (call under the lock, after readMeta said null).
 * A requests/ folder with requests in it but no store.json means the identity was lost: refuse,
 * since a new storeId would orphan every encrypted key.
 */
export async function initMeta(dir: string, now: Date): Promise<StoreMeta> {
  let entries: string[] = [];
  try {
    entries = await readdir(join(dir, LAYOUT.requests));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (entries.some((n) => !n.startsWith('.'))) {
    throw new CertdeskError('STORE_CORRUPT', `${join(dir, LAYOUT.meta)} is missing but the store holds requests; restore it from a backup`);
  }
  const meta: StoreMeta = { schemaVersion: STORE_SCHEMA_VERSION, storeId: randomUUID(), createdAt: now.toISOString() };
  await writeFileDurable(join(dir, LAYOUT.readme), README);
  await writeFileDurable(join(dir, LAYOUT.meta), `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}
