/** Read-only services on a folder that holds no store: an answer, and nothing created on disk. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import { listCaCertificates } from '../../../src-main/services/ca.js';
import { openStore, type ServiceContext } from '../../../src-main/services/context.js';
import { listDeployments } from '../../../src-main/services/deployments.js';
import { getPfxPassword } from '../../../src-main/services/export.js';
import { listExpiry } from '../../../src-main/services/expiry.js';
import { listFarms, showFarm } from '../../../src-main/services/farms.js';
import { deleteRequest, getCsr, listRequests, resolveRequestId, showRequest } from '../../../src-main/services/requests.js';
import { Store } from '../../../src-main/store/store.js';

let root: string;
const notes: string[] = [];
const ctxFor = (dir: string): ServiceContext => ({ storeDir: dir, secrets: createMemorySecretStore(), note: (m) => notes.push(m) });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'certdesk-nostore-'));
  mkdirSync(join(root, 'empty'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe.each([
  ['a folder that does not exist', 'missing/deeper'],
  ['an empty folder', 'empty'],
])('read-only services on %s', (_what, rel) => {
  const dir = () => join(root, rel);
  const unchanged = () => {
    if (rel === 'empty') expect(readdirSync(dir())).toEqual([]);
    else expect(existsSync(join(root, 'missing'))).toBe(false);
  };

  it('lists nothing, with one note naming the folder', async () => {
    const ctx = ctxFor(dir());
    for (const list of [listRequests, listCaCertificates, listFarms, listExpiry] as ((c: ServiceContext) => Promise<unknown[]>)[]) {
      notes.length = 0;
      expect(await list(ctx)).toEqual([]);
      expect(notes).toEqual([`no Certdesk store at ${dir()} yet`]);
    }
    unchanged();
  });

  it('answers NOT_FOUND naming the folder where an item is needed', async () => {
    const ctx = ctxFor(dir());
    const calls: (() => Promise<unknown>)[] = [
      () => showRequest(ctx, '20260101-abcdefgh'),
      () => getCsr(ctx, '2026', 'base64'),
      () => resolveRequestId(ctx, '2026'),
      () => showFarm(ctx, 'edge'),
      () => listDeployments(ctx, '20260101-abcdefgh'),
      () => deleteRequest(ctx, '20260101-abcdefgh'),
      // export.ts opens the store itself: the context's flag keeps it from creating one.
      () => getPfxPassword({ ...ctx, existingStoreOnly: true }, '20260101-abcdefgh'),
    ];
    for (const call of calls) await expect(call()).rejects.toMatchObject({ code: 'NOT_FOUND', message: `no Certdesk store at ${dir()}` });
    unchanged();
  });
});

describe('Store.open without create', () => {
  it('opens an existing store and reads it as usual', async () => {
    const dir = join(root, 'real');
    const created = await Store.open(dir, createMemorySecretStore());
    const existing = await openStore(ctxFor(dir), { mustExist: true });
    expect(existing.storeId).toBe(created.storeId);
    expect(await existing.listRequestIds()).toEqual([]);
  });
});
