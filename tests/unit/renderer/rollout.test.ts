import { describe, expect, it } from 'vitest';
import type { FarmDetail } from '../../../src-main/common/api.js';
import type { Deployment, NodeDeploymentView } from '../../../src-main/common/farms.js';
import type { RequestRecord } from '../../../src-main/common/requests.js';
import { buildRollout, renewalAncestors } from '../../../src-renderer/lib/rollout.js';

// The rollout matrix's cell states, from records shaped as the store keeps them.
const record = (id: string, renews?: string): RequestRecord =>
  ({ id, subject: 'webext.contoso.com', friendlyName: '', status: 'issued', certificate: { thumbprint: `TP-${id}` }, ...(renews ? { renews } : {}) }) as unknown as RequestRecord;
const view = (requestId: string, host: string, extra: Partial<NodeDeploymentView> = {}): NodeDeploymentView => ({
  requestId, subject: 'webext.contoso.com', farm: 'edge', host, windowsVersion: '2019', profile: 'modern', state: 'not-deployed', ...extra,
});
const mark = (requestId: string, host: string, state: Deployment['state'] = 'deployed'): Deployment => ({ requestId, host, state, thumbprint: `TP-${requestId}`, deployedAt: '2026-01-01T00:00:00Z' });

function detail(requests: RequestRecord[], deployments: NodeDeploymentView[], marks: Deployment[]): FarmDetail {
  const nodes = [{ host: 'rp1', windowsVersion: '2019' as const, notes: '' }, { host: 'rp2', windowsVersion: '2019' as const, notes: '' }];
  return { farm: { schemaVersion: 1, name: 'edge', nodes, trustedCas: [], requestIds: requests.map((r) => r.id), deployments: marks, createdAt: '', updatedAt: '' }, deployments, requests };
}

describe('rollout matrix', () => {
  it('follows a renewal chain through requests outside the farm and stops at a loop', () => {
    const byId = new Map([record('c', 'b'), record('b', 'a'), record('a', 'c')].map((r) => [r.id, r]));
    expect(renewalAncestors('c', byId)).toEqual(['b', 'a']);
    expect(renewalAncestors('x', byId)).toEqual([]);
  });

  it('marks a node that still runs the renewed certificate as older, the others as none / deployed / verified', () => {
    const old = record('old');
    const renewal = record('new', 'old');
    const d = detail(
      [old, renewal],
      [view('old', 'rp1', { state: 'deployed', deployedAt: '2026-01-01' }), view('old', 'rp2'), view('new', 'rp1'), view('new', 'rp2', { state: 'verified', deployedAt: '2026-02-01' })],
      [mark('old', 'rp1'), mark('new', 'rp2', 'verified')],
    );
    const m = buildRollout(d);
    expect(m.columns.map((c) => c.id)).toEqual(['old', 'new']);
    const states = m.rows.map((r) => `${r.node.host}: ${r.cells.map((c) => `${c.state}${c.olderRequestId ? `<${c.olderRequestId}` : ''}`).join(' ')}`);
    expect(states).toEqual(['rp1: deployed older<old', 'rp2: none verified']);
  });

  it('counts an earlier certificate of the same request (re-imported) as older', () => {
    const r = record('r');
    const m = buildRollout(detail([r], [view('r', 'rp1', { staleThumbprint: 'TP-before' }), view('r', 'rp2')], [{ ...mark('r', 'rp1'), thumbprint: 'TP-before' }]));
    expect(m.rows.map((row) => row.cells[0]?.state)).toEqual(['older', 'none']);
  });

  it('finds the older certificate through a request the farm does not list, when the renderer knows it', () => {
    const a = record('a');
    const b = record('b', 'a');
    const c = record('c', 'b');
    const d = detail([c], [view('c', 'rp1'), view('c', 'rp2')], [mark('a', 'rp2')]);
    expect(buildRollout(d).rows.map((row) => row.cells[0]?.state)).toEqual(['none', 'none']);
    expect(buildRollout(d, [a, b]).rows.map((row) => row.cells[0]?.state)).toEqual(['none', 'older']);
  });
});
