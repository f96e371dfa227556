/**
 * A store with one issued request, a "public" OpenSSL CA that signed it, an internal CA (the one the
 * proxies must trust) and a farm with a legacy and a modern node: the starting point of the farm,
 * bundle and deployment tests. In-memory keychain (these are unit tests of the services), real disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Farm } from '../../../src-main/common/farms.js';
import type { RequestRecord } from '../../../src-main/common/requests.js';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import type { ServiceContext } from '../../../src-main/services/context.js';
import { addFarm } from '../../../src-main/services/farms.js';
import { importCertificate } from '../../../src-main/services/import.js';
import { createRequest, getCsr } from '../../../src-main/services/requests.js';
import { type TestCa, createTestCa } from '../../helpers/openssl-ca.js';
import { getRequest } from './store-access.js';

/** Everything a farm test needs; `cleanup()` removes it all. */
export interface FarmWorld {
  dir: string;
  ctx: ServiceContext;
  secrets: ReturnType<typeof createMemorySecretStore>;
  publicCa: TestCa;
  internalCa: TestCa;
  record: RequestRecord;
  farm: Farm;
  /** A pending request without a certificate. */
  pending: RequestRecord;
  cleanup(): void;
}

/** A supplied PFX password that passes the strength rules. */
export const PASSWORD = 'Lync-Proxy-Farm-2024!';

/** Builds the world; the clock is fixed so bundle folder names are predictable. */
export async function createFarmWorld(now = new Date()): Promise<FarmWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-farm-'));
  const secrets = createMemorySecretStore();
  const ctx: ServiceContext = { storeDir: join(dir, 'store'), secrets, now: () => now };
  const publicCa = createTestCa('rsa', 'Public');
  const internalCa = createTestCa('rsa', 'Contoso Internal');
  const created = await createRequest(ctx, { subject: { commonName: 'webext.contoso.com' }, sans: ['meet.contoso.com', 'dialin.contoso.com'], friendlyName: 'Reverse Proxy Listener for Lync Server' });
  const csr = await getCsr(ctx, created.id, 'base64');
  const leaf = publicCa.sign(typeof csr === 'string' ? csr : new Uint8Array(csr), { sans: ['webext.contoso.com', 'meet.contoso.com', 'dialin.contoso.com'] });
  await importCertificate(ctx, [{ name: 'answer.pem', data: new TextEncoder().encode(publicCa.bundle(leaf, { includeRoot: true })) }]);
  const pending = await createRequest(ctx, { subject: { commonName: 'pending.contoso.com' }, sans: [] });
  const farm = await addFarm(ctx, {
    name: 'edge-rp',
    nodes: [
      { host: 'RP1.contoso.local', windowsVersion: '2008R2', notes: 'TMG 2010' },
      { host: 'rp2.contoso.local', windowsVersion: '2019' },
    ],
    trust: [{ name: 'internal.pem', data: new TextEncoder().encode(internalCa.root.pem + internalCa.intermediate.pem) }],
  });
  const record = await getRequest(ctx, created.id);
  return {
    dir,
    ctx,
    secrets,
    publicCa,
    internalCa,
    record,
    farm,
    pending,
    cleanup() {
      publicCa.cleanup();
      internalCa.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
