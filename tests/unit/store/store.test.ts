import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import { newRequestId } from '../../../src-main/store/ids.js';
import { Store } from '../../../src-main/store/store.js';
import { storeKeyAccount } from '../../../src-main/store/store-key.js';
import { fakeCsrDer, sampleRecord, tempDir, testKey, walk } from './fixtures.js';

const key = testKey();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function freshStore() {
  const t = await tempDir();
  cleanups.push(t.cleanup);
  const secrets = createMemorySecretStore();
  const store = await Store.open(join(t.dir, 'store'), secrets, { lockTimeoutMs: 500 });
  return { store, secrets, root: join(t.dir, 'store') };
}

async function addRequest(store: Store, at = new Date('2026-03-15T10:00:00Z')) {
  const id = newRequestId(at);
  const csrDer = fakeCsrDer();
  await store.createRequest(sampleRecord(id, csrDer), { csrDer, privateKeyPem: key.pem });
  return id;
}

function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'resolved',
    (e: unknown) => (e as { code?: string }).code ?? String(e),
  );
}

describe('Store layout', () => {
  it('creates store.json, README.txt and requests/ with owner-only modes', async () => {
    const { store, root } = await freshStore();
    const meta = JSON.parse(await readFile(join(root, 'store.json'), 'utf8')) as Record<string, unknown>;
    expect(meta).toMatchObject({ schemaVersion: 1, storeId: store.storeId });
    expect(Date.parse(String(meta.createdAt))).not.toBeNaN();
    expect(await readFile(join(root, 'README.txt'), 'utf8')).toMatch(/Certdesk store/);
    const tree = await walk(root);
    expect(tree.get('requests')?.isDir).toBe(true);
    for (const [name, f] of tree) expect([name, f.mode]).toEqual([name, f.isDir ? 0o700 : 0o600]);
  });

  it('keeps its storeId when opened again', async () => {
    const { store, secrets, root } = await freshStore();
    const again = await Store.open(root, secrets);
    expect(again.storeId).toBe(store.storeId);
  });

  it('refuses a store written by a newer Certdesk, and a damaged store.json', async () => {
    const { root, secrets } = await freshStore();
    await writeFile(join(root, 'store.json'), JSON.stringify({ schemaVersion: 2, storeId: 'abcdef12-0000', createdAt: 'x' }));
    await expect(Store.open(root, secrets)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/newer Certdesk/) as unknown });
    await writeFile(join(root, 'store.json'), '{"schemaVersion":');
    await expect(Store.open(root, secrets)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });

  it('refuses to give a store with requests but no store.json a new identity', async () => {
    const { store, root, secrets } = await freshStore();
    await addRequest(store);
    await writeFile(join(root, 'store.json'), '');
    await expect(Store.open(root, secrets)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });
});

describe('Store requests', () => {
  it('stores request.json, request.csr (PEM) and key.enc, each 0600 in a 0700 folder', async () => {
    const { store, root } = await freshStore();
    const id = await addRequest(store);
    const dir = join(root, 'requests', id);
    const tree = await walk(dir);
    expect([...tree.keys()].sort()).toEqual(['key.enc', 'request.csr', 'request.json']);
    for (const f of tree.values()) expect(f.mode).toBe(0o600);
    expect((await walk(join(root, 'requests'))).get(id)?.mode).toBe(0o700);
    expect(tree.get('request.csr')?.data.toString()).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\r?\n/);
    expect((await store.getRequest(id)).id).toBe(id);
  });

  it('encrypts the private key: key.enc holds no plaintext and decrypts back to the PEM', async () => {
    const { store, root, secrets } = await freshStore();
    const id = await addRequest(store);
    const enc = await readFile(join(root, 'requests', id, 'key.enc'));
    expect(enc.includes('PRIVATE KEY')).toBe(false);
    expect(enc.includes(key.der.subarray(40, 72))).toBe(false);
    expect(JSON.parse(enc.toString())).toMatchObject({ format: 'certdesk-private-key', version: 1, cipher: 'aes-256-gcm' });
    expect(await store.readPrivateKey(id)).toBe(key.pem);
    expect(secrets.entries.get(storeKeyAccount(store.storeId))).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('rejects a key.enc copied onto another request (the request id is the associated data)', async () => {
    const { store, root } = await freshStore();
    const a = await addRequest(store);
    const b = await addRequest(store);
    await copyFile(join(root, 'requests', a, 'key.enc'), join(root, 'requests', b, 'key.enc'));
    await expect(store.readPrivateKey(b)).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringContaining(b) as unknown });
    expect(await store.readPrivateKey(a)).toBe(key.pem);
  });

  it('rejects a key.enc with one changed byte', async () => {
    const { store, root } = await freshStore();
    const id = await addRequest(store);
    const path = join(root, 'requests', id, 'key.enc');
    const env = JSON.parse(await readFile(path, 'utf8')) as { ciphertext: string };
    const ct = Buffer.from(env.ciphertext, 'base64');
    ct[10] = (ct[10] as number) ^ 1;
    await writeFile(path, JSON.stringify({ ...env, ciphertext: ct.toString('base64') }));
    await expect(store.readPrivateKey(id)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });

  it('never replaces a store key the keychain lost while encrypted keys exist', async () => {
    const { store, secrets } = await freshStore();
    const id = await addRequest(store);
    secrets.entries.clear();
    await expect(store.readPrivateKey(id)).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringMatching(/missing from the OS keychain/) as unknown });
    expect(await codeOf(addRequest(store))).toBe('STORE_CORRUPT');
    expect(secrets.entries.size).toBe(0);
    expect(await store.listRequestIds()).toEqual([id]);
  });

  it('treats malformed ids as unknown without touching the file system', async () => {
    const { store } = await freshStore();
    for (const bad of ['../store.json', '..', '20260315-ABCDEFGH', '20260315-abcdefgh/../../x', '', '20260315-abcdefg']) {
      expect(await codeOf(store.getRequest(bad))).toBe('NOT_FOUND');
      expect(await codeOf(store.readPrivateKey(bad))).toBe('NOT_FOUND');
      expect(await codeOf(store.deleteRequest(bad))).toBe('NOT_FOUND');
    }
    const id = await addRequest(store);
    expect(await codeOf(store.writeRequestFile(id, '../../evil', 'x'))).toBe('INTERNAL');
    expect(await codeOf(store.writeRequestFile(id, 'key.enc', 'x'))).toBe('INTERNAL');
    expect(await codeOf(store.readRequestFile(id, 'key.enc'))).toBe('INTERNAL');
  });

  it('resolves a unique id prefix and refuses an ambiguous one', async () => {
    const { store } = await freshStore();
    const a = await addRequest(store, new Date('2026-03-15T10:00:00Z'));
    const b = await addRequest(store, new Date('2026-04-01T10:00:00Z'));
    expect(await store.resolveId('202603')).toBe(a);
    expect(await store.resolveId(b.slice(0, 12).toUpperCase())).toBe(b);
    await expect(store.resolveId('2026')).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(a) as unknown });
    expect(await codeOf(store.resolveId('2025'))).toBe('NOT_FOUND');
    expect(await codeOf(store.resolveId('../'))).toBe('NOT_FOUND');
  });

  it('reports a damaged request.json by id and lists the others', async () => {
    const { store, root } = await freshStore();
    const good = await addRequest(store);
    const bad = await addRequest(store);
    await writeFile(join(root, 'requests', bad, 'request.json'), '{"schemaVersion":1,"id":');
    await expect(store.getRequest(bad)).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringContaining(bad) as unknown });
    const { records, problems } = await store.scanRequests();
    expect(records.map((r) => r.id)).toEqual([good]);
    expect(problems).toEqual([{ id: bad, message: expect.stringContaining('not valid JSON') as unknown }]);
  });

  it('rewrites a record durably, keeping fields a newer version added, and never its id', async () => {
    const { store, root } = await freshStore();
    const id = await addRequest(store);
    const path = join(root, 'requests', id, 'request.json');
    await writeFile(path, JSON.stringify({ ...(JSON.parse(await readFile(path, 'utf8')) as object), futureField: 42 }));
    const updated = await store.updateRequest(id, (r) => ({ ...r, status: 'issued' }));
    expect(updated.status).toBe('issued');
    expect(updated.updatedAt).not.toBe(updated.createdAt);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ status: 'issued', futureField: 42 });
    expect(await codeOf(store.updateRequest(id, (r) => ({ ...r, id: newRequestId(new Date()) })))).toBe('INTERNAL');
    expect(await codeOf(store.updateRequest(id, (r) => ({ ...r, status: 'bogus' as 'issued' })))).toBe('INTERNAL');
    expect((await store.getRequest(id)).status).toBe('issued');
  });

  it('deletes the whole request folder, encrypted key included', async () => {
    const { store, root } = await freshStore();
    const id = await addRequest(store);
    await store.deleteRequest(id);
    expect(await readdir(join(root, 'requests'))).toEqual([]);
    expect(await codeOf(store.getRequest(id))).toBe('NOT_FOUND');
    expect(await codeOf(store.deleteRequest(id))).toBe('NOT_FOUND');
  });

  it('refuses a second request with the same id', async () => {
    const { store } = await freshStore();
    const id = await addRequest(store);
    const csrDer = fakeCsrDer();
    expect(await codeOf(store.createRequest(sampleRecord(id, csrDer), { csrDer, privateKeyPem: key.pem }))).toBe('CONFLICT');
  });

  it('sweeps the leftovers of a crashed writer when the lock is next taken', async () => {
    const { store, root } = await freshStore();
    const id = await addRequest(store);
    const tmp = join(root, 'requests', `.tmp-${newRequestId(new Date())}`);
    await mkdir(tmp);
    await writeFile(join(tmp, 'key.enc'), 'half');
    await mkdir(join(root, 'requests', `.del-${id}-0000abcd`));
    await writeFile(join(root, 'requests', id, '.request.json.0123456789ab.tmp'), 'half');
    // The writer died holding the lock, as a killed writer does: its pid is gone.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    await writeFile(join(root, 'store.lock'), `${JSON.stringify({ pid: dead, hostname: hostname(), since: new Date().toISOString(), token: 'f'.repeat(32) })}\n`);
    expect(await store.listRequestIds()).toEqual([id]);
    await store.withLock(() => Promise.resolve());
    expect(await readdir(join(root, 'requests'))).toEqual([id]);
    expect((await readdir(join(root, 'requests', id))).sort()).toEqual(['key.enc', 'request.csr', 'request.json']);
  });

  it('without a dead writer, lists the requests folder but not every request folder (one readdir per lock, not one per request)', async () => {
    const { store, root } = await freshStore();
    const id = await addRequest(store);
    const tmp = join(root, 'requests', `.tmp-${newRequestId(new Date())}`);
    await mkdir(tmp);
    // Only a writer that died under the lock leaves a temp file inside a request folder; this one is
    // planted without a dead writer, so nothing is looked for there.
    await writeFile(join(root, 'requests', id, '.request.json.0123456789ab.tmp'), 'planted');
    await store.withLock(() => Promise.resolve());
    expect(await readdir(join(root, 'requests'))).toEqual([id]);
    expect((await readdir(join(root, 'requests', id))).sort()).toEqual(['.request.json.0123456789ab.tmp', 'key.enc', 'request.csr', 'request.json']);
  });

  it('appends audit lines as JSON, one per event, 0600', async () => {
    const { store, root } = await freshStore();
    const id = await addRequest(store);
    await store.appendAudit({ event: 'key-generated', requestId: id, detail: 'one\ntwo' });
    await store.appendAudit({ event: 'key-deleted', requestId: id, detail: 'gone' });
    const lines = (await readFile(join(root, 'audit.log'), 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toMatchObject([
      { event: 'key-generated', requestId: id, detail: 'one two' },
      { event: 'key-deleted', requestId: id, detail: 'gone' },
    ]);
    expect((await walk(root)).get('audit.log')?.mode).toBe(0o600);
  });
});
