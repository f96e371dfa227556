import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertdeskError } from '../../../src-main/common/errors.js';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import type { ServiceContext } from '../../../src-main/services/context.js';
import { exportPfx, pfxPasswordAccount } from '../../../src-main/services/export.js';
import { importCertificate } from '../../../src-main/services/import.js';
import { createRequest, deleteRequest, getCsr, showRequest } from '../../../src-main/services/requests.js';
import { Store } from '../../../src-main/store/store.js';
import { type TestCa, createTestCa } from '../../helpers/openssl-ca.js';
import { auditEvents } from './store-access.js';

let ca: TestCa;
let root: string;
let ctx: ServiceContext & { secrets: ReturnType<typeof createMemorySecretStore> };
let storeId: string;
const warnings: string[] = [];

beforeAll(async () => {
  ca = createTestCa('rsa');
  root = mkdtempSync(join(tmpdir(), 'certdesk-delete-'));
  ctx = { storeDir: join(root, 'store'), secrets: createMemorySecretStore(), warn: (m) => warnings.push(m) };
  storeId = (await Store.open(ctx.storeDir, ctx.secrets)).storeId;
});
afterAll(() => {
  ca?.cleanup();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** A request with an issued certificate and `exports` PFX exports (passwords in ctx.secrets). */
async function exportedRequest(cn: string, exports: number): Promise<{ id: string; files: string[] }> {
  const r = await createRequest(ctx, { subject: { commonName: cn }, sans: [] });
  const leaf = ca.sign(await getCsr(ctx, r.id, 'base64'), { sans: [cn] });
  await importCertificate(ctx, [{ name: 'answer.pem', data: new Uint8Array(Buffer.from(ca.bundle(leaf, { includeRoot: true }))) }]);
  const files: string[] = [];
  for (let i = 1; i <= exports; i++) {
    const out = join(root, `${r.id}-${i}.pfx`);
    await exportPfx(ctx, r.id, { out, generatePassword: true });
    files.push(out);
  }
  return { id: r.id, files };
}

describe('deleteRequest', () => {
  it('refuses an id prefix, naming the full id, and deletes nothing', async () => {
    const r = await createRequest(ctx, { subject: { commonName: 'prefix.contoso.com' }, sans: [] });
    for (const prefix of [r.id.slice(0, 4), r.id.slice(0, 12)]) {
      await expect(deleteRequest(ctx, prefix)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: `give the full request id to delete (${r.id}); a prefix is not enough to destroy a private key`,
      });
    }
    expect((await showRequest(ctx, r.id.slice(0, 12))).record.id).toBe(r.id);
    expect(readdirSync(join(ctx.storeDir, 'requests'))).toContain(r.id);
    // The full id, in any case and with stray blanks, is the full id.
    expect((await deleteRequest(ctx, ` ${r.id.toUpperCase()} `)).id).toBe(r.id);
  });

  it('removes the keychain passwords of every export and reports the PFX files still on disk', async () => {
    const { id, files } = await exportedRequest('twice.contoso.com', 2);
    const other = await exportedRequest('kept.contoso.com', 1);
    const accounts = [1, 2].map((n) => pfxPasswordAccount(storeId, id, n));
    for (const a of accounts) expect(await ctx.secrets.get(a)).not.toBeNull();
    const done = await deleteRequest(ctx, id);
    expect(done).toEqual({ id, exportedFiles: files, passwordsRemoved: 2, passwordsLeft: [], exportedFilesPresent: files, exportedFilesRemoved: [] });
    for (const a of accounts) expect(await ctx.secrets.get(a)).toBeNull();
    // Another request's password stays; the exported files are the user's and stay too.
    expect(await ctx.secrets.get(pfxPasswordAccount(storeId, other.id, 1))).not.toBeNull();
    for (const f of files) expect(existsSync(f)).toBe(true);
    expect((await auditEvents(ctx)).at(-1)).toBe('key-deleted');
  });

  it('probes and removes the passwords of a damaged request, whose exports cannot be read', async () => {
    const { id } = await exportedRequest('damaged.contoso.com', 2);
    rmSync(join(ctx.storeDir, 'requests', id, 'request.json'));
    expect((await deleteRequest(ctx, id)).passwordsRemoved).toBe(2);
    for (const n of [1, 2]) expect(await ctx.secrets.get(pfxPasswordAccount(storeId, id, n))).toBeNull();
  });

  it('still deletes when the keychain fails, and names the entry left behind', async () => {
    const { id } = await exportedRequest('locked.contoso.com', 1);
    const failing: ServiceContext = { ...ctx, secrets: { ...ctx.secrets, delete: () => Promise.reject(new Error('the keychain is locked')) } };
    warnings.length = 0;
    const account = pfxPasswordAccount(storeId, id, 1);
    expect(await deleteRequest(failing, id)).toMatchObject({ passwordsRemoved: 0, passwordsLeft: [account] });
    expect(readdirSync(join(ctx.storeDir, 'requests'))).not.toContain(id);
    expect(warnings).toEqual([expect.stringContaining(`remove the entry "${account}" by hand`)]);
  });
});

describe('deleteRequest with removeExports', () => {
  it('removes the exported PFX files that still hold what was exported, and never a file whose content changed', async () => {
    const { id, files } = await exportedRequest('remove.contoso.com', 2);
    writeFileSync(files[1] as string, 'replaced by someone else');
    const done = await deleteRequest(ctx, id, { removeExports: true });
    expect(done.exportedFilesRemoved).toEqual([files[0]]);
    expect(done.exportedFilesPresent).toEqual([]);
    expect(existsSync(files[0] as string)).toBe(false);
    expect(readFileSync(files[1] as string, 'utf8')).toBe('replaced by someone else');
  });

  it('refuses without a keychain unless forced, deleting nothing', async () => {
    const { id } = await exportedRequest('nokeychain.contoso.com', 1);
    const down: ServiceContext = { ...ctx, secrets: { ...ctx.secrets, get: () => Promise.reject(new CertdeskError('KEYCHAIN_UNAVAILABLE', 'the OS keychain is not available (test)')) } };
    await expect(deleteRequest(down, id)).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringContaining('the request was not deleted') as unknown });
    expect(readdirSync(join(ctx.storeDir, 'requests'))).toContain(id);
    await deleteRequest(down, id, { force: true });
    expect(readdirSync(join(ctx.storeDir, 'requests'))).not.toContain(id);
  });
});
