import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileForWindowsVersion, WINDOWS_VERSIONS } from '../../../src-main/common/farms.js';
import { listDeployments, markDeployment, normalizeThumbprint } from '../../../src-main/services/deployments.js';
import { daysLeft } from '../../../src-main/common/expiry.js';
import { listExpiry } from '../../../src-main/services/expiry.js';
import { addFarm, linkRequest, listFarms, showFarm } from '../../../src-main/services/farms.js';
import { createFarmWorld, type FarmWorld } from './farm-fixtures.js';
import { auditEvents, getFarm, getRequest } from './store-access.js';

let w: FarmWorld;
const NOW = new Date('2026-03-15T12:00:00Z');

beforeAll(async () => {
  w = await createFarmWorld(NOW);
});
afterAll(() => w?.cleanup());

/** Store state a refused call must leave as it was. */
async function snapshot(): Promise<string> {
  const farms = await listFarms(w.ctx);
  return JSON.stringify({ farms, r: await getRequest(w.ctx, w.record.id), audit: await auditEvents(w.ctx), ca: readdirSync(join(w.ctx.storeDir, 'ca')).sort() });
}

describe('PFX profile per Windows version', () => {
  it('gives 2008 R2 to 2016 (and TMG 2010) the legacy profile, 2019 and later the modern one, and other the safe legacy one', () => {
    expect(Object.fromEntries(WINDOWS_VERSIONS.map((v) => [v, profileForWindowsVersion(v)]))).toEqual({
      '2008R2': 'legacy',
      '2012': 'legacy',
      '2012R2': 'legacy',
      '2016': 'legacy',
      '2019': 'modern',
      '2022': 'modern',
      '2025': 'modern',
      other: 'legacy',
    });
  });
});

describe('farms', () => {
  it('stores nodes with lower-case host names and the trusted CAs by role, and adds them to the CA store', async () => {
    expect(w.farm.nodes).toEqual([
      { host: 'rp1.contoso.local', windowsVersion: '2008R2', notes: 'TMG 2010', kind: 'tmg' },
      { host: 'rp2.contoso.local', windowsVersion: '2019', notes: '', kind: 'iis-arr' },
    ]);
    expect(w.farm.trustedCas.map((c) => [c.role, c.subject])).toEqual([
      ['root', 'CN=Certdesk Test Contoso Internal Root CA, O=Certdesk Tests'],
      ['intermediate', 'CN=Certdesk Test Contoso Internal Issuing CA, O=Certdesk Tests'],
    ]);
    const stored = readdirSync(join(w.ctx.storeDir, 'ca'));
    for (const c of w.farm.trustedCas) expect(stored).toContain(`${c.sha256}.pem`);
    expect(await auditEvents(w.ctx)).toContain('farm-added');
  });

  it.each([
    [{ name: 'edge-rp', nodes: [{ host: 'x.contoso.local', windowsVersion: '2016' as const }] }, 'CONFLICT', /already exists/],
    [{ name: 'EDGE-RP', nodes: [{ host: 'x.contoso.local', windowsVersion: '2016' as const }] }, 'CONFLICT', /already exists/],
    [{ name: 'bad name', nodes: [{ host: 'x.contoso.local', windowsVersion: '2016' as const }] }, 'INVALID_INPUT', /not a valid farm name/],
    [{ name: 'aux', nodes: [{ host: 'x.contoso.local', windowsVersion: '2016' as const }] }, 'INVALID_INPUT', /reserved by Windows/],
    [{ name: 'f1', nodes: [] }, 'INVALID_INPUT', /at least one node/],
    [{ name: 'f1', nodes: [{ host: 'under_score.contoso.local', windowsVersion: '2016' as const }] }, 'INVALID_INPUT', /not a valid host name/],
    [{ name: 'f1', nodes: [{ host: '10.0.0.1', windowsVersion: '2016' as const }] }, 'INVALID_INPUT', /not a valid host name/],
    [{ name: 'f1', nodes: [{ host: 'a.contoso.local', windowsVersion: '2003' as never }] }, 'INVALID_INPUT', /not a Windows version/],
    [{ name: 'f1', nodes: [{ host: 'a.contoso.local', windowsVersion: '2016' as const }, { host: 'A.contoso.local', windowsVersion: '2019' as const }] }, 'INVALID_INPUT', /listed twice/],
  ])('refuses %j with %s and stores nothing', async (input, code, message) => {
    const was = await snapshot();
    await expect(addFarm(w.ctx, input)).rejects.toMatchObject({ code, message: expect.stringMatching(message) as unknown });
    expect(await snapshot()).toBe(was);
  });

  it('refuses a --trust file that is not a CA certificate, or not a certificate at all, and stores nothing', async () => {
    const was = await snapshot();
    const leaf = w.publicCa.sign(readFileSync(join(w.ctx.storeDir, 'requests', w.pending.id, 'request.csr'), 'utf8'), { sans: ['pending.contoso.com'] });
    await expect(addFarm(w.ctx, { name: 'f2', nodes: [{ host: 'a.contoso.local', windowsVersion: '2016' }], trust: [{ name: 'leaf.pem', data: new TextEncoder().encode(leaf.pem) }] })).rejects.toThrow(
      /^leaf\.pem: .* is not a CA certificate/,
    );
    await expect(addFarm(w.ctx, { name: 'f2', nodes: [{ host: 'a.contoso.local', windowsVersion: '2016' }], trust: [{ name: 'junk.cer', data: new TextEncoder().encode('hello') }] })).rejects.toMatchObject({
      code: 'PARSE_ERROR',
    });
    expect(await snapshot()).toBe(was);
  });

  it('shows each linked request with the deployment state per node, and links idempotently', async () => {
    await linkRequest(w.ctx, 'edge-rp', w.record.id);
    await linkRequest(w.ctx, 'EDGE-RP', w.record.id.toUpperCase());
    const detail = await showFarm(w.ctx, 'edge-rp');
    expect(detail.farm.requestIds).toEqual([w.record.id]);
    expect(detail.deployments.map((d) => [d.requestId, d.host, d.profile, d.state])).toEqual([
      [w.record.id, 'rp1.contoso.local', 'legacy', 'not-deployed'],
      [w.record.id, 'rp2.contoso.local', 'modern', 'not-deployed'],
    ]);
    await expect(showFarm(w.ctx, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('deployment tracking', () => {
  const thumb = (): string => w.record.certificate?.thumbprint ?? '';

  it('accepts a thumbprint with spaces, colons and any case', () => {
    const t = '0123456789abcdef0123456789ABCDEF01234567';
    expect(normalizeThumbprint(` ${t.match(/../g)?.join(':') ?? ''} `)).toBe(t.toUpperCase());
    expect(normalizeThumbprint(t.match(/..../g)?.join(' ') ?? '')).toBe(t.toUpperCase());
    expect(() => normalizeThumbprint('abc')).toThrow(/40 hexadecimal digits/);
  });

  it('refuses a thumbprint that is not the certificate\'s, and a request without a certificate, changing nothing', async () => {
    const was = await snapshot();
    await expect(markDeployment(w.ctx, { id: w.record.id, node: 'rp1.contoso.local', verifiedThumbprint: 'AB'.repeat(20) })).rejects.toMatchObject({ code: 'MISMATCH', message: expect.stringContaining('is not the certificate of request') as unknown });
    await expect(markDeployment(w.ctx, { id: w.pending.id, node: 'rp1.contoso.local' })).rejects.toMatchObject({ code: 'NOT_EXPORTABLE' });
    await expect(markDeployment(w.ctx, { id: w.record.id, node: 'rp7.contoso.local' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no farm has a node rp7.contoso.local') as unknown });
    expect(await snapshot()).toBe(was);
  });

  it('records deployed with date and operator, then verified, and keeps the verification on a repeat', async () => {
    const d1 = await markDeployment(w.ctx, { id: w.record.id, node: 'RP1.contoso.local', operator: 'alice' });
    expect(d1).toEqual({ requestId: w.record.id, host: 'rp1.contoso.local', state: 'deployed', thumbprint: thumb(), deployedAt: NOW.toISOString(), operator: 'alice' });
    const colon = (thumb().toLowerCase().match(/../g) ?? []).join(':');
    const d2 = await markDeployment(w.ctx, { id: w.record.id, node: 'rp1.contoso.local', verifiedThumbprint: colon });
    expect(d2).toMatchObject({ state: 'verified', verifiedAt: NOW.toISOString(), operator: 'alice', deployedAt: NOW.toISOString() });
    const d3 = await markDeployment(w.ctx, { id: w.record.id, node: 'rp1.contoso.local' });
    expect(d3.state).toBe('verified');
    const views = await listDeployments(w.ctx, w.record.id);
    expect(views.map((v) => [v.host, v.state])).toEqual([
      ['rp1.contoso.local', 'verified'],
      ['rp2.contoso.local', 'not-deployed'],
    ]);
    const r = await getRequest(w.ctx, w.record.id);
    expect(r.history.map((h) => h.event).slice(-3)).toEqual(['deployed', 'deployment-verified', 'deployed']);
    expect(r.status).not.toBe('deployed');
  });

  it('marks the request deployed once every node of the farm has its certificate', async () => {
    await markDeployment(w.ctx, { id: w.record.id, node: 'rp2.contoso.local', verifiedThumbprint: thumb() });
    expect((await getRequest(w.ctx, w.record.id)).status).toBe('deployed');
    expect(await auditEvents(w.ctx)).toEqual(expect.arrayContaining(['deployed', 'deployment-verified']));
  });

  it('asks for --farm when a node is in several farms and the request is linked to none of them', async () => {
    await addFarm(w.ctx, { name: 'dmz-a', nodes: [{ host: 'shared.contoso.local', windowsVersion: '2016' }] });
    await addFarm(w.ctx, { name: 'dmz-b', nodes: [{ host: 'shared.contoso.local', windowsVersion: '2022' }] });
    const was = await snapshot();
    await expect(markDeployment(w.ctx, { id: w.record.id, node: 'shared.contoso.local' })).rejects.toThrow(/node shared\.contoso\.local is in farms dmz-a, dmz-b: say which with --farm NAME/);
    expect(await snapshot()).toBe(was);
    const d = await markDeployment(w.ctx, { id: w.record.id, node: 'shared.contoso.local', farm: 'dmz-b' });
    expect(d.state).toBe('deployed');
    expect((await getFarm(w.ctx, 'dmz-b')).requestIds).toEqual([w.record.id]);
    // Linked to dmz-b now, so the farm is no longer ambiguous for this request.
    await expect(markDeployment(w.ctx, { id: w.record.id, node: 'shared.contoso.local' })).resolves.toMatchObject({ host: 'shared.contoso.local' });
  });
});

describe('expiry overview', () => {
  it('counts whole days left, rounding down', () => {
    expect(daysLeft('2026-03-16T11:59:59Z', NOW)).toBe(0);
    expect(daysLeft('2026-03-16T12:00:00Z', NOW)).toBe(1);
    expect(daysLeft('2026-03-14T12:00:00Z', NOW)).toBe(-1);
  });

  it('lists issued certificates by days left with their farms, and filters with --within', async () => {
    const all = await listExpiry(w.ctx);
    expect(all).toHaveLength(1);
    const e = all[0];
    const expected = daysLeft(w.record.certificate?.notAfter ?? '', NOW);
    expect(e).toMatchObject({ requestId: w.record.id, subject: 'webext.contoso.com', daysLeft: expected, farms: ['dmz-b', 'edge-rp'] });
    expect(await listExpiry(w.ctx, { withinDays: expected })).toHaveLength(1);
    expect(await listExpiry(w.ctx, { withinDays: expected - 1 })).toHaveLength(0);
    await expect(listExpiry(w.ctx, { withinDays: -1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
