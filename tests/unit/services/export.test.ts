import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import { PASSWORD_ALPHABET, generatePfxPassword, passwordWeakness } from '../../../src-main/pki/pfx-password.js';
import { parsePfx } from '../../../src-main/pki/pkcs12-parse.js';
import { importCaCertificates } from '../../../src-main/services/ca.js';
import type { ServiceContext } from '../../../src-main/services/context.js';
import { buildPfx, exportPfx, getPfxPassword, listExports } from '../../../src-main/services/export.js';
import { importCertificate } from '../../../src-main/services/import.js';
import { createRequest, getCsr, showRequest } from '../../../src-main/services/requests.js';
import { type TestCa, createTestCa } from '../../helpers/openssl-ca.js';
import { treeHash } from '../../helpers/tree-hash.js';

let ca: TestCa;
let root: string;
let ctx: ServiceContext & { secrets: ReturnType<typeof createMemorySecretStore> };
let issuedId: string;
let pendingId: string;
let lockedId: string;

const file = (name: string, data: string | Uint8Array) => ({ name, data: typeof data === 'string' ? new Uint8Array(Buffer.from(data)) : data });

beforeAll(async () => {
  ca = createTestCa('rsa');
  root = mkdtempSync(join(tmpdir(), 'certdesk-export-'));
  ctx = { storeDir: join(root, 'store'), secrets: createMemorySecretStore() };
  const make = async (exportable: boolean) => {
    const r = await createRequest(ctx, { subject: { commonName: 'webext.contoso.com' }, sans: ['meet.contoso.com'], friendlyName: 'Reverse Proxy Listener for Lync Server', exportable });
    return r.id;
  };
  issuedId = await make(true);
  lockedId = await make(false);
  pendingId = await make(true);
  for (const id of [issuedId, lockedId]) {
    const leaf = ca.sign(await getCsr(ctx, id, 'base64'), { sans: ['webext.contoso.com', 'meet.contoso.com'] });
    // The answer without the root: the root arrives later through the CA store.
    await importCertificate(ctx, [file('answer.pem', ca.bundle(leaf, { includeRoot: false }))]);
  }
  await importCaCertificates(ctx, [file('root.cer', ca.root.der)]);
});
afterAll(() => {
  ca?.cleanup();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('PFX passwords', () => {
  it('generates 20+ ASCII characters without look-alikes that pass the strength rules', () => {
    for (let i = 0; i < 50; i++) {
      const pw = generatePfxPassword();
      expect(pw.replace(/-/g, '').length).toBeGreaterThanOrEqual(20);
      expect(pw).toMatch(/^[\x21-\x7e]+$/);
      expect(pw).not.toMatch(/[0O1lIoi]/);
      expect([...pw.replace(/-/g, '')].every((c) => PASSWORD_ALPHABET.includes(c))).toBe(true);
      expect(passwordWeakness(pw)).toBeNull();
    }
  });
  it.each([
    ['short1A!', /too short \(8 characters; at least 12\)/],
    ['aaaaaaaaaaaaaaaaaaaaaaaa', /too few different characters/],
    ['alllowercaseletters', /three of lowercase, uppercase, digits and symbols/],
    ['Pässwörd-1234-Long', /plain printable ASCII/],
    [' Leading-Space-123', /starts or ends with a space/],
    ['', /empty/],
  ])('refuses %j with a reason', (pw, why) => {
    expect(passwordWeakness(pw)).toMatch(why);
  });
});

describe('exportPfx', () => {
  it('writes a legacy PFX with a generated password kept in the keychain, and records the export', async () => {
    const out = join(root, 'webext.pfx');
    const result = await exportPfx(ctx, issuedId, { out, generatePassword: true });
    expect(result).toMatchObject({ requestId: issuedId, exportNumber: 1, path: out, profile: 'legacy', iterations: 2048, includeRoot: false, caCertificates: 1, passwordGenerated: true });
    expect(result.serves).toMatch(/TMG 2010/);
    const bytes = readFileSync(out);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const { password, exportNumber } = await getPfxPassword(ctx, issuedId);
    expect(exportNumber).toBe(1);
    expect(passwordWeakness(password)).toBeNull();
    const parsed = await parsePfx(bytes, password);
    expect(parsed.certificates).toHaveLength(2); // leaf + intermediate, no root
    const { record } = await showRequest(ctx, issuedId);
    expect(record.status).toBe('exported');
    expect(record.exports).toEqual([expect.objectContaining({ n: 1, profile: 'legacy', path: out, sha256: result.sha256, passwordSource: 'generated' })]);
    expect(record.history.at(-1)?.event).toBe('pfx-exported');
    const storeText = readdirSync(ctx.storeDir, { recursive: true })
      .map((p) => join(ctx.storeDir, String(p)))
      .filter((p) => statSync(p).isFile())
      .map((p) => readFileSync(p, 'utf8'))
      .join('\n');
    expect(storeText).toContain('"event":"pfx-exported"');
    expect(storeText).not.toContain(password);
  });

  it('numbers a second export, keeps both passwords, and reveals either', async () => {
    const out = join(root, 'webext-modern.pfx');
    const supplied = 'Modern-Profile-Pass-42';
    const result = await exportPfx(ctx, issuedId, { out, profile: 'modern', password: supplied, iterations: 12_000 });
    expect(result).toMatchObject({ exportNumber: 2, profile: 'modern', iterations: 12000, passwordGenerated: false });
    expect((await getPfxPassword(ctx, issuedId)).password).toBe(supplied);
    expect((await getPfxPassword(ctx, issuedId, 1)).password).not.toBe(supplied);
    expect((await listExports(ctx, issuedId)).map((e) => e.n)).toEqual([1, 2]);
    const parsed = await parsePfx(readFileSync(out), supplied);
    expect(parsed.macDigest).toBe('sha256');
    await expect(getPfxPassword(ctx, issuedId, 7)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  describe('refusals leave the store, the keychain and the disk unchanged', () => {
    async function refuses(id: string, opts: Parameters<typeof exportPfx>[2], code: string, message: RegExp): Promise<void> {
      const before = treeHash(ctx.storeDir);
      const secrets = [...ctx.secrets.entries.keys()].sort();
      const existed = existsSync(opts.out);
      await expect(exportPfx(ctx, id, opts)).rejects.toMatchObject({ code, message: expect.stringMatching(message) as unknown });
      expect(treeHash(ctx.storeDir)).toBe(before);
      expect([...ctx.secrets.entries.keys()].sort()).toEqual(secrets);
      expect(existsSync(opts.out)).toBe(existed);
    }

    it('refuses a non-exportable request and one without a certificate', async () => {
      await refuses(lockedId, { out: join(root, 'x.pfx'), generatePassword: true }, 'NOT_EXPORTABLE', /non-exportable/);
      await refuses(pendingId, { out: join(root, 'x.pfx'), generatePassword: true }, 'NOT_EXPORTABLE', /no certificate yet/);
    });
    it('refuses a weak supplied password', async () => {
      await refuses(issuedId, { out: join(root, 'x.pfx'), password: 'password' }, 'WEAK_PASSWORD', /too short/);
    });
    it('refuses to overwrite an existing file unless forced', async () => {
      const out = join(root, 'existing.pfx');
      writeFileSync(out, 'keep me');
      await refuses(issuedId, { out, generatePassword: true }, 'CONFLICT', /already exists/);
      expect(readFileSync(out, 'utf8')).toBe('keep me');
      await exportPfx(ctx, issuedId, { out, generatePassword: true, force: true });
      expect(readFileSync(out).length).toBeGreaterThan(1000);
    });
    it('refuses an unwritable output path', async () => {
      await refuses(issuedId, { out: join(root, 'no-such-folder', 'x.pfx'), generatePassword: true }, 'IO_ERROR', /cannot write .*no such file or folder/);
      writeFileSync(join(root, 'plainfile'), '');
      await refuses(issuedId, { out: join(root, 'plainfile', 'x.pfx'), generatePassword: true }, 'IO_ERROR', /cannot write/);
    });
    it('refuses to include a root it does not know, even when an incomplete chain is allowed', async () => {
      const other = createTestCa('rsa', 'Unknown');
      try {
        const r = await createRequest(ctx, { subject: { commonName: 'webext.contoso.com' }, sans: [], friendlyName: 'x' });
        await importCertificate(ctx, [file('answer.pem', other.bundle(other.sign(await getCsr(ctx, r.id, 'base64')), { includeRoot: false }))]);
        await refuses(r.id, { out: join(root, 'x.pfx'), generatePassword: true, includeRoot: true, allowIncompleteChain: true }, 'NOT_FOUND', /root CA certificate .* is not known/);
      } finally {
        other.cleanup();
      }
    });
    it('refuses iteration counts Windows would reject', async () => {
      await refuses(issuedId, { out: join(root, 'x.pfx'), generatePassword: true, profile: 'modern', iterations: 700_000 }, 'INVALID_INPUT', /10000-600000 iterations/);
    });
  });
});

describe('buildPfx', () => {
  it('builds in memory without writing or recording anything, with the root from the CA store', async () => {
    const before = treeHash(ctx.storeDir);
    const built = await buildPfx(ctx, issuedId, { profile: 'modern', password: 'Farm-Bundle-Pass-2024', includeRoot: true });
    expect(treeHash(ctx.storeDir)).toBe(before);
    const parsed = await parsePfx(built.pfx, 'Farm-Bundle-Pass-2024');
    expect(parsed.certificates).toHaveLength(3);
    expect(built.thumbprint).toBe((await showRequest(ctx, issuedId)).record.certificate?.thumbprint);
  });
});
