import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { CertdeskError } from '../common/errors.js';
import { TOPOLOGY_NAME_PATTERN } from '../common/topologies.js';
import { ensureDir, removeDurable, writeFileDurable } from './durable.js';
import { guardIo } from './io-error.js';
import { NamedJsonFolder } from './named-json-folder.js';
import type { Store } from './store.js';

/** The folder of named topologies inside a store. */
export const TOPOLOGIES_DIR = 'topologies';

/**
 * One stored topology file, `<store>/topologies/<name>.json`. The topology itself is kept as its
 * canonical JSON text (`json`), exactly the bytes whose SHA-256 requests record, so the hash can be
 * checked on every read; its content is validated by the services (the planning layer), not here.
 */
export interface TopologyFile {
  schemaVersion: 1;
  name: string;
  savedFrom: string;
  createdAt: string;
  updatedAt: string;
  sha256: string;
  json: string;
}

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'is not a date');
// Loose, like request.json and farms: a newer Certdesk may add fields an older one must keep.
const fileSchema = z.looseObject({
  schemaVersion: z.literal(1),
  name: z.string().regex(TOPOLOGY_NAME_PATTERN),
  savedFrom: z.string().max(1024),
  createdAt: isoTime,
  updatedAt: isoTime,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  json: z.string(),
});

// Windows refuses these as file names whatever the extension (CON.json opens the console).
const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** Throws INVALID_INPUT unless `name` is a valid topology name. */
export function assertTopologyName(name: string): void {
  if (!TOPOLOGY_NAME_PATTERN.test(name) || name.endsWith('.')) {
    throw new CertdeskError(
      'INVALID_INPUT',
      `"${name.slice(0, 80)}" is not a valid topology name: use up to 64 letters, digits, "-", "_" and ".", starting and ending with a letter or digit`,
    );
  }
  if (WINDOWS_DEVICE_NAMES.test(name)) throw new CertdeskError('INVALID_INPUT', `"${name}" is reserved by Windows as a device name; choose another topology name`);
}

/** SHA-256 of a canonical topology text, lower-case hex. */
export function topologySha256(json: string): string {
  return createHash('sha256').update(json, 'utf8').digest('hex');
}

/**
 * Named topologies, one JSON file each, written durably (temp, fsync, rename, fsync folder) under
 * the store's lock. Names are unique case-insensitively (the store may sit on NTFS or APFS).
 */
export class TopologyStore {
  private readonly dir: string;
  private readonly files: NamedJsonFolder;

  constructor(private readonly store: Store) {
    this.dir = join(store.dir, TOPOLOGIES_DIR);
    this.files = new NamedJsonFolder(this.dir, TOPOLOGY_NAME_PATTERN, 'topologies');
  }

  private async read(name: string): Promise<TopologyFile> {
    const what = `topology ${name}`;
    const parsed = await this.files.readJson(name, what);
    const r = fileSchema.safeParse(parsed);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new CertdeskError('STORE_CORRUPT', `${what} is damaged: ${issue && issue.path.length > 0 ? issue.path.join('.') : 'the file'} is invalid`);
    }
    const file = r.data as TopologyFile;
    if (file.name !== name) throw new CertdeskError('STORE_CORRUPT', `${what} is damaged: its file names topology ${file.name}`);
    if (topologySha256(file.json) !== file.sha256) throw new CertdeskError('STORE_CORRUPT', `${what} is damaged: its content does not match its SHA-256`);
    return file;
  }

  /** Every stored topology, by name. */
  async list(): Promise<TopologyFile[]> {
    const names = await this.files.names();
    const out: TopologyFile[] = [];
    for (const n of names) out.push(await this.read(n));
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The topology called `name` (case-insensitive); NOT_FOUND when there is none. */
  async get(name: string): Promise<TopologyFile> {
    assertTopologyName(name);
    const stored = await this.files.storedName(name);
    if (stored === null) throw new CertdeskError('NOT_FOUND', `no stored topology "${name}" (certdesk topology list shows them)`);
    return this.read(stored);
  }

  /**
   * Saves `json` (canonical topology text) under `name`: a new entry, or a new version of an
   * existing one (its stored spelling and creation time are kept). Returns the file and whether it
   * replaced an earlier version.
   */
  async save(name: string, json: string, savedFrom: string, now: Date): Promise<{ file: TopologyFile; replaced: TopologyFile | null }> {
    assertTopologyName(name);
    return this.store.withLock(async () => {
      const existing = await this.files.storedName(name);
      const previous = existing === null ? null : await this.read(existing);
      const at = now.toISOString();
      const file: TopologyFile = {
        schemaVersion: 1,
        name: existing ?? name,
        savedFrom,
        createdAt: previous?.createdAt ?? at,
        updatedAt: at,
        sha256: topologySha256(json),
        json,
      };
      await guardIo(`cannot save topology ${file.name}`, async () => {
        await ensureDir(this.dir);
        await writeFileDurable(join(this.dir, `${file.name}.json`), `${JSON.stringify(file, null, 2)}\n`);
      });
      return { file, replaced: previous };
    });
  }

  /** Removes a stored topology (damaged or not) and returns its stored name; NOT_FOUND when there is none. Requests keep their own copies. */
  async delete(name: string): Promise<string> {
    assertTopologyName(name);
    return this.store.withLock(async () => {
      const stored = await this.files.storedName(name);
      if (stored === null) throw new CertdeskError('NOT_FOUND', `no stored topology "${name}" (certdesk topology list shows them)`);
      await guardIo(`cannot delete topology ${stored}`, () => removeDurable(join(this.dir, `${stored}.json`)));
      return stored;
    });
  }
}
