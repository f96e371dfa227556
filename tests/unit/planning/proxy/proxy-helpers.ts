/** Shared scaffolding for the proxy-configuration tests: inputs from the example plans. */
import { join } from 'node:path';
import type { PlanResult } from '../../../../src-main/common/plan.js';
import type { ProxyKind } from '../../../../src-main/common/proxy.js';
import type { ProxyConfigInput } from '../../../../src-main/planning/proxy/input.js';
import { rulesForCertificate } from '../../../../src-main/planning/proxy/select.js';
import { planFromFile } from '../../../../src-main/services/plans.js';

export const EXAMPLES = ['contoso', 'fabrikam-multi', 'fabrikam-per-pool'];

export function examplePlan(name: string): Promise<PlanResult> {
  return planFromFile(join(__dirname, '../../../../examples', `${name}.json`));
}

/** An input for certificate `n` of a plan, every internal target mapped to a loopback address. */
export function inputFor(plan: PlanResult, n: number, kind: ProxyKind, installDir: string, over: Partial<ProxyConfigInput> = {}): ProxyConfigInput {
  const rules = rulesForCertificate(plan, n);
  const targets = [...new Set(rules.map((r) => r.internalTarget))];
  return {
    kind,
    subject: plan.plans[n - 1]?.subject ?? '',
    rules,
    installDir,
    listen: '127.0.0.1',
    upstreams: new Map(targets.map((t, i) => [t, `127.0.0.${2 + (i % 5)}`])),
    certificate: { thumbprint: 'AB'.repeat(20), friendlyName: 'Reverse Proxy Listener for Lync Server', notAfter: '2027-01-01T00:00:00.000Z' },
    language: 'en',
    generatedAt: '2026-11-30T00:00:00.000Z',
    ...over,
  };
}
