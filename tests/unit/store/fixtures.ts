import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestRecord } from '../../../src-main/common/requests.js';

/** A throwaway folder under the OS temp dir. */
export async function tempDir(prefix = 'certdesk-store-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** One real RSA key for a whole test file (the store never parses it, but the plaintext scan needs real bytes). */
export function testKey(): { pem: string; der: Buffer } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    pem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    der: privateKey.export({ type: 'pkcs8', format: 'der' }),
  };
}

/** A record as the request service would build it, for request id `id`. */
export function sampleRecord(id: string, csrDer: Uint8Array, over: Partial<RequestRecord> = {}): RequestRecord {
  const at = '2026-03-15T10:00:00.000Z';
  return {
    schemaVersion: 1,
    id,
    friendlyName: 'Reverse Proxy Listener',
    description: 'test',
    subject: 'webext.contoso.com',
    subjectFields: { commonName: 'webext.contoso.com' },
    distinguishedName: 'CN=webext.contoso.com',
    sans: ['webext.contoso.com'],
    keyAlgorithm: 'RSA',
    keySize: 2048,
    exportable: true,
    keySpec: 'exchange',
    windowsAttributes: true,
    status: 'pending',
    createdAt: at,
    updatedAt: at,
    publicKeySha256: 'a'.repeat(64),
    csrSha256: createHash('sha256').update(csrDer).digest('hex'),
    findings: [],
    history: [{ at, event: 'key-generated', detail: 'RSA 2048-bit key generated' }],
    ...over,
  };
}

/** Stand-in CSR bytes: the store only wraps them in PEM. */
export function fakeCsrDer(): Uint8Array {
  return Uint8Array.from([0x30, 0x20, ...randomBytes(32)]);
}

/** Every file under `dir` (relative path -> bytes and mode), for byte scans and before/after comparisons. */
export async function walk(dir: string, base = dir): Promise<Map<string, { data: Buffer; mode: number; isDir: boolean }>> {
  const out = new Map<string, { data: Buffer; mode: number; isDir: boolean }>();
  for (const name of await readdir(dir)) {
    const p = join(dir, name);
    const s = await stat(p);
    const rel = p.slice(base.length + 1);
    if (s.isDirectory()) {
      out.set(rel, { data: Buffer.alloc(0), mode: s.mode & 0o777, isDir: true });
      for (const [k, v] of await walk(p, base)) out.set(k, v);
    } else {
      out.set(rel, { data: await readFile(p), mode: s.mode & 0o777, isDir: false });
    }
  }
  return out;
}
