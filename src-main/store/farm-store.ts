import { join } from 'node:path';
import { z } from 'zod';
import { CertdeskError } from '../common/errors.js';
import { FARM_NAME_PATTERN, type Farm, WINDOWS_VERSIONS } from '../common/farms.js';
import { ensureDir, removeDurable, writeFileDurable } from './durable.js';
import { REQUEST_ID_PATTERN } from './ids.js';
import { guardIo } from './io-error.js';
import { NamedJsonFolder } from './named-json-folder.js';
import type { Store } from './store.js';

/** The folder of farm files inside a store. */
export const FARMS_DIR = 'farms';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'is not a date');
const thumbprint = z.string().regex(/^[0-9A-F]{40}$/);

// Loose objects, like request.json: a newer Certdesk may add optional fields and an older one must
// keep them on rewrite.
const farmSchema = z.looseObject({
  schemaVersion: z.literal(1),
  name: z.string().regex(FARM_NAME_PATTERN),
  nodes: z.array(z.looseObject({ host: z.string().min(1), windowsVersion: z.enum(WINDOWS_VERSIONS), notes: z.string() })),
  trustedCas: z.array(
    z.looseObject({
      role: z.enum(['root', 'intermediate']),
      subject: z.string(),
      issuer: z.string(),
      notAfter: isoTime,
      thumbprint,
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      pem: z.string().startsWith('-----BEGIN CERTIFICATE-----'),
    }),
  ),
  requestIds: z.array(z.string().regex(REQUEST_ID_PATTERN)),
  deployments: z.array(
    z.looseObject({
      requestId: z.string().regex(REQUEST_ID_PATTERN),
      host: z.string().min(1),
      state: z.enum(['deployed', 'verified']),
      thumbprint,
      deployedAt: isoTime,
      verifiedAt: isoTime.optional(),
      operator: z.string().optional(),
    }),
  ),
  createdAt: isoTime,
  updatedAt: isoTime,
});

function checkFarm(value: unknown, what: string): Farm {
  const r = farmSchema.safeParse(value);
  if (r.success) return r.data as Farm;
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'the record';
  throw new CertdeskError('STORE_CORRUPT', `${what} is damaged: ${where} is invalid (${issue?.message ?? 'unknown problem'})`);
}

// Windows refuses these as file names whatever the extension (CON.json opens the console).
const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** Throws INVALID_INPUT unless `name` is a valid farm name. */
export function assertFarmName(name: string): void {
  if (!FARM_NAME_PATTERN.test(name) || name.endsWith('.')) {
    throw new CertdeskError('INVALID_INPUT', `"${name.slice(0, 80)}" is not a valid farm name: use up to 64 letters, digits, "-", "_" and ".", starting and ending with a letter or digit`);
  }
  if (WINDOWS_DEVICE_NAMES.test(name)) throw new CertdeskError('INVALID_INPUT', `"${name}" is reserved by Windows as a device name; choose another farm name`);
}

/**
 * Farms, one JSON file each in `<store>/farms/<name>.json`, written durably (temp, fsync, rename,
 * fsync folder) under the store's inter-process lock. Names are unique case-insensitively, because
 * the store may live on a case-insensitive file system (Windows, macOS).
 */
export class FarmStore {
  private readonly dir: string;
  private readonly files: NamedJsonFolder;

  constructor(private readonly store: Store) {
    this.dir = join(store.dir, FARMS_DIR);
    this.files = new NamedJsonFolder(this.dir, FARM_NAME_PATTERN, 'farms');
  }

  private async read(name: string): Promise<Farm> {
    const what = `farm ${name}`;
    const parsed = await this.files.readJson(name, what);
    const farm = checkFarm(parsed, what);
    if (farm.name !== name) throw new CertdeskError('STORE_CORRUPT', `${what} is damaged: its file names farm ${farm.name}`);
    return farm;
  }

  private async write(farm: Farm): Promise<void> {
    const checked = checkFarm(farm, `farm ${farm.name}`);
    await guardIo(`cannot save farm ${farm.name}`, async () => {
      await ensureDir(this.dir);
      await writeFileDurable(join(this.dir, `${farm.name}.json`), `${JSON.stringify(checked, null, 2)}\n`);
    });
  }

  /** Every farm, by name. */
  async list(): Promise<Farm[]> {
    const names = await this.files.names();
    const farms: Farm[] = [];
    for (const n of names) farms.push(await this.read(n));
    return farms.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The farm called `name` (case-insensitive); NOT_FOUND when there is none. */
  async get(name: string): Promise<Farm> {
    assertFarmName(name);
    const stored = await this.files.storedName(name);
    if (stored === null) throw new CertdeskError('NOT_FOUND', `no farm "${name}" (certdesk farm list shows them)`);
    return this.read(stored);
  }

  /** Stores a new farm; CONFLICT when one of that name exists. */
  async create(farm: Farm): Promise<Farm> {
    assertFarmName(farm.name);
    return this.store.withLock(async () => {
      const existing = await this.files.storedName(farm.name);
      if (existing !== null) throw new CertdeskError('CONFLICT', `a farm "${existing}" already exists`);
      await this.write(farm);
      return farm;
    });
  }

  /** Rewrites a farm with what `mutate` returns (its name cannot change), under the store lock. */
  async update(name: string, mutate: (f: Farm) => Farm, now: () => Date = () => new Date()): Promise<Farm> {
    return this.store.withLock(async () => {
      const current = await this.get(name);
      const next = mutate(structuredClone(current));
      if (next.name !== current.name) throw new CertdeskError('INTERNAL', 'a farm update tried to rename the farm');
      next.updatedAt = now().toISOString();
      await this.write(next);
      return next;
    });
  }

  /** Removes a farm's file (the parent folder fsynced), under the store lock; NOT_FOUND when there is none. */
  async delete(name: string): Promise<Farm> {
    return this.store.withLock(async () => {
      const current = await this.get(name);
      await guardIo(`cannot delete farm ${current.name}`, () => removeDurable(join(this.dir, `${current.name}.json`)));
      return current;
    });
  }
}
