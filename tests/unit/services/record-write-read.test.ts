/**
 * request.json is checked against the record schema where it is read, not when a service stores a
 * record it has just built (Store.createRequest): both halves of that. What request new stores (from
 * names with every optional field at its longest, and from a plan) and what a renewal stores is read
 * back by the validating reader unchanged; the same files damaged in their core fields are refused on
 * read as STORE_CORRUPT naming the request and the field.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../../src-main/common/requests.js';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import type { ServiceContext } from '../../../src-main/services/context.js';
import { planForRequest } from '../../../src-main/services/plans.js';
import { renewRequest } from '../../../src-main/services/renew.js';
import { createRequest } from '../../../src-main/services/request-create.js';
import { validateRecord } from '../../../src-main/store/record-schema.js';
import { contoso } from '../planning/topologies.js';
import { tempDir } from '../store/fixtures.js';
import { getRequest } from './store-access.js';

let ctx: ServiceContext;
let cleanup: () => Promise<void>;
const made: RequestRecord[] = [];

beforeAll(async () => {
  const t = await tempDir('certdesk-record-write-');
  cleanup = t.cleanup;
  ctx = { storeDir: join(t.dir, 'store'), secrets: createMemorySecretStore() };
  made.push(
    await createRequest(ctx, {
      subject: { commonName: 'webext.contoso.com', organization: 'Contoso, Ltd.', organizationalUnit: 'IT "Edge"', locality: 'Zürich', state: 'ZH', country: 'CH' },
      sans: ['meet.contoso.com', 'dialin.contoso.com', 'xn--bcher-kva.contoso.com'],
      friendlyName: `Reverse proxy ${'é'.repeat(242)}`,
      description: `${'描述 '.repeat(341)}x`,
      exportable: false,
      windowsAttributes: false,
      keySize: 3072,
    }),
  );
  const plan = planForRequest(contoso(), { kind: 'form', source: 'the form' }, 1);
  made.push(await createRequest(ctx, { subject: { commonName: plan.commonName }, sans: plan.sans, fromTopology: plan.fromTopology }));
  made.push((await renewRequest(ctx, { id: (made[0] as RequestRecord).id })).record);
}, 60_000);
afterAll(() => cleanup?.());

const fileOf = (id: string) => join(ctx.storeDir, 'requests', id, 'request.json');

describe('what the writers store', () => {
  it('is a record the schema accepts, read back exactly as the service returned it', async () => {
    expect(made.map((r) => r.friendlyName.length)).toEqual([256, expect.any(Number) as unknown, 256]);
    expect(made[1]?.topology?.kind).toBe('form');
    expect(made[2]?.renews).toBe(made[0]?.id);
    for (const record of made) {
      const stored = JSON.parse(readFileSync(fileOf(record.id), 'utf8')) as unknown;
      expect(validateRecord(stored)).toEqual({ ok: true, record: stored });
      expect(await getRequest(ctx, record.id)).toEqual(stored);
      // The first request has since been updated by its renewal (renewed-by); the others are as made.
      if (record !== made[0]) expect(stored).toEqual(record);
    }
  });
});

describe('a damaged request.json', () => {
  const damaged: [string, RegExp, (r: Record<string, unknown>) => void][] = [
    ['an empty subject', /^subject is invalid/, (r) => void (r.subject = '')],
    ['SANs that are text', /^sans is invalid/, (r) => void (r.sans = 'meet.contoso.com')],
    ['a key size never offered', /^keySize is invalid/, (r) => void (r.keySize = 1024)],
    ['an unknown status', /^status is invalid/, (r) => void (r.status = 'lost')],
    ['no CSR hash on a request made here', /^csrSha256 is invalid/, (r) => void delete r.csrSha256],
    ['a history line without its time', /^history\.0\.at is invalid/, (r) => void delete (r.history as Record<string, unknown>[])[0]?.at],
    ['a topology certificate of 0', /^topology\.certificate is invalid/, (r) => void ((r.topology as Record<string, unknown>).certificate = 0)],
    ['the record of another request', /^its request\.json belongs to/, (r) => void (r.id = made[0]?.id)],
  ];
  for (const [what, where, change] of damaged) {
    it(`is refused on read: ${what}`, async () => {
      const record = made[1] as RequestRecord;
      const good = readFileSync(fileOf(record.id), 'utf8');
      const r = JSON.parse(good) as Record<string, unknown>;
      change(r);
      writeFileSync(fileOf(record.id), JSON.stringify(r, null, 2));
      try {
        await expect(getRequest(ctx, record.id)).rejects.toMatchObject({
          code: 'STORE_CORRUPT',
          message: expect.stringMatching(new RegExp(`^request ${record.id} is damaged: ${where.source.slice(1)}`)) as unknown,
        });
      } finally {
        writeFileSync(fileOf(record.id), good);
      }
    });
  }
});
