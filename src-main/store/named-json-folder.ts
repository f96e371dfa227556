import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CertdeskError } from '../common/errors.js';
import { guardIo } from './io-error.js';

/**
 * A store folder of `<name>.json` files (farms, topologies). Names are matched case-insensitively,
 * because the store may sit on a case-insensitive file system (NTFS, APFS). Writing stays with each
 * store: each validates its own content before it writes.
 */
export class NamedJsonFolder {
  /** `plural` names the contents in messages ("farms"); `pattern` is what a valid name looks like. */
  constructor(
    readonly dir: string,
    private readonly pattern: RegExp,
    private readonly plural: string,
  ) {}

  /** The stored names, without `.json` (none when the folder does not exist yet). */
  names(): Promise<string[]> {
    return guardIo(`cannot list the ${this.plural}`, async () => {
      try {
        return (await readdir(this.dir)).filter((n) => n.endsWith('.json') && this.pattern.test(n.slice(0, -5))).map((n) => n.slice(0, -5));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
    });
  }

  /** The stored spelling of `name` (matched case-insensitively), or null. */
  async storedName(name: string): Promise<string | null> {
    const wanted = name.toLowerCase();
    return (await this.names()).find((n) => n.toLowerCase() === wanted) ?? null;
  }

  /** The parsed JSON of `name`; STORE_CORRUPT (naming `what`) when it is not JSON or a newer Certdesk wrote it. */
  async readJson(name: string, what: string): Promise<unknown> {
    const text = await guardIo(`cannot read ${what}`, () => readFile(join(this.dir, `${name}.json`), 'utf8'));
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CertdeskError('STORE_CORRUPT', `${what} is damaged: its file is not valid JSON`);
    }
    if (parsed !== null && typeof parsed === 'object' && 'schemaVersion' in parsed && typeof parsed.schemaVersion === 'number' && parsed.schemaVersion > 1) {
      throw new CertdeskError('STORE_CORRUPT', `${what} was written by a newer Certdesk; upgrade Certdesk to read it`);
    }
    return parsed;
  }
}
