/**
 * A renewal round trip through the BUILT `certdesk` CLI with a real keychain (scripts/with-keyring.sh):
 * an issued certificate deployed on a two-node farm is renewed, the renewal's CSR is checked with
 * OpenSSL (same SANs, another public key), signed by an OpenSSL test CA, imported, bundled and
 * deployed node by node; the per-node old/new view follows, and the old request ends `superseded`,
 * out of `expiry` unless --all. Also: renewing an adopted PFX and `request new --from-certificate`,
 * and the refusals as one line with the store unchanged. RSA 2048 throughout.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleResult, ExpiryEntry, NodeDeploymentView, RenewalRollout } from '../../src-main/common/farms.js';
import type { RenewalChainEntry, RequestRecord } from '../../src-main/common/requests.js';
import { type TestCa, createTestCa } from '../helpers/openssl-ca.js';
import { cliJson, importAnswer, newRequest, tempDir } from '../interop/pfx-helpers.js';
import { oneLineError, requireBuiltCli, runCli, text, treeListing } from './cli-requests-helpers.js';

let ca: TestCa;
let work: string;
let store: string;
let old: RequestRecord;
let renewal: RequestRecord;

/** What OpenSSL reads from a CSR: its SANs (sorted) and its public key (PEM). */
function opensslCsr(pem: string): { sans: string[]; pubkey: string } {
  execFileSync('openssl', ['req', '-noout', '-verify'], { input: pem, stdio: ['pipe', 'ignore', 'ignore'] });
  const textOut = execFileSync('openssl', ['req', '-noout', '-text'], { input: pem }).toString();
  const line = /X509v3 Subject Alternative Name:\s*\n\s*(.+)/.exec(textOut)?.[1] ?? '';
  return {
    sans: line
      .split(',')
      .map((s) => s.trim().replace(/^DNS:/, ''))
      .sort(),
    pubkey: execFileSync('openssl', ['req', '-noout', '-pubkey'], { input: pem }).toString(),
  };
}

async function csrOf(id: string): Promise<string> {
  return text(await runCli(store, ['request', 'csr', id]));
}

async function signAndImport(id: string, sans: string[], file: string): Promise<void> {
  const leaf = ca.sign(await csrOf(id), { sans });
  writeFileSync(join(work, file), ca.bundle(leaf, { includeRoot: true }));
  await importAnswer(store, [join(work, file)]);
}

async function fails(args: string[], code: 1 | 2): Promise<string> {
  const before = await treeListing(store);
  const r = await runCli(store, args, {}, work);
  expect(r.code, r.stderr).toBe(code);
  expect(r.stdout.length).toBe(0);
  const line = oneLineError(r);
  expect(await treeListing(store)).toEqual(before);
  return line;
}

beforeAll(async () => {
  requireBuiltCli();
  ca = createTestCa('rsa');
  work = tempDir('certdesk-renew-cli-');
  store = join(work, 'store');
  mkdirSync(join(work, 'usb'));
  ({ record: old } = await newRequest(store, 'webext.contoso.com', ['meet.contoso.com', 'dialin.contoso.com']));
  await signAndImport(old.id, old.sans, 'old.pem');
  writeFileSync(join(work, 'root.pem'), ca.root.pem);
  await cliJson(store, ['farm', 'add', 'edge-rp', '--node', 'rp1.contoso.local:2008r2', '--node', 'rp2.contoso.local:2019', '--trust', 'root.pem'], work);
  for (const node of ['rp1.contoso.local', 'rp2.contoso.local']) await cliJson(store, ['deploy', old.id, '--node', node]);
});
afterAll(() => {
  ca?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('renewal round trip', () => {
  it('renews with a new key and the same names: OpenSSL reads the same SANs and another public key', async () => {
    renewal = await cliJson<RequestRecord>(store, ['request', 'renew', old.id]);
    expect(renewal).toMatchObject({ renews: old.id, status: 'pending', subject: old.subject, sans: old.sans, friendlyName: old.friendlyName, keySize: 2048 });
    const a = opensslCsr(await csrOf(old.id));
    const b = opensslCsr(await csrOf(renewal.id));
    expect(b.sans).toEqual(['dialin.contoso.com', 'meet.contoso.com', 'webext.contoso.com']);
    expect(b.sans).toEqual(a.sans);
    expect(b.pubkey).not.toEqual(a.pubkey);
  });

  it('refuses a second renewal while this one is pending, and bad usage, each as one line with nothing stored', async () => {
    expect(await fails(['request', 'renew', old.id], 1)).toBe(`error: request ${old.id} is already being renewed by pending request ${renewal.id}; finish or delete that one, or add --force to renew it anyway`);
    expect(await fails(['request', 'renew', old.id, '--key-size', '1024'], 1)).toMatch(/^error: --key-size must be one of 2048, 3072, 4096/);
    expect(await fails(['request', 'renew', old.id, '--plan', 'a.json', '--topology', 'b'], 2)).toMatch(/^usage error: --plan FILE and --topology NAME both name a topology/);
    expect(await fails(['request', 'renew', '20200101-nothere0'], 1)).toMatch(/^error: no request/);
  });

  it('reads --plan, --topology and --certificate the same way for request new and request renew (one parser), usage before values', async () => {
    for (const cmd of [['request', 'new', '--subject', 'webext.contoso.com'], ['request', 'renew', old.id]]) {
      const label = cmd.slice(0, 2).join(' ');
      const bare = cmd[1] === 'new' ? ['request', 'new'] : cmd;
      expect(await fails([...bare, '--plan', 'a.json', '--topology', 'b'], 2), label).toBe('usage error: --plan FILE and --topology NAME both name a topology: give one');
      expect(await fails([...cmd, '--certificate', '2'], 2), label).toBe('usage error: --certificate picks a certificate of a plan: use it with --plan FILE or --topology NAME');
      expect(await fails([...bare, '--plan', 'missing.json', '--certificate', 'x'], 1), label).toBe('error: --certificate must be a certificate number from the plan (1, 2, ...), not "x"');
      expect(await fails([...bare, '--topology', 'nothere', '--certificate', '0'], 1), label).toBe('error: --certificate must be a certificate number from the plan (1, 2, ...), not "0"');
    }
    // Each command's own conflicts come before the number is read.
    expect(await fails(['request', 'new', '--plan', 'p.json', '--subject', 'a.contoso.com', '--certificate', 'x'], 2)).toBe('usage error: --plan fills in the subject and SANs: leave out --subject and --san');
    expect(await fails(['request', 'new', '--topology', 't', '--san', 'a.contoso.com'], 2)).toBe('usage error: --topology fills in the subject and SANs: leave out --subject and --san');
    expect(await fails(['request', 'new', '--from-certificate', 'c.pem', '--topology', 't', '--certificate', 'x'], 2)).toBe('usage error: --from-certificate and --plan/--topology both give the names: use one');
    expect(await fails(['request', 'new', '--from-certificate', 'c.pem', '--certificate', '1'], 2)).toBe('usage error: --certificate picks a certificate of a plan: use it with --plan FILE or --topology NAME');
    expect(await fails(['request', 'renew', old.id, '--plan', 'p.json', '--replan', '--certificate', 'x'], 2)).toBe('usage error: --replan re-plans the topology the request keeps; with --plan or --topology the names come from that plan anyway');
    expect(await fails(['request', 'renew', old.id, '--replan', '--certificate', '1'], 2)).toBe('usage error: --certificate picks a certificate of a plan: use it with --plan FILE or --topology NAME');
  });

  it('shows the chain both ways and the links in the listing', async () => {
    const shown = await cliJson<{ renewalChain: RenewalChainEntry[] }>(store, ['request', 'show', old.id]);
    expect(shown.renewalChain.map((c) => c.id)).toEqual([old.id, renewal.id]);
    const human = text(await runCli(store, ['request', 'show', renewal.id]));
    expect(human).toContain(`  renews:        ${old.id}`);
    expect(human).toMatch(new RegExp(`Renewal chain \\(oldest first\\):\\n {4}${old.id} +deployed +webext\\.contoso\\.com +certificate [0-9A-F]{40}, valid to \\d{4}-\\d\\d-\\d\\d\\n {2}\\* ${renewal.id} +pending +webext\\.contoso\\.com +no certificate yet +\\(renews ${old.id}\\)`));
    const list = text(await runCli(store, ['request', 'list']));
    expect(list.split('\n')[0]).toMatch(/FRIENDLY NAME\s+RENEWAL$/);
    expect(list).toContain(`renewed by ${renewal.id}`);
  });

  it('signs, imports and bundles the renewal; deploying it node by node shows old/new per node, then supersedes the old one', async () => {
    await signAndImport(renewal.id, renewal.sans, 'renewal.pem');
    const bundle = await cliJson<BundleResult>(store, ['bundle', renewal.id, '--farm', 'edge-rp', '--to', 'usb', '--generate-password'], work);
    expect(bundle).toMatchObject({ requestId: renewal.id, verified: true });

    await cliJson(store, ['deploy', renewal.id, '--node', 'rp2.contoso.local']);
    const views = await cliJson<NodeDeploymentView[]>(store, ['deployments', old.id]);
    expect(views.map((v) => [v.host, v.renewal?.has, v.renewal?.requestId])).toEqual([
      ['rp1.contoso.local', 'old', old.id],
      ['rp2.contoso.local', 'new', renewal.id],
    ]);
    const farm = await cliJson<{ rollouts: RenewalRollout[] }>(store, ['farm', 'show', 'edge-rp']);
    expect(farm.rollouts).toEqual([expect.objectContaining({ newRequestId: renewal.id, requestIds: [old.id, renewal.id], complete: false })]);
    expect(text(await runCli(store, ['farm', 'show', 'edge-rp']))).toMatch(/rp1\.contoso\.local\s+OLD certificate/);
    expect((await cliJson<RequestRecord>(store, ['request', 'show', old.id]) as unknown as { record: RequestRecord }).record.status).toBe('deployed');

    await cliJson(store, ['deploy', renewal.id, '--node', 'rp1.contoso.local']);
    const after = (await cliJson<{ record: RequestRecord }>(store, ['request', 'show', old.id])).record;
    expect(after.status).toBe('superseded');
    expect(after.history.at(-1)).toMatchObject({ event: 'superseded' });
    expect((await cliJson<RequestRecord[]>(store, ['request', 'list', '--status', 'superseded'])).map((r) => r.id)).toEqual([old.id]);
    expect((await cliJson<ExpiryEntry[]>(store, ['expiry'])).map((e) => e.requestId)).toEqual([renewal.id]);
    expect((await cliJson<ExpiryEntry[]>(store, ['expiry', '--all'])).map((e) => e.requestId).sort()).toEqual([old.id, renewal.id].sort());
    expect((await cliJson<{ rollouts: RenewalRollout[] }>(store, ['farm', 'show', 'edge-rp'])).rollouts[0]?.complete).toBe(true);
  });
});

describe('renewing what Certdesk did not make', () => {
  it('an adopted PFX renews with the names of its certificate', async () => {
    const key = join(work, 'adopt.key');
    const csr = execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-subj', '/CN=legacy.contoso.com/O=Contoso'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const leaf = ca.sign(csr.toString(), { sans: ['legacy.contoso.com', 'lyncdiscover.contoso.com'] });
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', leaf.path, '-out', join(work, 'adopt.pfx'), '-passout', 'pass:Adopt-2024!', '-name', 'Old proxy cert']);
    writeFileSync(join(work, 'adopt.pw'), 'Adopt-2024!\n');
    const adopted = await cliJson<RequestRecord>(store, ['pfx', 'import', 'adopt.pfx', '--password-file', 'adopt.pw'], work);
    const renewed = await cliJson<RequestRecord>(store, ['request', 'renew', adopted.id]);
    expect(renewed).toMatchObject({ renews: adopted.id, friendlyName: 'Old proxy cert', subjectFields: { commonName: 'legacy.contoso.com', organization: 'Contoso' } });
    expect(opensslCsr(await csrOf(renewed.id)).sans).toEqual(['legacy.contoso.com', 'lyncdiscover.contoso.com']);

    // request new --from-certificate copies the same names from the bare certificate.
    const copied = await cliJson<RequestRecord>(store, ['request', 'new', '--from-certificate', leaf.path]);
    expect(copied).toMatchObject({ subject: 'legacy.contoso.com', sans: ['legacy.contoso.com', 'lyncdiscover.contoso.com'], subjectFields: { organization: 'Contoso' } });
    expect(await fails(['request', 'new', '--from-certificate', 'adopt.pfx'], 1)).toMatch(/^error: adopt\.pfx: the certificates in this PFX are encrypted with its password/);
  });
});
