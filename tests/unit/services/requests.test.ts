import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretStore } from '../../../src-main/common/secret-store.js';
import { CertdeskError } from '../../../src-main/common/errors.js';
import type { RequestRecord } from '../../../src-main/common/requests.js';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import { sha256Hex } from '../../../src-main/pki/fingerprint.js';
import { openStore, type ServiceContext } from '../../../src-main/services/context.js';
import { createRequest, deleteRequest, getCsr, listRequests, showRequest } from '../../../src-main/services/requests.js';
import { isCacheFile } from '../../helpers/tree-hash.js';

let root: string;
let ctx: ServiceContext;
let webext: RequestRecord;
let meet: RequestRecord;
const warnings: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'certdesk-svc-'));
  ctx = { storeDir: join(root, 'store'), secrets: createMemorySecretStore(), warn: (m) => warnings.push(m) };
  webext = await createRequest(ctx, {
    subject: { commonName: 'WebExt.Contoso.com', organization: 'Contoso', country: 'us' },
    sans: ['meet.contoso.com', 'dialin.contoso.com'],
    friendlyName: 'Reverse Proxy Listener for Lync Server',
    description: 'Farm A',
  });
  meet = await createRequest(ctx, { subject: { commonName: 'lyncdiscover.fabrikam.com' }, sans: ['lyncdiscover.fabrikam.com'], exportable: false, windowsAttributes: false });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function storeTree(): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, rel: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (isCacheFile(e.name)) continue; // the request index: a cache, not stored data
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(join(d, e.name), r);
      else out.push(`${r}:${sha256Hex(await readFile(join(d, e.name)))}`);
    }
  };
  await walk(ctx.storeDir, '');
  return out.sort();
}

describe('createRequest', () => {
  it('stores a pending request with the CN first among the SANs, lower-cased, and says the CN was added', () => {
    expect(webext).toMatchObject({
      status: 'pending',
      subject: 'webext.contoso.com',
      sans: ['webext.contoso.com', 'meet.contoso.com', 'dialin.contoso.com'],
      subjectFields: { commonName: 'webext.contoso.com', organization: 'Contoso', country: 'US' },
      distinguishedName: 'CN=webext.contoso.com, O=Contoso, C=US',
      keySize: 2048,
      exportable: true,
      keySpec: 'exchange',
      windowsAttributes: true,
    });
    expect(webext.id).toMatch(/^\d{8}-[0-9a-z]{8}$/);
    expect(webext.findings.map((f) => f.code)).toContain('NAME_CN_ADDED_TO_SAN');
    expect(webext.history.map((h) => h.event)).toEqual(['key-generated', 'csr-created']);
    expect(webext.history[1]?.detail).toMatch(/CN was added to the SAN list automatically/);
    expect(meet.findings.map((f) => f.code)).not.toContain('NAME_CN_ADDED_TO_SAN');
  });

  it('makes a CSR whose key is the stored key and whose hashes the record carries', async () => {
    const store = await openStore(ctx);
    const pem = await store.readPrivateKey(webext.id);
    const spki = createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'der' });
    expect(sha256Hex(spki)).toBe(webext.publicKeySha256);
    const der = (await getCsr(ctx, webext.id, 'der')) as Uint8Array;
    expect(sha256Hex(der)).toBe(webext.csrSha256);
    const { csr } = await showRequest(ctx, webext.id);
    expect(csr?.publicKeySha256).toBe(webext.publicKeySha256);
    expect(csr?.signature.valid).toBe(true);
    expect(csr?.subjectAltNames.map((n) => n.value)).toEqual(webext.sans);
    expect(csr?.microsoft.enrollmentCsp?.keySpec).toBe(1);
  });

  it('audits the key generation in audit.log', async () => {
    const lines = (await readFile(join(ctx.storeDir, 'audit.log'), 'utf8')).trim().split('\n');
    const events = lines.map((l) => JSON.parse(l) as { event: string; requestId: string });
    expect(events.filter((e) => e.event === 'key-generated').map((e) => e.requestId)).toEqual([webext.id, meet.id]);
  });

  it('refuses names with errors, listing every error, and leaves the store untouched', async () => {
    const before = await storeTree();
    const err = await createRequest(ctx, { subject: { commonName: '*.contoso.com' }, sans: ['bad_name.contoso.com', '10.0.0.1'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CertdeskError);
    expect(err).toMatchObject({ code: 'INVALID_INPUT' });
    const message = (err as Error).message;
    expect(message).toMatch(/^the names are refused \(3 errors\): /);
    expect(message).toMatch(/wildcard/i);
    expect(message).toMatch(/underscore/i);
    expect(message).toMatch(/IP address/);
    expect(await storeTree()).toEqual(before);
  });

  it('refuses a bad country, key size or multi-line friendly name before generating anything', async () => {
    const before = await storeTree();
    const base = { subject: { commonName: 'a.contoso.com' }, sans: [] };
    await expect(createRequest(ctx, { ...base, subject: { commonName: 'a.contoso.com', country: 'USA' } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(createRequest(ctx, { ...base, keySize: 1024 as 2048 })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('2048, 3072, 4096') as unknown });
    await expect(createRequest(ctx, { ...base, friendlyName: 'a\nb' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(createRequest(ctx, { ...base, subject: { commonName: '  ' } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await storeTree()).toEqual(before);
  });

  it('fails on an unreachable keychain before the key is generated, storing nothing', async () => {
    const down: SecretStore = {
      get: () => Promise.reject(new CertdeskError('KEYCHAIN_UNAVAILABLE', 'the OS keychain is not available (test)')),
      set: () => Promise.reject(new CertdeskError('KEYCHAIN_UNAVAILABLE', 'the OS keychain is not available (test)')),
      delete: () => Promise.reject(new CertdeskError('KEYCHAIN_UNAVAILABLE', 'the OS keychain is not available (test)')),
    };
    const before = await storeTree();
    const started = Date.now();
    await expect(createRequest({ ...ctx, secrets: down }, { subject: { commonName: 'x.contoso.com' }, sans: [], keySize: 4096 })).rejects.toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE',
    });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await storeTree()).toEqual(before);
  });
});

describe('listRequests', () => {
  it('lists oldest first and filters by status', async () => {
    expect((await listRequests(ctx)).map((r) => r.id)).toEqual([webext.id, meet.id]);
    expect(await listRequests(ctx, { status: 'issued' })).toEqual([]);
    expect((await listRequests(ctx, { status: 'pending' })).length).toBe(2);
    await expect(listRequests(ctx, { status: 'done' as 'issued' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('searches id, friendly name, description, subject and SANs case-insensitively', async () => {
    const ids = async (search: string) => (await listRequests(ctx, { search })).map((r) => r.id);
    expect(await ids('DIALIN')).toEqual([webext.id]);
    expect(await ids('lync server')).toEqual([webext.id]);
    expect(await ids('farm a')).toEqual([webext.id]);
    expect(await ids('fabrikam')).toEqual([meet.id]);
    expect(await ids(meet.id.slice(-5))).toEqual([meet.id]);
    expect(await ids('nothing-like-this')).toEqual([]);
  });
});

describe('getCsr and deleteRequest', () => {
  it('gives the same CSR as Base64 (PEM) and DER, by id prefix too', async () => {
    const pem = (await getCsr(ctx, meet.id, 'base64')) as string;
    // The shortest prefix that tells the two requests apart (both may be from the same second).
    let n = 1;
    while (webext.id.startsWith(meet.id.slice(0, n))) n++;
    const der = (await getCsr(ctx, meet.id.slice(0, n), 'der')) as Uint8Array;
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
    const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    expect(Buffer.from(body, 'base64').equals(Buffer.from(der))).toBe(true);
  });

  it('deletes the request and its key and audits key-deleted', async () => {
    const extra = await createRequest(ctx, { subject: { commonName: 'gone.contoso.com' }, sans: [] });
    expect(await deleteRequest(ctx, extra.id)).toEqual({ id: extra.id, exportedFiles: [], passwordsRemoved: 0, passwordsLeft: [], exportedFilesPresent: [], exportedFilesRemoved: [] });
    await expect(showRequest(ctx, extra.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const last = (await readFile(join(ctx.storeDir, 'audit.log'), 'utf8')).trim().split('\n').pop() ?? '';
    expect(JSON.parse(last)).toMatchObject({ event: 'key-deleted', requestId: extra.id });
    expect(await readdir(join(ctx.storeDir, 'requests'))).not.toContain(extra.id);
  });

  it('skips a damaged request in listings with a warning', async () => {
    const extra = await createRequest(ctx, { subject: { commonName: 'broken.contoso.com' }, sans: [] });
    await writeFile(join(ctx.storeDir, 'requests', extra.id, 'request.json'), 'not json');
    warnings.length = 0;
    expect((await listRequests(ctx)).map((r) => r.id)).toEqual([webext.id, meet.id]);
    expect(warnings).toEqual([expect.stringContaining(`skipped request ${extra.id}`)]);
    await expect(showRequest(ctx, extra.id)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    await deleteRequest(ctx, extra.id);
    expect((await listRequests(ctx)).length).toBe(2);
  });
});
