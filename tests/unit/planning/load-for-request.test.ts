import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Topology } from '../../../src-main/common/plan.js';
import { loadPlanForRequest, readTopologyExamples } from '../../../src-main/services/plans.js';
import { contoso, contosoWith } from './topologies.js';

const dir = mkdtempSync(join(tmpdir(), 'certdesk-plan-request-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const save = (name: string, t: Topology): string => {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(t));
  return p;
};

const perPool = contosoWith((t) => {
  t.strategy = 'per-pool';
  t.pools.push({ name: 'pool02', externalWebFqdn: 'webext2.contoso.com', remoteAccess: true });
});

describe('loadPlanForRequest', () => {
  it('gives the subject and SANs (subject first, A-labels) of a single-certificate plan', async () => {
    expect(await loadPlanForRequest(save('contoso.json', contoso()))).toMatchObject({
      commonName: 'webext.contoso.com',
      sans: ['webext.contoso.com', 'webdirext.contoso.com', 'meet.contoso.com', 'dialin.contoso.com', 'officewebapps01.contoso.com', 'lyncdiscover.contoso.com'],
    });
  });

  it('takes a 1-based certificate number, as certdesk plan prints it', async () => {
    const p = save('per-pool.json', perPool);
    expect((await loadPlanForRequest(p, 1)).commonName).toBe('webext.contoso.com');
    const second = await loadPlanForRequest(p, 2);
    expect(second.commonName).toBe('webext2.contoso.com');
    expect(second.sans[0]).toBe('webext2.contoso.com');
  });

  it('asks which certificate when the plan has several', async () => {
    await expect(loadPlanForRequest(save('per-pool2.json', perPool))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'the plan from per-pool2.json has 2 certificates; choose one with --certificate 1-2',
    });
  });

  it('refuses a certificate number out of range', async () => {
    const p = save('per-pool3.json', perPool);
    for (const n of [0, 3, 1.5, -1]) {
      await expect(loadPlanForRequest(p, n)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^certificate .* does not exist: the plan from per-pool3\.json has 2 certificates \(1-2\)$/) as unknown });
    }
  });

  it('refuses a plan with errors, naming them', async () => {
    const p = save('broken.json', contosoWith((t) => (t.simpleUrls.dialin = 'http://dialin.contoso.com:8080')));
    await expect(loadPlanForRequest(p)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^the plan from broken\.json has 2 errors: SIMPLE_URL_NOT_HTTPS \(.*\); SIMPLE_URL_HAS_PORT \(.*\); run certdesk plan broken\.json for the full list$/) as unknown,
    });
  });

  it('accepts a plan with warnings only', async () => {
    const p = save('warn.json', contosoWith((t) => (t.omitSans = ['nothere.contoso.com'])));
    expect((await loadPlanForRequest(p)).commonName).toBe('webext.contoso.com');
  });
});

describe('readTopologyExamples', () => {
  it('lists the bundled examples, Contoso first', async () => {
    const examples = await readTopologyExamples();
    expect(examples[0]?.name).toBe('contoso');
    expect(examples.map((e) => e.name)).toContain('fabrikam-multi');
    expect(JSON.parse(examples[0]?.text ?? '')).toMatchObject({ version: 1 });
  });
});
