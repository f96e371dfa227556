import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import { type ServiceContext } from '../../../src-main/services/context.js';
import { loadPlanForRequest, loadStoredPlanForRequest } from '../../../src-main/services/plans.js';
import { createRequest } from '../../../src-main/services/requests.js';
import { deleteTopology, listTopologies, loadStoredTopology, readRequestTopology, saveTopology, showTopology } from '../../../src-main/services/topologies.js';
import { treeHash } from '../../helpers/tree-hash.js';
import { contoso, contosoWith } from '../planning/topologies.js';

const root = mkdtempSync(join(tmpdir(), 'certdesk-topologies-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const notes: string[] = [];
const ctxFor = (name: string, now?: Date): ServiceContext => ({
  storeDir: join(root, name),
  secrets: createMemorySecretStore(),
  note: (m) => notes.push(m),
  ...(now ? { now: () => now } : {}),
});
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('stored topologies', () => {
  const ctx = ctxFor('store');

  it('saves, lists, shows and deletes a named topology, in <store>/topologies/<name>.json', async () => {
    const saved = await saveTopology(ctx, 'Contoso', contoso(), 'contoso.json');
    expect(saved.replaced).toBe(false);
    expect(saved.topology).toMatchObject({ name: 'Contoso', savedFrom: 'contoso.json', sipDomains: ['contoso.com'], pools: ['pool01'] });
    // The SHA-256 is of the stored JSON text itself, which parses back to the same topology.
    const onDisk = JSON.parse(readFileSync(join(ctx.storeDir, 'topologies', 'Contoso.json'), 'utf8')) as { json: string; sha256: string };
    expect(saved.topology.sha256).toBe(sha(onDisk.json));
    expect(JSON.parse(onDisk.json)).toEqual(contoso());
    expect((await listTopologies(ctx)).map((t) => t.name)).toEqual(['Contoso']);
    // Names match case-insensitively (the store may live on NTFS or APFS).
    const shown = await showTopology(ctx, 'contoso');
    expect(shown.topology).toEqual(contoso());
    expect((await loadStoredTopology(ctx, 'CONTOSO')).sha256).toBe(saved.topology.sha256);
    expect(await deleteTopology(ctx, 'contoso')).toBe('Contoso');
    expect(existsSync(join(ctx.storeDir, 'topologies', 'Contoso.json'))).toBe(false);
    await expect(showTopology(ctx, 'Contoso')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('replaces an earlier version of the same name and says what it had', async () => {
    const first = await saveTopology(ctx, 'site', contoso(), 'a.json');
    const again = await saveTopology(ctx, 'site', contoso(), 'a.json');
    expect(again).toMatchObject({ replaced: true });
    expect(again.previousSha256).toBeUndefined();
    const changed = await saveTopology(ctx, 'SITE', contosoWith((t) => (t.publicCa = true)), 'b.json');
    expect(changed).toMatchObject({ replaced: true, previousSha256: first.topology.sha256, topology: { name: 'site', savedFrom: 'b.json' } });
    expect(changed.topology.createdAt).toBe(first.topology.createdAt);
  });

  it('refuses an invalid topology, a bad name, and a damaged file, changing nothing', async () => {
    const before = treeHash(ctx.storeDir);
    await expect(saveTopology(ctx, 'x', { version: 1 }, 'bad.json')).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('bad.json') as unknown });
    for (const name of ['', '../x', 'a/b', 'con', 'x.', 'é']) {
      await expect(saveTopology(ctx, name, contoso(), 'c.json')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect(treeHash(ctx.storeDir)).toBe(before);
    const file = join(ctx.storeDir, 'topologies', 'site.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { json: string };
    writeFileSync(file, JSON.stringify({ ...stored, json: stored.json.replace('contoso.com', 'evil.com') }));
    await expect(showTopology(ctx, 'site')).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringContaining('SHA-256') as unknown });
    await expect(deleteTopology(ctx, 'site')).resolves.toBe('site');
  });

  it('never creates a store for reading: an empty list with a note, NOT_FOUND for a name', async () => {
    const none = ctxFor('nothing/here');
    expect(await listTopologies(none)).toEqual([]);
    expect(notes.some((n) => n.includes('no Certdesk store'))).toBe(true);
    await expect(showTopology(none, 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(deleteTopology(none, 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(existsSync(join(root, 'nothing'))).toBe(false);
  });
});

describe('requests made from a plan', () => {
  it('record the stored topology and its SHA-256, keep a copy, and get a default friendly name', async () => {
    const ctx = ctxFor('requests', new Date('2026-03-15T10:00:00Z'));
    const saved = await saveTopology(ctx, 'contoso', contoso(), 'contoso.json');
    const names = await loadStoredPlanForRequest(ctx, 'contoso');
    const record = await createRequest(ctx, { subject: { commonName: names.commonName }, sans: names.sans, fromTopology: names.fromTopology });
    expect(record.friendlyName).toBe('Reverse proxy webext.contoso.com 2026-03');
    expect(record.topology).toEqual({ kind: 'stored', source: 'contoso', sha256: saved.topology.sha256, certificate: 1 });
    const copy = readFileSync(join(ctx.storeDir, 'requests', record.id, 'topology.json'), 'utf8');
    expect(sha(copy)).toBe(saved.topology.sha256);
    expect(record.history.map((h) => h.event)).toContain('planned-from-topology');
    // Renewal re-plans from the copy, even after the stored topology has gone.
    await deleteTopology(ctx, 'contoso');
    expect(await readRequestTopology(ctx, record.id)).toEqual({ origin: record.topology, topology: contoso() });
    // A copy changed behind Certdesk's back is caught.
    writeFileSync(join(ctx.storeDir, 'requests', record.id, 'topology.json'), copy.replace('pool01', 'pool02'));
    await expect(readRequestTopology(ctx, record.id)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });

  it('record a file by its name; a friendly name given (even empty) is kept', async () => {
    const ctx = ctxFor('requests-file');
    const file = join(root, 'site a.json');
    writeFileSync(file, `\uFEFF${JSON.stringify(contoso())}`);
    const names = await loadPlanForRequest(file);
    expect(names.fromTopology).toMatchObject({ kind: 'file', source: 'site a.json', certificate: 1 });
    const record = await createRequest(ctx, { subject: { commonName: names.commonName }, sans: names.sans, fromTopology: names.fromTopology, friendlyName: 'Edge RP' });
    expect(record.friendlyName).toBe('Edge RP');
    expect(record.topology?.sha256).toBe(sha(readFileSync(join(ctx.storeDir, 'requests', record.id, 'topology.json'), 'utf8')));
    const plain = await createRequest(ctx, { subject: { commonName: 'webext.contoso.com' }, sans: [] });
    expect(plain.topology).toBeUndefined();
    expect(plain.friendlyName).toBe('');
    expect(await readRequestTopology(ctx, plain.id)).toBeNull();
  });

  it('refuses a request whose topology text is invalid, storing nothing', async () => {
    const ctx = ctxFor('requests-bad');
    await expect(
      createRequest(ctx, { subject: { commonName: 'webext.contoso.com' }, sans: [], fromTopology: { kind: 'form', source: '', text: '{"version":1}', certificate: 1 } }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(existsSync(join(ctx.storeDir, 'requests'))).toBe(false);
  });
});
