import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDeployments, markDeployment, undoDeployment } from '../../../src-main/services/deployments.js';
import { deleteFarm, editFarm } from '../../../src-main/services/farm-edit.js';
import { addFarm, listFarms } from '../../../src-main/services/farms.js';
import { createFarmWorld, type FarmWorld } from './farm-fixtures.js';
import { auditEvents, getRequest } from './store-access.js';

let w: FarmWorld;

beforeAll(async () => {
  w = await createFarmWorld(new Date('2026-03-15T12:00:00Z'));
});
afterAll(() => w?.cleanup());

async function snapshot(): Promise<string> {
  return JSON.stringify({ farms: await listFarms(w.ctx), r: await getRequest(w.ctx, w.record.id), audit: await auditEvents(w.ctx) });
}

describe('undoing a deployment mark', () => {
  it('removes the mark, records deployment-undone, and takes a deployed request back to issued', async () => {
    const thumb = w.record.certificate?.thumbprint ?? '';
    await markDeployment(w.ctx, { id: w.record.id, node: 'rp1.contoso.local' });
    await markDeployment(w.ctx, { id: w.record.id, node: 'rp2.contoso.local', verifiedThumbprint: thumb });
    expect((await getRequest(w.ctx, w.record.id)).status).toBe('deployed');

    const u = await undoDeployment(w.ctx, { id: w.record.id, node: 'RP2.contoso.local' });
    expect(u).toMatchObject({ farm: 'edge-rp', host: 'rp2.contoso.local', status: 'issued', removed: { state: 'verified', thumbprint: thumb } });
    const views = await listDeployments(w.ctx, w.record.id);
    expect(views.map((v) => [v.host, v.state])).toEqual([
      ['rp1.contoso.local', 'deployed'],
      ['rp2.contoso.local', 'not-deployed'],
    ]);
    const r = await getRequest(w.ctx, w.record.id);
    expect(r.status).toBe('issued');
    expect(r.history.at(-1)).toMatchObject({ event: 'deployment-undone', detail: expect.stringContaining('verified mark') as unknown });
    expect((await auditEvents(w.ctx)).at(-1)).toBe('deployment-undone');
  });

  it('refuses a node without a mark (NOT_FOUND), changing nothing', async () => {
    const before = await snapshot();
    await expect(undoDeployment(w.ctx, { id: w.record.id, node: 'rp2.contoso.local' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(undoDeployment(w.ctx, { id: w.record.id, node: 'not a host' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await snapshot()).toBe(before);
  });
});

describe('editing a farm', () => {
  it('adds a node, changes a node\'s Windows version (and so its PFX profile), and says what changed', async () => {
    const r = await editFarm(w.ctx, { name: 'EDGE-rp', setNodes: [{ host: 'rp3.contoso.local', windowsVersion: '2022' }, { host: 'rp1.contoso.local', windowsVersion: '2016', notes: 'IIS ARR' }] });
    expect(r).toMatchObject({ nodesAdded: ['rp3.contoso.local'], nodesChanged: ['rp1.contoso.local'], nodesRemoved: [], deploymentsDropped: 0 });
    expect(r.farm.nodes.map((n) => [n.host, n.windowsVersion])).toEqual([
      ['rp1.contoso.local', '2016'],
      ['rp2.contoso.local', '2019'],
      ['rp3.contoso.local', '2022'],
    ]);
    // The deployment mark on rp1 stays: the node is the same machine.
    expect((await listDeployments(w.ctx, w.record.id)).find((v) => v.host === 'rp1.contoso.local')?.state).toBe('deployed');
    expect((await auditEvents(w.ctx)).at(-1)).toBe('farm-updated');
  });

  it('removing a node drops its deployment mark and tells the request\'s history', async () => {
    const r = await editFarm(w.ctx, { name: 'edge-rp', removeNodes: ['rp1.contoso.local'] });
    expect(r).toMatchObject({ nodesRemoved: ['rp1.contoso.local'], deploymentsDropped: 1 });
    expect((await listDeployments(w.ctx, w.record.id)).map((v) => v.host)).toEqual(['rp2.contoso.local', 'rp3.contoso.local']);
    expect((await getRequest(w.ctx, w.record.id)).history.at(-1)?.detail).toContain('node rp1.contoso.local was removed from farm edge-rp');
  });

  it('removes a trusted CA by thumbprint (spaces and case do not matter)', async () => {
    const farm = (await listFarms(w.ctx))[0];
    const inter = farm?.trustedCas.find((c) => c.role === 'intermediate');
    const spaced = (inter?.thumbprint ?? '').toLowerCase().replace(/(..)/g, '$1 ');
    const r = await editFarm(w.ctx, { name: 'edge-rp', removeTrust: [spaced] });
    expect(r.trustRemoved).toEqual([inter?.subject]);
    expect(r.farm.trustedCas.map((c) => c.role)).toEqual(['root']);
  });

  it.each([
    ['an unknown node to remove', { removeNodes: ['rp9.contoso.local'] }, 'NOT_FOUND'],
    ['removing every node', { nodes: [{ host: 'rp2.contoso.local', windowsVersion: '2019' as const }], removeNodes: ['rp2.contoso.local'] }, 'INVALID_INPUT'],
    ['a bad Windows version', { setNodes: [{ host: 'rp4.contoso.local', windowsVersion: 'XP' as never }] }, 'INVALID_INPUT'],
    ['a CA the farm does not trust', { removeTrust: ['a'.repeat(64)] }, 'NOT_FOUND'],
    ['no thumbprint at all', { removeTrust: ['zz'] }, 'INVALID_INPUT'],
    ['a node that is no host name', { setNodes: [{ host: 'rp_1', windowsVersion: '2019' as const }] }, 'INVALID_INPUT'],
  ])('refuses %s, changing nothing', async (_why, change, code) => {
    const before = await snapshot();
    await expect(editFarm(w.ctx, { name: 'edge-rp', ...change })).rejects.toMatchObject({ code });
    expect(await snapshot()).toBe(before);
  });

  it('refuses to edit a farm that does not exist', async () => {
    await expect(editFarm(w.ctx, { name: 'nope', removeNodes: ['rp2.contoso.local'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('deleting a farm', () => {
  it('refuses while a linked request still needs it, naming the request, and changes nothing', async () => {
    const before = await snapshot();
    await expect(deleteFarm(w.ctx, { name: 'edge-rp' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(w.record.id) as unknown });
    expect(await snapshot()).toBe(before);
  });

  it('deletes a farm nobody uses at once, and a used one when confirmed, keeping the requests', async () => {
    await addFarm(w.ctx, { name: 'spare', nodes: [{ host: 'spare1.contoso.local', windowsVersion: 'other' }] });
    expect(await deleteFarm(w.ctx, { name: 'spare' })).toEqual({ name: 'spare', requestsUnlinked: [], deploymentsRemoved: 0, deleted: true });

    const r = await deleteFarm(w.ctx, { name: 'edge-rp', confirm: true });
    expect(r).toMatchObject({ name: 'edge-rp', requestsUnlinked: [w.record.id], deleted: true });
    expect(await listFarms(w.ctx)).toEqual([]);
    const rec = await getRequest(w.ctx, w.record.id);
    expect(rec.certificate).toBeDefined();
    expect(rec.history.at(-1)).toMatchObject({ event: 'farm-unlinked' });
    expect(await listDeployments(w.ctx, w.record.id)).toEqual([]);
    expect((await auditEvents(w.ctx)).at(-1)).toBe('farm-deleted');
    await expect(deleteFarm(w.ctx, { name: 'edge-rp' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
