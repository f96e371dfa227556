import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Farm } from '../../../src-main/common/farms.js';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import { FarmStore } from '../../../src-main/store/farm-store.js';
import { Store } from '../../../src-main/store/store.js';

const dir = mkdtempSync(join(tmpdir(), 'certdesk-farmstore-'));
let farms: FarmStore;
const farm = (name: string): Farm => ({
  schemaVersion: 1,
  name,
  nodes: [{ host: 'rp1.contoso.local', windowsVersion: '2016', notes: '' }],
  trustedCas: [],
  requestIds: [],
  deployments: [],
  createdAt: '2026-03-15T00:00:00.000Z',
  updatedAt: '2026-03-15T00:00:00.000Z',
});

beforeAll(async () => {
  farms = new FarmStore(await Store.open(dir, createMemorySecretStore()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the farm store', () => {
  it('keeps one owner-only JSON file per farm under farms/', async () => {
    await farms.create(farm('edge-rp'));
    expect(readdirSync(join(dir, 'farms'))).toEqual(['edge-rp.json']);
    expect(statSync(join(dir, 'farms', 'edge-rp.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'farms')).mode & 0o777).toBe(0o700);
    expect(await farms.get('EDGE-RP')).toEqual(farm('edge-rp'));
  });

  it('updates durably under the lock and refuses to rename', async () => {
    const at = new Date('2026-04-01T00:00:00Z');
    const f = await farms.update('edge-rp', (x) => ({ ...x, requestIds: ['20260315-3f2kx9ab'] }), () => at);
    expect(f.updatedAt).toBe(at.toISOString());
    expect((await farms.get('edge-rp')).requestIds).toEqual(['20260315-3f2kx9ab']);
    await expect(farms.update('edge-rp', (x) => ({ ...x, name: 'other' }))).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('reports a damaged or foreign farm file as STORE_CORRUPT, naming the farm', async () => {
    writeFileSync(join(dir, 'farms', 'broken.json'), '{ not json');
    await expect(farms.get('broken')).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: 'farm broken is damaged: its file is not valid JSON' });
    writeFileSync(join(dir, 'farms', 'odd.json'), JSON.stringify({ ...farm('odd'), nodes: [{ host: 'x', windowsVersion: '2003', notes: '' }] }));
    await expect(farms.get('odd')).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringContaining('nodes.0.windowsVersion is invalid') as unknown });
    writeFileSync(join(dir, 'farms', 'newer.json'), JSON.stringify({ ...farm('newer'), schemaVersion: 2 }));
    await expect(farms.get('newer')).rejects.toThrow(/written by a newer Certdesk/);
  });

  it('keeps fields a newer Certdesk added when it rewrites a farm', async () => {
    writeFileSync(join(dir, 'farms', 'future.json'), JSON.stringify({ ...farm('future'), futureField: { x: 1 } }));
    await farms.update('future', (x) => x);
    expect((await farms.get('future')) as Farm & { futureField?: unknown }).toMatchObject({ futureField: { x: 1 } });
  });
});
