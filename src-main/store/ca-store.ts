import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CertdeskError } from '../common/errors.js';
import { sha256Hex } from '../pki/fingerprint.js';
import { decodePemBlocks, toPem } from '../pki/pem.js';
import { ensureDir, writeFileDurable } from './durable.js';
import { guardIo } from './io-error.js';
import type { Store } from './store.js';

/**
 * Root and intermediate CA certificates the admin imported (the procedure's first step: every proxy
 * must trust the internal root), kept as `<store>/ca/<sha256>.pem`. The file name is the content's
 * hash, so adding is idempotent and a damaged file is detected on read.
 */

/** Folder name inside the store. */
export const CA_FOLDER = 'ca';
const FILE_RE = /^([0-9a-f]{64})\.pem$/;

/** One stored CA certificate. */
export interface StoredCaCertificate {
  sha256: string;
  der: Uint8Array;
}

function holds(pem: Uint8Array, sha256: string): boolean {
  try {
    const der = decodePemBlocks(pem)[0]?.der;
    return der !== undefined && sha256Hex(der) === sha256;
  } catch {
    return false;
  }
}

/** The CA certificates of one store. */
export class CaStore {
  constructor(private readonly store: Store) {}

  private get dir(): string {
    return join(this.store.dir, CA_FOLDER);
  }

  /** Every stored CA certificate, sorted by hash; STORE_CORRUPT naming a file whose content does not match its name. */
  async list(): Promise<StoredCaCertificate[]> {
    return guardIo('cannot read the CA certificates', async () => {
      let names: string[];
      try {
        names = await readdir(this.dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
      const out: StoredCaCertificate[] = [];
      for (const name of names.sort()) {
        const m = FILE_RE.exec(name);
        if (!m) continue; // temp files of an interrupted write, or the admin's notes
        const bytes = await readFile(join(this.dir, name));
        let der: Uint8Array | undefined;
        try {
          der = decodePemBlocks(bytes)[0]?.der;
        } catch {
          der = undefined;
        }
        if (!der || sha256Hex(der) !== m[1]) {
          throw new CertdeskError('STORE_CORRUPT', `the stored CA certificate ${join(CA_FOLDER, name)} is damaged (its content does not match its name); delete that file and import the certificate again`);
        }
        out.push({ sha256: m[1], der });
      }
      return out;
    });
  }

  /** Stores `der` durably under the store lock; false when it was already there. */
  async add(der: Uint8Array): Promise<boolean> {
    const sha256 = sha256Hex(der);
    const path = join(this.dir, `${sha256}.pem`);
    return this.store.withLock(() =>
      guardIo('cannot store a CA certificate', async () => {
        const existing = await readFile(path).catch(() => null);
        // A damaged file of the same name is simply rewritten: the new content is the right one.
        if (existing !== null && holds(existing, sha256)) return false;
        await ensureDir(this.dir);
        await writeFileDurable(path, toPem(der, 'CERTIFICATE'));
        return true;
      }),
    );
  }
}
