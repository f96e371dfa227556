/**
 * Farms refuse nodes Windows would give the same computer (NetBIOS) name: the install script matches
 * nodes by full DNS name and falls back to that name, so such nodes could not be told apart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editFarm } from '../../../src-main/services/farm-edit.js';
import { addFarm, listFarms } from '../../../src-main/services/farms.js';
import { createFarmWorld, type FarmWorld } from './farm-fixtures.js';
import { auditEvents } from './store-access.js';

let w: FarmWorld;

beforeAll(async () => {
  w = await createFarmWorld(new Date('2026-03-15T12:00:00Z'));
});
afterAll(() => w?.cleanup());

const snapshot = async (): Promise<string> => JSON.stringify({ farms: await listFarms(w.ctx), audit: await auditEvents(w.ctx) });

describe('nodes that would be ambiguous on Windows', () => {
  it.each([
    [['rp01.dmz1.contoso.com', 'rp01.dmz2.contoso.com'], 'RP01'],
    [['rp01', 'rp01.contoso.com'], 'RP01'],
    [['reverseproxy-node01.contoso.com', 'reverseproxy-node02.contoso.com'], 'REVERSEPROXY-NO'],
    [['bücher.contoso.com', 'BÜCHER.fabrikam.com'], 'XN--BCHER-KVA'],
  ])('farm add refuses %j (both "%s"), storing nothing', async (hosts, name) => {
    const before = await snapshot();
    await expect(addFarm(w.ctx, { name: 'clash', nodes: hosts.map((host) => ({ host, windowsVersion: '2016' as const })) })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining(`would both be "${name}" on Windows`) as unknown,
    });
    expect(await snapshot()).toBe(before);
  });

  it('farm add accepts nodes whose computer names differ within 15 characters', async () => {
    const farm = await addFarm(w.ctx, { name: 'distinct', nodes: ['rp01.contoso.com', 'rp02.contoso.com', 'reverseproxy01.contoso.com'].map((host) => ({ host, windowsVersion: '2019' as const })) });
    expect(farm.nodes.map((n) => n.host)).toEqual(['rp01.contoso.com', 'rp02.contoso.com', 'reverseproxy01.contoso.com']);
  });

  it('farm edit refuses adding a node that clashes with one already in the farm, changing nothing', async () => {
    const before = await snapshot();
    await expect(editFarm(w.ctx, { name: 'edge-rp', setNodes: [{ host: 'RP1.dmz.contoso.com', windowsVersion: '2016' }] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('nodes rp1.contoso.local and rp1.dmz.contoso.com would both be "RP1" on Windows') as unknown,
    });
    expect(await snapshot()).toBe(before);
    const edited = await editFarm(w.ctx, { name: 'edge-rp', setNodes: [{ host: 'rp3.contoso.local', windowsVersion: '2022' }] });
    expect(edited.nodesAdded).toEqual(['rp3.contoso.local']);
  });
});
