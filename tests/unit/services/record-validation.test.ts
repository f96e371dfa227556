import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../../src-main/common/requests.js';
import { exportPfx } from '../../../src-main/services/export.js';
import { createFarmWorld, type FarmWorld, PASSWORD } from './farm-fixtures.js';
import { getRequest } from './store-access.js';

// The `certificate` and `exports` fields of request.json are validated when a record is read, like
// every other field: a damaged value is STORE_CORRUPT naming the request and the field, never a
// crash or a wrong PFX further on. The valid record comes from a real import and a real export.
let w: FarmWorld;
let file: string;
let good: string;
beforeAll(async () => {
  w = await createFarmWorld(new Date(Math.floor(Date.now() / 60_000) * 60_000 + 86_400_000));
  await exportPfx(w.ctx, w.record.id, { out: join(w.dir, 'x.pfx'), password: PASSWORD });
  file = join(w.ctx.storeDir, 'requests', w.record.id, 'request.json');
  good = readFileSync(file, 'utf8');
});
afterAll(() => w?.cleanup());

function withField(change: (r: RequestRecord & Record<string, unknown>) => void): void {
  const r = JSON.parse(good) as RequestRecord & Record<string, unknown>;
  change(r);
  writeFileSync(file, JSON.stringify(r, null, 2));
}

describe('reading a request record', () => {
  it('accepts the record a real import and export wrote', async () => {
    writeFileSync(file, good);
    const r = await getRequest(w.ctx, w.record.id);
    expect(r.certificate?.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(r.exports).toHaveLength(1);
  });

  const damaged: [string, RegExp, (r: RequestRecord & Record<string, unknown>) => void][] = [
    ['a certificate that is a string', /certificate is invalid/, (r) => void (r.certificate = 'CN=x' as never)],
    ['a certificate thumbprint that is not hex', /certificate\.thumbprint is invalid/, (r) => void (r.certificate!.thumbprint = 'zz')],
    ['a certificate without notAfter', /certificate\.notAfter is invalid/, (r) => void delete (r.certificate as unknown as Record<string, unknown>).notAfter],
    ['exports that are an object', /exports is invalid/, (r) => void (r.exports = {} as never)],
    ['an export with an unknown profile', /exports\.0\.profile is invalid/, (r) => void (r.exports![0]!.profile = 'ancient' as never)],
    ['an export numbered 0', /exports\.0\.n is invalid/, (r) => void (r.exports![0]!.n = 0)],
    ['an export SHA-256 that is not hex', /exports\.0\.sha256 is invalid/, (r) => void (r.exports![0]!.sha256 = 'x'.repeat(64))],
  ];
  for (const [what, where, change] of damaged) {
    it(`refuses ${what} as STORE_CORRUPT naming the request and the field`, async () => {
      withField(change);
      await expect(getRequest(w.ctx, w.record.id)).rejects.toMatchObject({
        code: 'STORE_CORRUPT',
        message: expect.stringMatching(new RegExp(`^request ${w.record.id} is damaged: ${where.source}`)) as unknown,
      });
      writeFileSync(file, good);
    });
  }
});
