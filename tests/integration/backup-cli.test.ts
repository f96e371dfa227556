/**
 * Backup and restore through the BUILT `certdesk` CLI with the real keychain (scripts/with-keyring.sh):
 * a store with an issued, exported request is backed up, the store folder and its keychain entries
 * are wiped, and the backup is restored into a new folder; a PFX exported from the restored request
 * carries the original public key (checked with OpenSSL). The Debian `age` tool decrypts the backup
 * with the passphrase typed on a pseudo-terminal, and every entry matches the manifest's SHA-256.
 * Wrong passphrase, truncated file, flipped byte and foreign files are refused with nothing written.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupResult, RestoreResult } from '../../src-main/common/backup.js';
import type { RequestRecord } from '../../src-main/common/requests.js';
import { createKeytarSecretStore } from '../../src-main/keychain/keytar.js';
import { ageDecrypt } from '../helpers/age.js';
import { type TestCa, createTestCa } from '../helpers/openssl-ca.js';
import { cliJson, exportPfxCli, importAnswer, newRequest, openssl, publicKeyOf, tempDir } from '../interop/pfx-helpers.js';
import { oneLineError, requireBuiltCli, runCli, text } from './cli-requests-helpers.js';

const PASSPHRASE = 'Correct-Horse-Battery-Staple-42';
let ca: TestCa;
let work: string;
let store: string;
let storeId: string;
let issued: RequestRecord;
let pending: RequestRecord;
let originalPublicKey: string;
let backupFile: string;
let accounts: string[];

const keychain = createKeytarSecretStore();

beforeAll(async () => {
  requireBuiltCli();
  ca = createTestCa('rsa');
  work = tempDir('certdesk-backup-');
  store = join(work, 'store');
  ({ record: issued } = await newRequest(store, 'webext.contoso.com', ['meet.contoso.com']));
  ({ record: pending } = await newRequest(store, 'pending.contoso.com', []));
  const csr = text(await runCli(store, ['request', 'csr', issued.id]));
  writeFileSync(join(work, 'answer.pem'), ca.bundle(ca.sign(csr, { sans: ['webext.contoso.com', 'meet.contoso.com'] }), { includeRoot: true }));
  await importAnswer(store, [join(work, 'answer.pem')]);
  await exportPfxCli(store, issued.id, ['--out', join(work, 'original.pfx')]);
  const pw = text(await runCli(store, ['password', issued.id])).trim();
  writeFileSync(join(work, 'pfx-pw'), pw);
  const pem = openssl(['pkcs12', '-in', join(work, 'original.pfx'), '-nokeys', '-clcerts', '-passin', `file:${join(work, 'pfx-pw')}`]);
  expect(pem.status, pem.out).toBe(0);
  writeFileSync(join(work, 'original.crt'), pem.out.slice(pem.out.indexOf('-----BEGIN CERTIFICATE-----')));
  originalPublicKey = publicKeyOf('cert', join(work, 'original.crt'));
  storeId = (JSON.parse(readFileSync(join(store, 'store.json'), 'utf8')) as { storeId: string }).storeId;
  accounts = [`store-key:${storeId}`, `pfx-password:${storeId}:${issued.id}:1`];
  writeFileSync(join(work, 'pp'), `${PASSPHRASE}\n`);
});
afterAll(async () => {
  ca?.cleanup();
  for (const a of accounts ?? []) await keychain.delete(a).catch(() => false);
  if (work) rmSync(work, { recursive: true, force: true });
});

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

describe('certdesk backup', () => {
  it('refuses a weak passphrase and an existing output file, writing nothing', async () => {
    writeFileSync(join(work, 'weak'), 'password\n');
    const weak = await runCli(store, ['backup', '--out', join(work, 'weak.age'), '--passphrase-file', join(work, 'weak')]);
    expect(weak.code).toBe(1);
    expect(oneLineError(weak)).toMatch(/^error: the backup passphrase is too short/);
    expect(existsSync(join(work, 'weak.age'))).toBe(false);
    const clash = await runCli(store, ['backup', '--out', join(work, 'answer.pem'), '--passphrase-file', join(work, 'pp')]);
    expect(clash.code).toBe(1);
    expect(oneLineError(clash)).toMatch(/already exists/);
  });

  it('generates a strong passphrase, prints it once on stderr, and the Debian age tool decrypts the backup with it (typed on a pty)', async () => {
    const out = join(work, 'generated.age');
    const r = await runCli(store, ['--json', 'backup', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const m = /passphrase \(generated; shown only this once\): (\S+)/.exec(r.stderr);
    expect(m).not.toBeNull();
    const generated = (m as RegExpExecArray)[1] as string;
    // 25 characters from a 51-letter alphabet: log2(51) * 25 > 141 bits.
    expect(generated).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){4}$/);
    expect(text(r)).not.toContain(generated);
    const report = JSON.parse(text(r)) as BackupResult;
    expect(report).toMatchObject({ requests: 2, keys: 2, keychainEntries: 2, passphraseGenerated: true });
    expect(sha256(readFileSync(out))).toBe(report.sha256);

    const tarPath = join(work, 'generated.tar');
    const dec = ageDecrypt(out, tarPath, generated);
    expect(dec.status, dec.output).toBe(0);
    const names = execFileSync('tar', ['-tf', tarPath], { encoding: 'utf8' }).trim().split('\n');
    expect(names[0]).toBe('certdesk-backup.json');
    expect(names).toContain(`store/requests/${issued.id}/key.enc`);
    expect(names).toContain('keychain.json');
    const unpacked = join(work, 'unpacked');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xf', tarPath, '-C', unpacked]);
    const manifest = JSON.parse(readFileSync(join(unpacked, 'certdesk-backup.json'), 'utf8')) as { storeId: string; entries: { name: string; sha256: string; size: number }[] };
    expect(manifest.storeId).toBe(storeId);
    expect(manifest.entries.map((e) => e.name).sort()).toEqual(names.slice(1).sort());
    for (const e of manifest.entries) expect(sha256(readFileSync(join(unpacked, e.name))), e.name).toBe(e.sha256);

    const wrong = ageDecrypt(out, join(work, 'wrong.tar'), 'not-the-passphrase');
    expect(wrong.status).not.toBe(0);
  });

  it('writes a backup with a chosen passphrase and records the time', async () => {
    backupFile = join(work, 'store.age');
    const report = await cliJson<BackupResult>(store, ['backup', '--out', backupFile, '--passphrase-file', join(work, 'pp')]);
    expect(report.passphraseGenerated).toBe(false);
    const state = JSON.parse(readFileSync(join(store, 'backup.json'), 'utf8')) as { lastBackupAt: string };
    expect(state.lastBackupAt).toBe(report.createdAt);
  });
});

describe('certdesk restore', () => {
  it('after the store and its keychain entries are wiped, refuses a wrong passphrase, a truncated file, a flipped byte and a foreign file, writing nothing', async () => {
    rmSync(store, { recursive: true, force: true });
    for (const a of accounts) await keychain.delete(a);
    const data = readFileSync(backupFile);
    const flipped = Buffer.from(data);
    const at = Math.floor(flipped.length * 0.7);
    flipped.writeUInt8(flipped.readUInt8(at) ^ 0x01, at);
    writeFileSync(join(work, 'truncated.age'), data.subarray(0, data.length - 100));
    writeFileSync(join(work, 'flipped.age'), flipped);
    writeFileSync(join(work, 'wrong-pp'), 'Entirely-Wrong-Passphrase-7\n');
    const target = join(work, 'refused', 'store');
    const cases: [string, string, RegExp][] = [
      [backupFile, 'wrong-pp', /^error: wrong passphrase/],
      [join(work, 'truncated.age'), 'pp', /^error: the backup is damaged or was altered/],
      [join(work, 'flipped.age'), 'pp', /^error: the backup is damaged or was altered/],
      [join(work, 'answer.pem'), 'pp', /^error: this file is not a Certdesk backup/],
    ];
    for (const [file, pp, message] of cases) {
      const r = await runCli(target, ['restore', file, '--passphrase-file', join(work, pp)]);
      expect(r.code, r.stderr).toBe(1);
      expect(oneLineError(r)).toMatch(message);
      expect(existsSync(join(work, 'refused')), file).toBe(false);
      for (const a of accounts) expect(await keychain.get(a)).toBeNull();
    }
  });

  it('restores into a new folder, puts the keychain entries back, and a PFX exported from the restored request has the original public key', async () => {
    const restored = join(work, 'restored');
    const r = await cliJson<RestoreResult>(restored, ['restore', backupFile, '--passphrase-file', join(work, 'pp')]);
    expect(r).toMatchObject({ storeId, requests: 2, keysVerified: 2, keychainEntriesCreated: 2 });
    expect(readdirSync(work).filter((n) => n.includes('.restore-'))).toEqual([]);
    const listed = await cliJson<RequestRecord[]>(restored, ['request', 'list']);
    expect(listed.map((x) => x.id).sort()).toEqual([issued.id, pending.id].sort());
    expect(text(await runCli(restored, ['password', issued.id])).trim()).toBe(readFileSync(join(work, 'pfx-pw'), 'utf8'));
    const pfx = join(work, 'restored.pfx');
    await exportPfxCli(restored, issued.id, ['--out', pfx, '--password-file', join(work, 'pp')]);
    const key = openssl(['pkcs12', '-in', pfx, '-nocerts', '-noenc', '-passin', `file:${join(work, 'pp')}`]);
    expect(key.status, key.out).toBe(0);
    writeFileSync(join(work, 'restored.key'), key.out.slice(key.out.indexOf('-----BEGIN PRIVATE KEY-----')));
    expect(publicKeyOf('key', join(work, 'restored.key'))).toBe(originalPublicKey);
    const audit = readFileSync(join(restored, 'audit.log'), 'utf8');
    expect(audit).toMatch(/"event":"backup-restored"/);
  });

  it('refuses a non-empty folder, and a keychain entry that holds another value (naming it), leaving nothing behind', async () => {
    const busy = join(work, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'something.txt'), 'x');
    const r1 = await runCli(busy, ['restore', backupFile, '--passphrase-file', join(work, 'pp')]);
    expect(r1.code).toBe(1);
    expect(oneLineError(r1)).toMatch(/is not empty/);
    expect(readdirSync(busy)).toEqual(['something.txt']);

    const original = await keychain.get(`store-key:${storeId}`);
    await keychain.set(`store-key:${storeId}`, Buffer.alloc(32, 7).toString('base64'));
    try {
      const target = join(work, 'conflict');
      const r2 = await runCli(target, ['restore', backupFile, '--passphrase-file', join(work, 'pp')]);
      expect(r2.code).toBe(1);
      expect(oneLineError(r2)).toContain(`"store-key:${storeId}"`);
      expect(existsSync(target)).toBe(false);
    } finally {
      await keychain.set(`store-key:${storeId}`, original as string);
    }
  });
});
