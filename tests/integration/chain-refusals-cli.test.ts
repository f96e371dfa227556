/**
 * Through the BUILT `certdesk` CLI with a real keychain (scripts/with-keyring.sh): export and bundle
 * refuse an incomplete chain (exit 1, one line, store unchanged, no file) unless
 * --allow-incomplete-chain, which says so; a re-imported fuller answer completes the chain; an
 * expired certificate is refused by both.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src-main/common/requests.js';
import { createKeytarSecretStore } from '../../src-main/keychain/keytar.js';
import { importCertificate } from '../../src-main/services/import.js';
import { type TestCa, createTestCa } from '../helpers/openssl-ca.js';
import { cliJson, importAnswer, newRequest, tempDir } from '../interop/pfx-helpers.js';
import { oneLineError, requireBuiltCli, runCli, text, treeListing } from './cli-requests-helpers.js';

let ca: TestCa;
let work: string;
let store: string;
let incomplete: RequestRecord;
let expired: RequestRecord;
let n = 0;

beforeAll(async () => {
  requireBuiltCli();
  ca = createTestCa('rsa');
  work = tempDir('certdesk-chain-cli-');
  store = join(work, 'store');
  ({ record: incomplete } = await newRequest(store, 'webext.contoso.com', ['meet.contoso.com']));
  const leaf = ca.sign(text(await runCli(store, ['request', 'csr', incomplete.id])), { sans: ['webext.contoso.com', 'meet.contoso.com'] });
  writeFileSync(join(work, 'leaf.pem'), leaf.pem);
  writeFileSync(join(work, 'answer.p7b'), ca.p7b(leaf, { format: 'der', includeRoot: true }));
  await importAnswer(store, [join(work, 'leaf.pem')]);

  // An answer that was valid when it was imported (the services' injected clock) and has expired since;
  // the leaf alone, so the CA store stays empty for the incomplete chain above.
  ({ record: expired } = await newRequest(store, 'old.contoso.com', []));
  const old = ca.sign(text(await runCli(store, ['request', 'csr', expired.id])), { sans: ['old.contoso.com'], startDate: new Date('2020-01-01T00:00:00Z'), endDate: new Date('2020-06-01T00:00:00Z') });
  await importCertificate({ storeDir: store, secrets: createKeytarSecretStore({ timeoutMs: 10_000 }), now: () => new Date('2020-03-01T00:00:00Z') }, [
    { name: 'old.pem', data: new TextEncoder().encode(old.pem) },
  ]);
  await cliJson(store, ['farm', 'add', 'edge-rp', '--node', 'rp1.contoso.local:2019']);
});
afterAll(() => {
  ca?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

function usb(): string {
  const d = join(work, `usb-${++n}`);
  mkdirSync(d);
  return d;
}

/** Exit 1, one `error:` line, nothing on stdout, the store unchanged. */
async function fails(args: string[]): Promise<string> {
  const before = await treeListing(store);
  const r = await runCli(store, args, {}, work);
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout.length).toBe(0);
  expect(await treeListing(store)).toEqual(before);
  return oneLineError(r);
}

describe('certdesk export and bundle with an incomplete chain', () => {
  it('refuse it in one line naming the missing issuer, writing nothing', async () => {
    const issuer = 'CN=Certdesk Test RSA Issuing CA, O=Certdesk Tests';
    const pfx = join(work, 'x.pfx');
    expect(await fails(['export', incomplete.id, '--out', pfx])).toBe(
      `error: the chain of request ${incomplete.id} is incomplete: the issuer ${issuer} of CN=webext.contoso.com is not known; import it first (certdesk ca import ISSUER.cer) or export anyway with --allow-incomplete-chain`,
    );
    expect(existsSync(pfx)).toBe(false);
    const to = usb();
    expect(await fails(['bundle', incomplete.id, '--farm', 'edge-rp', '--to', to])).toMatch(/^error: the chain of request .* is incomplete: .*\(certdesk ca import ISSUER\.cer\) or export anyway with --allow-incomplete-chain$/);
    expect(readdirSync(to)).toEqual([]);
  });

  it('export it with --allow-incomplete-chain, printing the warning', async () => {
    const r = await runCli(store, ['export', incomplete.id, '--out', join(work, 'allowed.pfx'), '--allow-incomplete-chain'], {}, work);
    expect(r.code, r.stderr).toBe(0);
    expect(text(r)).toMatch(/^ {2}WARNING: {4}the chain of request .* is incomplete: .*\(allowed with --allow-incomplete-chain\)$/m);
    expect(existsSync(join(work, 'allowed.pfx'))).toBe(true);
  });

  it('complete it once the fuller answer is imported again, after which export includes the intermediate', async () => {
    const r = await runCli(store, ['import', 'answer.p7b'], {}, work);
    expect(r.code, r.stderr).toBe(0);
    const head = text(r).split('\n')[0];
    expect(head).toMatch(/^Already imported: .*; 2 CA certificates from the answer added to the CA store, the stored chain replaced by its more complete one\.$/);
    expect(head).not.toMatch(/nothing changed/);
    expect(await cliJson<unknown[]>(store, ['ca', 'list'])).toHaveLength(2);
    const out = text(await runCli(store, ['export', incomplete.id, '--out', join(work, 'full.pfx')], {}, work));
    expect(out).toMatch(/contents: {3}certificate, private key and 1 CA certificate \(intermediates, no root\)/);
    expect(out).not.toMatch(/WARNING/);
  });
});

describe('certdesk export and bundle with an expired certificate', () => {
  it('refuse it in one line with its date, writing nothing', async () => {
    const pfx = join(work, 'old.pfx');
    expect(await fails(['export', expired.id, '--out', pfx])).toMatch(new RegExp(`^error: the certificate of request ${expired.id} \\(CN=old\\.contoso\\.com\\) expired on 2020-06-01; ask the CA for a new one`));
    expect(existsSync(pfx)).toBe(false);
    const to = usb();
    expect(await fails(['bundle', expired.id, '--farm', 'edge-rp', '--to', to])).toMatch(/^error: the certificate of request .* expired on 2020-06-01/);
    expect(readdirSync(to)).toEqual([]);
  });
});
