/** Direct reads of the store, for tests that check what a service did (or did not) record. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Farm } from '../../../src-main/common/farms.js';
import type { RequestRecord } from '../../../src-main/common/requests.js';
import { openStore, type ServiceContext } from '../../../src-main/services/context.js';
import { FarmStore } from '../../../src-main/store/farm-store.js';

/** The stored record. */
export async function getRequest(ctx: ServiceContext, id: string): Promise<RequestRecord> {
  return (await openStore(ctx)).getRequest(id);
}

/** The stored farm. */
export async function getFarm(ctx: ServiceContext, name: string): Promise<Farm> {
  return new FarmStore(await openStore(ctx)).get(name);
}

/** The audit log's events, in order. */
export async function auditEvents(ctx: ServiceContext): Promise<string[]> {
  const text = await readFile(join(ctx.storeDir, 'audit.log'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { event: string }).event);
}
