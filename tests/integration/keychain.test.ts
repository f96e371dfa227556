import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src-main/common/requests.js';
import { createKeytarSecretStore } from '../../src-main/keychain/keytar.js';
import { sha256Hex } from '../../src-main/pki/fingerprint.js';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { hangGuardMs, oneLineError, openStoreWithKeychain, requireBuiltCli, runCli, text, treeListing } from './cli-requests-helpers.js';

let work: string;

beforeAll(async () => {
  requireBuiltCli();
  work = await mkdtemp(join(tmpdir(), 'certdesk-keychain-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Asks gnome-keyring itself (over D-Bus, not through keytar) which items match. */
function keyringItems(attributes: Record<string, string>): string[] {
  const dict = `{${Object.entries(attributes)
    .map(([k, v]) => `'${k}': '${v}'`)
    .join(', ')}}`;
  const out = execFileSync(
    'gdbus',
    ['call', '--session', '--dest', 'org.freedesktop.secrets', '--object-path', '/org/freedesktop/secrets', '--method', 'org.freedesktop.Secret.Service.SearchItems', dict],
    { encoding: 'utf8' },
  );
  return [...out.matchAll(/'(\/org\/freedesktop\/secrets\/[^']+)'/g)].map((m) => m[1] as string);
}

async function storeIdOf(store: string): Promise<string> {
  return (JSON.parse(await readFile(join(store, 'store.json'), 'utf8')) as { storeId: string }).storeId;
}

async function newRequest(store: string, cn: string): Promise<RequestRecord> {
  const r = await runCli(store, ['--json', 'request', 'new', '--subject', cn]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(text(r)) as RequestRecord;
}

async function expectKeyMatches(store: string, record: RequestRecord): Promise<void> {
  const pem = await (await openStoreWithKeychain(store)).readPrivateKey(record.id);
  const spki = createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'der' });
  expect(sha256Hex(spki)).toBe(record.publicKeySha256);
}

describe('the store key in the real OS keychain (gnome-keyring)', () => {
  it('is created in the keyring on first use under service "Certdesk" and reused afterwards', async () => {
    const store = join(work, 'reuse');
    const a = await newRequest(store, 'a.contoso.com');
    const account = `store-key:${await storeIdOf(store)}`;
    expect(keyringItems({ service: 'Certdesk', account })).toHaveLength(1);
    const secretBefore = await createKeytarSecretStore().get(account);
    const b = await newRequest(store, 'b.contoso.com');
    expect(keyringItems({ service: 'Certdesk', account })).toHaveLength(1);
    expect(await createKeytarSecretStore().get(account)).toBe(secretBefore);
    await expectKeyMatches(store, a);
    await expectKeyMatches(store, b);
  });

  it('gives each store its own key', async () => {
    const one = join(work, 'one');
    const two = join(work, 'two');
    await newRequest(one, 'one.contoso.com');
    await newRequest(two, 'two.contoso.com');
    const [k1, k2] = await Promise.all([one, two].map(async (s) => createKeytarSecretStore().get(`store-key:${await storeIdOf(s)}`)));
    expect(k1).toBeTruthy();
    expect(k2).toBeTruthy();
    expect(k1).not.toBe(k2);
  });

  it('refuses to replace a store key the keychain lost, and works again once it is restored', async () => {
    const store = join(work, 'lost');
    const rec = await newRequest(store, 'lost.contoso.com');
    const account = `store-key:${await storeIdOf(store)}`;
    const secrets = createKeytarSecretStore();
    const saved = await secrets.get(account);
    expect(await secrets.delete(account)).toBe(true);
    const before = await treeListing(store);
    const r = await runCli(store, ['request', 'new', '--subject', 'again.contoso.com']);
    expect(r.code).toBe(1);
    expect(oneLineError(r)).toBe(
      `error: this store's key is missing from the OS keychain (service "Certdesk", account "${account}"), so its private keys cannot be decrypted; ` +
        'restore that keychain entry (keys stored by another OS user or on another machine cannot be opened here)',
    );
    expect(await treeListing(store)).toEqual(before);
    expect(keyringItems({ service: 'Certdesk', account })).toEqual([]);
    // Reading needs no key: the request is still listed and shown.
    expect((await runCli(store, ['request', 'show', rec.id])).code).toBe(0);
    await secrets.set(account, saved ?? '');
    await expectKeyMatches(store, rec);
    await newRequest(store, 'again.contoso.com');
  });
});

describe('without an OS keychain', () => {
  const noKeychain = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/certdesk-test-bus' };

  it('fails request new with one clear line that says how to fix it, and stores nothing', async () => {
    const store = join(work, 'nokeychain');
    const ok = await newRequest(store, 'present.contoso.com');
    const before = await treeListing(store);
    // Not waiting for the 4096-bit key: 10 s here, more only while the machine is busy.
    const limit = await hangGuardMs(0, 4, 10_000);
    const started = Date.now();
    const r = await runCli(store, ['request', 'new', '--subject', 'x.contoso.com', '--key-size', '4096'], noKeychain);
    expect(Date.now() - started).toBeLessThan(limit);
    expect(r.code).toBe(1);
    expect(oneLineError(r)).toMatch(/^error: the OS keychain is not available \(.+\); on Linux start gnome-keyring \(or another Secret Service\)/);
    expect(await treeListing(store)).toEqual(before);
    // Commands that need no secret still work.
    const list = await runCli(store, ['--json', 'request', 'list'], noKeychain);
    expect(list.code).toBe(0);
    expect((JSON.parse(text(list)) as RequestRecord[]).map((x) => x.id)).toEqual([ok.id]);
  });
});
