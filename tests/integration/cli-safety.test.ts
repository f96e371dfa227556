/**
 * Safety rails of the BUILT `certdesk` CLI with a real keychain (scripts/with-keyring.sh): destructive
 * commands want the full id, nothing is ever written inside the store folder, deleting a request
 * removes its PFX passwords from the keychain, and read-only commands never create a store.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src-main/common/requests.js';
import { createKeytarSecretStore } from '../../src-main/keychain/keytar.js';
import { pfxPasswordAccount } from '../../src-main/services/export.js';
import { type TestCa, createTestCa } from '../helpers/openssl-ca.js';
import { cliJson, exportPfxCli, importAnswer, newRequest, tempDir } from '../interop/pfx-helpers.js';
import { oneLineError, requireBuiltCli, runCli, text, treeListing } from './cli-requests-helpers.js';

let ca: TestCa;
let work: string;
let store: string;
let record: RequestRecord;

beforeAll(async () => {
  requireBuiltCli();
  ca = createTestCa('rsa');
  work = tempDir('certdesk-cli-safety-');
  store = join(work, 'store');
  ({ record } = await newRequest(store, 'webext.contoso.com', ['meet.contoso.com']));
});
afterAll(() => {
  ca?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs a command that must fail with one `error:` line, nothing on stdout, and the store unchanged. */
async function failsLeavingStoreUnchanged(args: string[]): Promise<string> {
  const before = await treeListing(store);
  const r = await runCli(store, args, {}, work);
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout.length).toBe(0);
  const line = oneLineError(r);
  expect(line).toMatch(/^error: /);
  expect(await treeListing(store)).toEqual(before);
  return line;
}

describe('certdesk request delete', () => {
  it('refuses an id prefix with the full id in the message, and deletes nothing', async () => {
    for (const prefix of [record.id.slice(0, 4), record.id.slice(0, 10)]) {
      expect(await failsLeavingStoreUnchanged(['request', 'delete', prefix, '--yes'])).toBe(
        `error: give the full request id to delete (${record.id}); a prefix is not enough to destroy a private key`,
      );
    }
    // Read-only commands keep taking the prefix.
    const shown = await runCli(store, ['--json', 'request', 'show', record.id.slice(0, 10)]);
    expect(shown.code).toBe(0);
    expect((JSON.parse(text(shown)) as { record: RequestRecord }).record.id).toBe(record.id);
  });

  it('removes the PFX passwords from the OS keychain and says the exported files still hold the key', async () => {
    const { record: r, csr } = await newRequest(store, 'dialin.contoso.com', []);
    writeFileSync(join(work, 'answer.pem'), ca.bundle(ca.sign(csr, { sans: ['dialin.contoso.com'] }), { includeRoot: true }));
    await importAnswer(store, [join(work, 'answer.pem')]);
    const pfx = [join(work, 'one.pfx'), join(work, 'two.pfx')];
    for (const out of pfx) await exportPfxCli(store, r.id, ['--out', out, '--generate-password']);
    const storeId = (JSON.parse(readFileSync(join(store, 'store.json'), 'utf8')) as { storeId: string }).storeId;
    const keychain = createKeytarSecretStore({ timeoutMs: 10_000 });
    const accounts = [1, 2].map((n) => pfxPasswordAccount(storeId, r.id, n));
    for (const a of accounts) expect(await keychain.get(a)).not.toBeNull();

    const del = await runCli(store, ['request', 'delete', r.id, '--yes']);
    expect(del.code, del.stderr).toBe(0);
    expect(text(del).split('\n')).toEqual([
      `Deleted request ${r.id}; its private key is destroyed.`,
      'Removed 2 PFX password(s) from the OS keychain.',
      'PFX files already exported still contain the private key (protected by their password); delete them too if they are no longer needed (or run again with --remove-exports):',
      ...pfx.map((p) => `  ${p}`),
      '',
    ]);
    for (const a of accounts) expect(await keychain.get(a)).toBeNull();
    expect(existsSync(join(store, 'requests', r.id))).toBe(false);
    expect(await cliJson<RequestRecord[]>(store, ['request', 'list'])).toEqual([expect.objectContaining({ id: record.id })]);
  });
});

describe('--out never writes into the store folder', () => {
  it.each([
    ['store.json', () => join(store, 'store.json')],
    ['a request file', () => join(store, 'requests', record.id, 'request.csr')],
    ['a new file in the store', () => join(store, 'copy.req')],
    ['a path through a symlink to the store', () => join(work, 'store-link', 'store.json')],
  ])('refuses %s even with --force', async (_what, target) => {
    if (!existsSync(join(work, 'store-link'))) symlinkSync(store, join(work, 'store-link'));
    const line = await failsLeavingStoreUnchanged(['request', 'csr', record.id, '--out', target(), '--force']);
    expect(line).toMatch(/^error: .* is inside the Certdesk store folder .*: write it somewhere else$/);
  });

  it('refuses an export and a bundle target inside the store', async () => {
    writeFileSync(join(work, 'pw.txt'), 'Correct-Horse-Battery-42\n');
    expect(await failsLeavingStoreUnchanged(['export', record.id, '--out', join(store, 'x.pfx'), '--password-file', join(work, 'pw.txt')])).toMatch(/inside the Certdesk store folder/);
    expect(await failsLeavingStoreUnchanged(['bundle', record.id, '--farm', 'edge', '--to', join(store, 'requests'), '--generate-password'])).toMatch(/inside the Certdesk store folder/);
  });

  it('still writes next to the store', async () => {
    const r = await runCli(store, ['request', 'csr', record.id, '--out', join(work, 'webext.req')]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(work, 'webext.req'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
  });
});

describe('read-only commands on a folder without a store', () => {
  const missing = () => join(work, 'typo', 'stroe');

  it.each([
    [['request', 'list'], '[]'],
    [['ca', 'list'], '[]'],
    [['farm', 'list'], '[]'],
    [['expiry'], '[]'],
  ])('%j: an empty result, one note, exit 0, nothing created', async (args, json) => {
    const r = await runCli(missing(), ['--json', ...args]);
    expect(r.code).toBe(0);
    expect(text(r).trim()).toBe(json);
    expect(oneLineError(r)).toBe(`note: no Certdesk store at ${missing()} yet`);
    expect(existsSync(join(work, 'typo'))).toBe(false);
  });

  it.each([
    [['request', 'show', '2026']],
    [['request', 'csr', '20260101-abcdefgh']],
    [['password', '20260101-abcdefgh']],
    [['farm', 'show', 'edge']],
    [['deployments', '20260101-abcdefgh']],
  ])('%j: NOT_FOUND naming the folder, nothing created', async (args) => {
    const r = await runCli(missing(), args);
    expect(r.code).toBe(1);
    expect(oneLineError(r)).toBe(`error: no Certdesk store at ${missing()}`);
    expect(existsSync(join(work, 'typo'))).toBe(false);
  });

  it('creates nothing in an existing empty folder either', async () => {
    const empty = join(work, 'empty');
    mkdirSync(empty);
    expect((await runCli(empty, ['request', 'list'])).code).toBe(0);
    expect(await treeListing(empty)).toEqual([]);
  });
});
