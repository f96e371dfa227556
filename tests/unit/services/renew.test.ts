/**
 * Renewal (services/renew.ts), supersede on rollout (services/deployments.ts) and the per-node
 * old/new view of a renewal chain (farm show, deployments), with a real OpenSSL CA signing the
 * renewal's CSR, the in-memory keychain and a real store on disk.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../../src-main/common/requests.js';
import { listDeployments, markDeployment, undoDeployment } from '../../../src-main/services/deployments.js';
import { listExpiry } from '../../../src-main/services/expiry.js';
import { showFarm } from '../../../src-main/services/farms.js';
import { importCertificate } from '../../../src-main/services/import.js';
import { planForRequest } from '../../../src-main/services/plans.js';
import { previewRenewal, renewRequest } from '../../../src-main/services/renew.js';
import { createRequest, getCsr, listRequestsWithLinks, showRequest } from '../../../src-main/services/requests.js';
import { contoso, contosoWith } from '../planning/topologies.js';
import { createFarmWorld, type FarmWorld } from './farm-fixtures.js';
import { auditEvents, getRequest } from './store-access.js';

let w: FarmWorld;
const NOW = new Date('2026-03-15T12:00:00Z');

beforeAll(async () => {
  w = await createFarmWorld(NOW);
});
afterAll(() => w?.cleanup());

/** Subject, SANs and public key of a CSR as OpenSSL reads it (independent of Certdesk's decoder). */
function opensslCsr(pem: string): { text: string; pubkey: string } {
  const text = execFileSync('openssl', ['req', '-noout', '-text'], { input: pem }).toString();
  const pubkey = execFileSync('openssl', ['req', '-noout', '-pubkey'], { input: pem }).toString();
  return { text, pubkey };
}

function sansOf(opensslText: string): string[] {
  const line = /X509v3 Subject Alternative Name:\s*\n\s*(.+)/.exec(opensslText)?.[1] ?? '';
  return line
    .split(',')
    .map((s) => s.trim().replace(/^DNS:/, ''))
    .sort();
}

async function csrPem(id: string): Promise<string> {
  return (await getCsr(w.ctx, id, 'base64')) as string;
}

async function issue(id: string): Promise<RequestRecord> {
  const leaf = w.publicCa.sign(await csrPem(id), { sans: (await getRequest(w.ctx, id)).sans });
  await importCertificate(w.ctx, [{ name: 'renewed.pem', data: new TextEncoder().encode(w.publicCa.bundle(leaf, { includeRoot: true })) }]);
  return getRequest(w.ctx, id);
}

describe('request renew', () => {
  let renewal: RequestRecord;

  it('makes a new key and CSR with the same subject, SANs, friendly name, description and key options, linked both ways', async () => {
    const old = w.record;
    const { record, preview } = await renewRequest(w.ctx, { id: old.id });
    renewal = record;
    expect(preview).toMatchObject({ renews: old.id, planned: null, use: 'current', planDiffers: false, pendingRenewals: [] });
    expect(record).toMatchObject({
      renews: old.id,
      status: 'pending',
      subject: old.subject,
      subjectFields: old.subjectFields,
      sans: old.sans,
      friendlyName: 'Reverse Proxy Listener for Lync Server',
      description: old.description,
      keySize: old.keySize,
      exportable: old.exportable,
      keySpec: 'exchange',
      windowsAttributes: old.windowsAttributes,
    });
    expect(record.publicKeySha256).not.toBe(old.publicKeySha256);
    expect(record.history.map((h) => h.event)).toEqual(['key-generated', 'csr-created', 'renews']);
    // OpenSSL reads the same SANs and a different public key from the two CSRs.
    const a = opensslCsr(await csrPem(old.id));
    const b = opensslCsr(await csrPem(record.id));
    expect(sansOf(b.text)).toEqual(sansOf(a.text));
    expect(sansOf(b.text)).toEqual([...old.sans].sort());
    expect(b.pubkey).not.toBe(a.pubkey);
    const oldNow = await getRequest(w.ctx, old.id);
    expect(oldNow.history.at(-1)).toMatchObject({ event: 'renewed-by', detail: expect.stringContaining(record.id) as unknown });
    expect(oldNow.status).toBe('issued');
    expect(await auditEvents(w.ctx)).toContain('renewed-by');
  });

  it('shows the renewal chain from both ends and links in the listing', async () => {
    const fromOld = await showRequest(w.ctx, w.record.id);
    const fromNew = await showRequest(w.ctx, renewal.id);
    expect(fromOld.renewalChain.map((c) => c.id)).toEqual([w.record.id, renewal.id]);
    expect(fromNew.renewalChain).toEqual(fromOld.renewalChain);
    expect(fromNew.renewalChain[1]).toMatchObject({ renews: w.record.id, status: 'pending' });
    expect((await showRequest(w.ctx, w.pending.id)).renewalChain.map((c) => c.id)).toEqual([w.pending.id]);
    const { records, renewedBy } = await listRequestsWithLinks(w.ctx, { status: 'issued' });
    expect(records.map((r) => r.id)).toContain(w.record.id);
    expect(renewedBy[w.record.id]).toEqual([renewal.id]);
  });

  it('refuses a second renewal while one is pending (CONFLICT naming it), and changes nothing; force makes it anyway', async () => {
    const before = JSON.stringify(await getRequest(w.ctx, w.record.id));
    await expect(renewRequest(w.ctx, { id: w.record.id })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(renewal.id) as unknown });
    expect(JSON.stringify(await getRequest(w.ctx, w.record.id))).toBe(before);
    expect((await previewRenewal(w.ctx, { id: w.record.id })).pendingRenewals).toEqual([renewal.id]);
    const forced = await renewRequest(w.ctx, { id: w.record.id, force: true, keySize: 3072 });
    expect(forced.record).toMatchObject({ renews: w.record.id, keySize: 3072 });
    // The forced one is dropped again so the rollout below has one renewal.
    const { deleteRequest } = await import('../../../src-main/services/requests.js');
    await deleteRequest(w.ctx, forced.record.id, { force: true });
  });

  it('renews a pending request too (it has a CSR)', async () => {
    const { record } = await renewRequest(w.ctx, { id: w.pending.id });
    expect(record).toMatchObject({ renews: w.pending.id, subject: 'pending.contoso.com', sans: ['pending.contoso.com'] });
  });
});

describe('names from a plan', () => {
  it('with a plan: the plan names, listing names added and removed with the plan reasons', async () => {
    const plan = planForRequest(
      contosoWith((t) => {
        t.sipDomains.push('fabrikam.com');
        t.simpleUrls.meet.push({ url: 'https://meet.fabrikam.com', sipDomain: 'fabrikam.com', active: true });
      }),
      { kind: 'file', source: 'contoso.json' },
      1,
    );
    const base = await createRequest(w.ctx, { subject: { commonName: 'webext.contoso.com', organization: 'Contoso' }, sans: ['meet.contoso.com', 'legacy.contoso.com'], description: 'kept' });
    const preview = await previewRenewal(w.ctx, { id: base.id, plan: { names: plan, from: 'file' } });
    expect(preview.use).toBe('planned');
    expect(preview.planned?.added.map((a) => a.name)).toContain('meet.fabrikam.com');
    expect(preview.planned?.added.find((a) => a.name === 'meet.fabrikam.com')?.reasons.join(' ')).toMatch(/meet/i);
    expect(preview.planned?.removed.map((r) => r.name)).toEqual(['legacy.contoso.com']);
    const { record } = await renewRequest(w.ctx, { id: base.id, plan: { names: plan, from: 'file' } });
    expect(record.sans).toEqual(plan.sans);
    // The old subject's organization stays; the renewal records the topology it was planned from.
    expect(record.subjectFields).toMatchObject({ commonName: 'webext.contoso.com', organization: 'Contoso' });
    expect(record).toMatchObject({ description: 'kept', friendlyName: '', topology: { kind: 'file', source: 'contoso.json', certificate: 1 } });
  });

  it('without options, a plan request re-plans its kept topology: other names are reported and used only with replan', async () => {
    const plan = planForRequest(contoso(), { kind: 'stored', source: 'Contoso' }, 1);
    // A request whose names no longer agree with its topology (as after a planner change).
    const dropped = plan.sans.at(-1) as string;
    const base = await createRequest(w.ctx, { subject: { commonName: plan.commonName }, sans: plan.sans.filter((s) => s !== dropped), fromTopology: plan.fromTopology });
    const preview = await previewRenewal(w.ctx, { id: base.id });
    expect(preview).toMatchObject({ use: 'current', planDiffers: true });
    expect(preview.planned?.added.map((a) => a.name)).toEqual([dropped]);
    const kept = await renewRequest(w.ctx, { id: base.id });
    expect(kept.record.sans).toEqual(base.sans);
    expect(kept.record.topology).toBeUndefined();
    expect(kept.record.friendlyName).toBe(base.friendlyName);
    const replanned = await renewRequest(w.ctx, { id: base.id, replan: true, force: true });
    expect(replanned.preview).toMatchObject({ use: 'planned', planDiffers: false });
    expect(replanned.record.sans).toEqual(plan.sans);
    expect(replanned.record.topology?.sha256).toBe(base.topology?.sha256);
  });

  it('an unchanged plan keeps the names and the topology', async () => {
    const plan = planForRequest(contoso(), { kind: 'form', source: '' }, 1);
    const base = await createRequest(w.ctx, { subject: { commonName: plan.commonName }, sans: plan.sans, fromTopology: plan.fromTopology });
    const { record, preview } = await renewRequest(w.ctx, { id: base.id });
    expect(preview).toMatchObject({ use: 'planned', planDiffers: false });
    expect(preview.planned).toMatchObject({ added: [], removed: [] });
    expect(record.sans).toEqual(base.sans);
    expect(record.topology).toEqual(base.topology);
  });
});

describe('rollout and supersede', () => {
  let renewal: RequestRecord;

  beforeAll(async () => {
    const id = (await showRequest(w.ctx, w.record.id)).renewalChain.at(-1)?.id as string;
    renewal = await issue(id);
  });

  it('shows per node which certificate of the chain it has: old, new or none', async () => {
    await markDeployment(w.ctx, { id: w.record.id, node: 'rp1.contoso.local' });
    await markDeployment(w.ctx, { id: renewal.id, node: 'rp2.contoso.local' });
    const detail = await showFarm(w.ctx, 'edge-rp');
    const rollout = detail.rollouts.find((r) => r.newRequestId === renewal.id);
    expect(rollout).toMatchObject({
      requestIds: [w.record.id, renewal.id],
      complete: false,
      nodes: [
        { host: 'rp1.contoso.local', has: 'old', requestId: w.record.id, thumbprint: w.record.certificate?.thumbprint },
        { host: 'rp2.contoso.local', has: 'new', requestId: renewal.id, thumbprint: renewal.certificate?.thumbprint },
      ],
    });
    // Old and new request views agree on the chain state per node.
    const views = await listDeployments(w.ctx, w.record.id);
    expect(views.map((v) => [v.host, v.state, v.renewal?.has])).toEqual([
      ['rp1.contoso.local', 'deployed', 'old'],
      ['rp2.contoso.local', 'not-deployed', 'new'],
    ]);
    expect((await listDeployments(w.ctx, renewal.id)).map((v) => v.renewal?.has)).toEqual(['old', 'new']);
    expect((await getRequest(w.ctx, w.record.id)).status).toBe('issued');
  });

  it('supersedes the old request once the renewal is on every node; expiry lists it only with all', async () => {
    await markDeployment(w.ctx, { id: renewal.id, node: 'rp1.contoso.local' });
    const old = await getRequest(w.ctx, w.record.id);
    expect(old.status).toBe('superseded');
    expect(old.history.at(-1)).toMatchObject({ event: 'superseded', detail: expect.stringContaining(renewal.id) as unknown });
    expect((await getRequest(w.ctx, renewal.id)).status).toBe('deployed');
    expect((await showFarm(w.ctx, 'edge-rp')).rollouts.find((r) => r.newRequestId === renewal.id)?.complete).toBe(true);
    expect((await listExpiry(w.ctx)).map((e) => e.requestId)).not.toContain(w.record.id);
    expect((await listExpiry(w.ctx, { all: true })).find((e) => e.requestId === w.record.id)?.status).toBe('superseded');
    expect((await listRequestsWithLinks(w.ctx, { status: 'superseded' })).records.map((r) => r.id)).toEqual([w.record.id]);
    expect(await auditEvents(w.ctx)).toContain('superseded');
  });

  it('undoing a mark of the renewal gives the old request its status back', async () => {
    await undoDeployment(w.ctx, { id: renewal.id, node: 'rp2.contoso.local' });
    const old = await getRequest(w.ctx, w.record.id);
    expect(old.status).toBe('issued');
    expect(old.history.at(-1)?.event).toBe('supersede-undone');
    await markDeployment(w.ctx, { id: renewal.id, node: 'rp2.contoso.local' });
    expect((await getRequest(w.ctx, w.record.id)).status).toBe('superseded');
  });

  it('renews a superseded request too, from its certificate names', async () => {
    const preview = await previewRenewal(w.ctx, { id: w.record.id });
    expect(preview.current.sans).toEqual(w.record.sans);
    expect(readFileSync(join(w.ctx.storeDir, 'requests', w.record.id, 'request.csr'), 'utf8')).toContain('CERTIFICATE REQUEST');
  });
});
