/**
 * requests.summaries' service over a listing fixture (scripts/bench/make-store.mjs): every summary
 * says what its full record says, in the same order and under the same filters as listRequests, and
 * with the request index kept in memory (as the app and the browser-mode server do) a request.json
 * changed on disk shows in its summary. No keychain: listing needs no secret.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import type { RequestRecord } from '../../../src-main/common/requests.js';
import type { ServiceContext } from '../../../src-main/services/context.js';
import { listExpiry } from '../../../src-main/services/expiry.js';
import { addFarm, linkRequest, listFarms } from '../../../src-main/services/farms.js';
import { listRequestSummaries, listRequestSummariesSince, warmRequestSummaries } from '../../../src-main/services/request-summaries.js';
import { listRequests } from '../../../src-main/services/requests.js';
import { keepRequestIndexInMemory } from '../../../src-main/store/request-index.js';
import { expiringRows } from '../../../src-renderer/lib/expiry.js';

const REPO = resolve(import.meta.dirname, '..', '..', '..');
let dir: string;
let ctx: ServiceContext;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-summaries-'));
  const { makeStore } = (await import(pathToFileURL(join(REPO, 'scripts', 'bench', 'make-store.mjs')).href)) as { makeStore: (d: string, n: number) => string[] };
  makeStore(join(dir, 'store'), 120);
  ctx = { storeDir: join(dir, 'store'), secrets: createMemorySecretStore() };
  keepRequestIndexInMemory();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** What the Requests view's row must say, read field by field from the full record. */
function expectSummaryOf(s: Record<string, unknown>, r: RequestRecord): void {
  expect(s.id).toBe(r.id);
  expect(s.friendlyName).toBe(r.friendlyName);
  expect(s.subject).toBe(r.subject);
  expect(s.sanCount).toBe(r.sans.length);
  expect(s.status).toBe(r.status);
  expect(s.createdAt).toBe(r.createdAt);
  expect(s.expires).toBe(r.certificate === undefined ? null : r.certificate.notAfter);
  expect(s.origin).toBe(r.origin);
  expect(s.renews).toBe(r.renews);
  const lines = String(s.search).split('\n');
  for (const text of [r.friendlyName, r.subject, r.description, r.id, ...r.sans]) expect(lines).toContain(text.toLowerCase());
  expect(String(s.search)).toBe(String(s.search).toLowerCase());
  // Nothing of the record beyond the row: no history, findings, exports or certificate details.
  expect(Object.keys(s).sort()).toEqual(['createdAt', 'expires', 'friendlyName', 'id', 'sanCount', 'search', 'status', 'subject', ...(r.origin ? ['origin'] : []), ...(r.renews ? ['renews'] : [])].sort());
}

describe('request summaries', () => {
  it('summarize every full record of the fixture, in the same order, in a fraction of the JSON', async () => {
    const records = await listRequests(ctx);
    const summaries = await listRequestSummaries(ctx);
    expect(records).toHaveLength(120);
    expect(summaries.map((s) => s.id)).toEqual(records.map((r) => r.id));
    records.forEach((r, i) => expectSummaryOf(summaries[i] as unknown as Record<string, unknown>, r));
    // The fixture has issued and pending requests: both kinds of `expires` were checked.
    expect(summaries.some((s) => s.expires === null) && summaries.some((s) => s.expires !== null)).toBe(true);
    expect(JSON.stringify(summaries).length * 4).toBeLessThan(JSON.stringify(records).length);
  });

  it('filter by status and search exactly as the full listing does', async () => {
    for (const f of [{ status: 'issued' as const }, { search: 'WEBEXT' }, { status: 'pending' as const, search: 'contoso' }]) {
      const ids = (await listRequests(ctx, f)).map((r) => r.id);
      expect(ids.length).toBeGreaterThan(0);
      expect((await listRequestSummaries(ctx, f)).map((s) => s.id)).toEqual(ids);
    }
  });

  it('follow a request.json changed on disk while the index is kept in memory', async () => {
    const [first] = await listRequestSummaries(ctx);
    const json = join(ctx.storeDir, 'requests', first!.id, 'request.json');
    const record = JSON.parse(await readFile(json, 'utf8')) as RequestRecord;
    await writeFile(json, `${JSON.stringify({ ...record, friendlyName: 'Edited By Hand', sans: [...record.sans, 'extra.example.org'] }, null, 2)}\n`);
    const after = (await listRequestSummaries(ctx)).find((s) => s.id === first!.id)!;
    expect(after.friendlyName).toBe('Edited By Hand');
    expect(after.sanCount).toBe(record.sans.length + 1);
    expect(after.search.split('\n')).toContain('edited by hand');
    expect(after.search.split('\n')).toContain('extra.example.org');
  });

  it("give the Requests view's expiring card exactly what expiry.list returns, farms included", async () => {
    const now = new Date();
    const atNow: ServiceContext = { ...ctx, now: () => now };
    // Two farms sharing a certificate, one with another: the card names each in farms.list order.
    const issued = (await listRequestSummaries(ctx)).filter((s) => s.expires !== null && s.status !== 'revoked').sort((a, b) => a.expires!.localeCompare(b.expires!));
    await addFarm(ctx, { name: 'edge-a', nodes: [{ host: 'rp1.contoso.local', windowsVersion: '2019' }] });
    await addFarm(ctx, { name: 'edge-b', nodes: [{ host: 'rp2.contoso.local', windowsVersion: '2019' }] });
    for (const [farm, s] of [['edge-a', issued[0]], ['edge-b', issued[0]], ['edge-b', issued[1]]] as const) await linkRequest(ctx, farm, s!.id);
    for (const days of [30, 400, 0]) {
      const fromMain = await listExpiry(atNow, { withinDays: days });
      const derived = expiringRows(await listRequestSummaries(ctx), await listFarms(ctx), now, days);
      expect(derived).toEqual(fromMain.map((e) => ({ requestId: e.requestId, subject: e.subject, notAfter: e.notAfter, daysLeft: e.daysLeft, farms: e.farms })));
      if (days === 400) {
        // The fixture spreads notAfter over two years, some expired: both kinds, and the farms, were compared.
        expect(derived.some((e) => e.daysLeft < 0) && derived.some((e) => e.daysLeft > 30)).toBe(true);
        expect(derived.find((e) => e.requestId === issued[0]!.id)?.farms).toEqual(['edge-a', 'edge-b']);
      }
    }
  });

  it('answer a return visit with "unchanged" until a request.json changes, then with every summary and a new version', async () => {
    const first = await listRequestSummariesSince(ctx);
    expect(first.summaries?.map((x) => x.id)).toEqual((await listRequestSummaries(ctx)).map((x) => x.id));
    const again = await listRequestSummariesSince(ctx, first.version);
    expect(again).toEqual({ version: first.version, summaries: null });
    // Without a version, or with another one (an earlier run's), the rows themselves.
    expect((await listRequestSummariesSince(ctx)).summaries).toHaveLength(first.summaries!.length);
    expect((await listRequestSummariesSince(ctx, `x${first.version}`)).summaries).toHaveLength(first.summaries!.length);
    // A request edited by hand on disk: a new version, its new summary, the others as they were.
    const target = first.summaries![3]!;
    const json = join(ctx.storeDir, 'requests', target.id, 'request.json');
    const record = JSON.parse(await readFile(json, 'utf8')) as RequestRecord;
    await writeFile(json, `${JSON.stringify({ ...record, friendlyName: 'Renamed On Disk' }, null, 2)}\n`);
    const changed = await listRequestSummariesSince(ctx, first.version);
    expect(changed.version).not.toBe(first.version);
    expect(changed.summaries?.find((x) => x.id === target.id)?.friendlyName).toBe('Renamed On Disk');
    expect(changed.summaries?.filter((x) => x.id !== target.id)).toEqual(first.summaries!.filter((x) => x.id !== target.id));
    expect((await listRequestSummariesSince(ctx, changed.version)).summaries).toBeNull();
  });

  it('warm up at launch without trusting it later: an edit made after it shows, and a folder without a store stays empty', async () => {
    await warmRequestSummaries(ctx);
    const [first] = await listRequestSummaries(ctx);
    const json = join(ctx.storeDir, 'requests', first!.id, 'request.json');
    const record = JSON.parse(await readFile(json, 'utf8')) as RequestRecord;
    await warmRequestSummaries(ctx);
    await writeFile(json, `${JSON.stringify({ ...record, friendlyName: 'Edited After Launch' }, null, 2)}\n`);
    expect((await listRequestSummaries(ctx)).find((s) => s.id === first!.id)?.friendlyName).toBe('Edited After Launch');
    const empty = join(dir, 'no-store');
    await warmRequestSummaries({ storeDir: empty, secrets: createMemorySecretStore() });
    await expect(readdir(empty)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
