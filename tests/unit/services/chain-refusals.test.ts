/**
 * Export and bundle refuse what a proxy could not serve: a chain with no known path to a root (unless
 * the admin allows it explicitly), an expired or not yet valid certificate, an expired CA in the chain.
 * A re-imported fuller answer completes the stored chain. Time comes from the services' ctx.now.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSummary } from '../../../src-main/cli/commands/import.js';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import { parsePfx } from '../../../src-main/pki/pkcs12-parse.js';
import { writeBundle } from '../../../src-main/services/bundles.js';
import { listCaCertificates } from '../../../src-main/services/ca.js';
import type { ServiceContext } from '../../../src-main/services/context.js';
import { exportPfx } from '../../../src-main/services/export.js';
import { addFarm } from '../../../src-main/services/farms.js';
import { importCertificate } from '../../../src-main/services/import.js';
import { createRequest, getCsr } from '../../../src-main/services/requests.js';
import { type IssuedCert, type TestCa, createTestCa } from '../../helpers/openssl-ca.js';
import { getRequest } from './store-access.js';
import { treeHash } from '../../helpers/tree-hash.js';

const DAY = 86_400_000;
const PASSWORD = 'Lync-Proxy-Farm-2024!';
const INTERMEDIATE = 'CN=Certdesk Test RSA Issuing CA, O=Certdesk Tests';

let ca: TestCa;
let root: string;
/** The services' clock: an hour after the test CA and its certificates were made. */
let START: Date;
let clock: Date;
let ctx: ServiceContext & { secrets: ReturnType<typeof createMemorySecretStore> };
let n = 0;

const file = (name: string, data: string | Uint8Array) => ({ name, data: typeof data === 'string' ? new Uint8Array(Buffer.from(data)) : data });
const out = (): string => join(root, `out-${++n}.pfx`);
const usb = (): string => {
  const d = join(root, `usb-${++n}`);
  mkdirSync(d);
  return d;
};

async function newIssued(sign: (csr: string) => IssuedCert, answer: (leaf: IssuedCert) => string | Uint8Array): Promise<{ id: string; leaf: IssuedCert }> {
  const r = await createRequest(ctx, { subject: { commonName: 'webext.contoso.com' }, sans: ['meet.contoso.com'], friendlyName: 'Reverse Proxy Listener for Lync Server' });
  const leaf = sign((await getCsr(ctx, r.id, 'base64')) as string);
  await importCertificate(ctx, [file('answer', answer(leaf))]);
  return { id: r.id, leaf };
}

/** Export and bundle must both refuse with `message`, leaving store, keychain and destination untouched. */
async function bothRefuse(id: string, at: Date, code: string, message: RegExp): Promise<void> {
  clock = at;
  try {
    const before = treeHash(ctx.storeDir);
    const secrets = [...ctx.secrets.entries.keys()].sort();
    const pfx = out();
    await expect(exportPfx(ctx, id, { out: pfx, generatePassword: true })).rejects.toMatchObject({ code, message: expect.stringMatching(message) as unknown });
    const to = usb();
    await expect(writeBundle(ctx, { id, farm: 'edge-rp', toDir: to, password: PASSWORD })).rejects.toMatchObject({ code, message: expect.stringMatching(message) as unknown });
    expect(treeHash(ctx.storeDir)).toBe(before);
    expect([...ctx.secrets.entries.keys()].sort()).toEqual(secrets);
    expect(existsSync(pfx)).toBe(false);
    expect(readdirSync(to)).toEqual([]);
  } finally {
    clock = START;
  }
}

beforeAll(async () => {
  ca = createTestCa('rsa');
  START = new Date(Date.now() + 3_600_000);
  clock = START;
  root = mkdtempSync(join(tmpdir(), 'certdesk-chain-refusals-'));
  ctx = { storeDir: join(root, 'store'), secrets: createMemorySecretStore(), now: () => clock };
  await addFarm(ctx, { name: 'edge-rp', nodes: [{ host: 'rp1.contoso.local', windowsVersion: '2019' }] });
});
afterAll(() => {
  ca?.cleanup();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('an answer imported without its intermediate', () => {
  let id: string;
  let leaf: IssuedCert;
  const chainPem = (): string => readFileSync(join(ctx.storeDir, 'requests', id, 'chain.pem'), 'utf8');

  beforeAll(async () => {
    ({ id, leaf } = await newIssued((csr) => ca.sign(csr, { sans: ['webext.contoso.com', 'meet.contoso.com'] }), (l) => l.pem));
  });

  it('is stored with an empty chain and an empty CA store', async () => {
    expect(chainPem()).toBe('');
    expect(await listCaCertificates(ctx)).toEqual([]);
  });

  it('is refused by export and bundle, naming the missing issuer and how to add it', async () => {
    await bothRefuse(
      id,
      START,
      'NOT_FOUND',
      new RegExp(`^the chain of request ${id} is incomplete: the issuer ${INTERMEDIATE} of CN=webext\\.contoso\\.com is not known; import it first \\(certdesk ca import ISSUER\\.cer\\) or export anyway with --allow-incomplete-chain$`),
    );
  });

  it('is exported and bundled when the admin allows the incomplete chain, with the warning in the result and the history', async () => {
    const pfx = out();
    const result = await exportPfx(ctx, id, { out: pfx, password: PASSWORD, allowIncompleteChain: true });
    expect(result.caCertificates).toBe(0);
    expect(result.warnings).toEqual([
      `the chain of request ${id} is incomplete: the issuer ${INTERMEDIATE} of CN=webext.contoso.com is not known: the PFX holds no CA certificate above CN=webext.contoso.com (allowed with --allow-incomplete-chain)`,
    ]);
    expect((await parsePfx(readFileSync(pfx), PASSWORD)).certificates).toHaveLength(1);
    expect((await getRequest(ctx, id)).history.at(-1)?.detail).toMatch(/; warning: the chain of request .* is incomplete/);
    const bundle = await writeBundle(ctx, { id, farm: 'edge-rp', toDir: usb(), password: PASSWORD, allowIncompleteChain: true });
    expect(bundle.warnings).toEqual(result.warnings);
  });

  it('gets the intermediate and root from a fuller answer imported again, and says so', async () => {
    const again = await importCertificate(ctx, [file('answer.p7b', ca.p7b(leaf, { format: 'der', includeRoot: true }))]);
    expect(again).toMatchObject({ requestId: id, alreadyImported: true, chainUpdated: true });
    expect(again.caCertificatesAdded).toHaveLength(2);
    expect(importSummary(again)[0]).toBe(`Already imported: request ${id} has this certificate (status exported); 2 CA certificates from the answer added to the CA store, the stored chain replaced by its more complete one.`);
    expect(chainPem()).toBe(ca.intermediate.pem + ca.root.pem);
    expect((await listCaCertificates(ctx)).map((c) => c.subject)).toEqual(['CN=Certdesk Test RSA Root CA, O=Certdesk Tests', INTERMEDIATE]);
    expect((await getRequest(ctx, id)).history.at(-1)).toMatchObject({ event: 'certificate-chain-updated', detail: expect.stringMatching(/CA certificates added: .*Issuing CA/) as unknown });

    const result = await exportPfx(ctx, id, { out: out(), password: PASSWORD });
    expect(result.caCertificates).toBe(1);
    expect(result.warnings).toBeUndefined();
  });

  it('changes nothing when the same fuller answer comes once more', async () => {
    const before = treeHash(ctx.storeDir);
    const again = await importCertificate(ctx, [file('answer.p7b', ca.p7b(leaf, { format: 'der', includeRoot: true }))]);
    expect(again).toMatchObject({ alreadyImported: true, chainUpdated: false, caCertificatesAdded: [] });
    expect(importSummary(again)[0]).toMatch(/; nothing changed\.$/);
    expect(treeHash(ctx.storeDir)).toBe(before);
  });
});

describe('validity at export time', () => {
  let id: string;
  let leaf: X509Certificate;
  // Outlives its intermediate (1825 days), so the intermediate expires first.
  const sign = (csr: string): IssuedCert => ca.sign(csr, { sans: ['webext.contoso.com', 'meet.contoso.com'], startDate: new Date(START.getTime() - DAY), endDate: new Date(START.getTime() + 2000 * DAY) });

  beforeAll(async () => {
    const issued = await newIssued(sign, (l) => ca.bundle(l, { includeRoot: true }));
    id = issued.id;
    leaf = new X509Certificate(issued.leaf.pem);
  });

  it('refuses an expired certificate', async () => {
    const expiry = new Date(leaf.validTo).toISOString().slice(0, 10);
    await bothRefuse(id, new Date(START.getTime() + 2100 * DAY), 'INVALID_INPUT', new RegExp(`^the certificate of request ${id} \\(CN=webext\\.contoso\\.com\\) expired on ${expiry}; ask the CA for a new one`));
  });

  it('refuses a certificate that is not valid yet', async () => {
    await bothRefuse(id, new Date(START.getTime() - 2 * DAY), 'INVALID_INPUT', new RegExp(`^the certificate of request ${id} \\(CN=webext\\.contoso\\.com\\) is valid only from ${new Date(leaf.validFrom).toISOString()}`));
  });

  it('refuses a chain whose intermediate has expired, naming it and its date', async () => {
    const interExpiry = new Date(new X509Certificate(ca.intermediate.pem).validTo);
    expect(new Date(leaf.validTo).getTime()).toBeGreaterThan(interExpiry.getTime() + DAY);
    await bothRefuse(
      id,
      new Date(interExpiry.getTime() + DAY),
      'INVALID_INPUT',
      new RegExp(`^the CA certificate ${INTERMEDIATE} in the chain of request ${id} expired on ${interExpiry.toISOString().slice(0, 10)}; `),
    );
  });

  it('exports the same certificate while everything is valid', async () => {
    const result = await exportPfx(ctx, id, { out: out(), password: PASSWORD });
    expect(result.caCertificates).toBe(1);
  });
});
