/**
 * `certdesk plan` end to end: the BUILT CLI (`npm run build:main` first) as a real process, on the
 * shipped examples and on broken topology files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanResult } from '../../src-main/common/plan.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'certdesk-cli-plan-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(() => {
  if (!existsSync(join(REPO, 'dist', 'cli', 'certdesk.js'))) throw new Error('these tests run the built CLI: run `npm run build:main` first');
});

function certdesk(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'certdesk.js'), '--store', join(work, 'store'), ...args], { cwd: REPO, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('dbus-daemon')).join('\n') };
}

function save(name: string, content: string): string {
  const p = join(work, name);
  writeFileSync(p, content);
  return p;
}

describe('certdesk plan', () => {
  it('prints the procedure table for examples/contoso.json as JSON and exits 0', () => {
    const r = certdesk('plan', 'examples/contoso.json', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as PlanResult;
    expect(out.ok).toBe(true);
    expect(out.findings).toEqual([]);
    expect(out.plans.map((p) => p.subject)).toEqual(['webext.contoso.com']);
    expect(out.plans[0]?.sans.map((s) => s.name)).toEqual([
      'webext.contoso.com',
      'webdirext.contoso.com',
      'meet.contoso.com',
      'dialin.contoso.com',
      'officewebapps01.contoso.com',
      'lyncdiscover.contoso.com',
    ]);
    expect(out.plans[0]?.sans[2]?.reasons).toEqual(['meeting simple URL for contoso.com']);
    expect(out.publishingRules).toContainEqual(expect.objectContaining({ externalName: 'webext.contoso.com', externalPort: 443, internalPort: 4443, certificate: 1 }));
    expect(out.publishingRules).toContainEqual(expect.objectContaining({ externalName: 'webext.contoso.com', externalPort: 80, internalPort: 8080 }));
    expect(out.publishingRules).toContainEqual(expect.objectContaining({ externalName: 'officewebapps01.contoso.com', externalPort: 443, internalPort: 443 }));
  });

  it('prints the plan, findings and rules for people', () => {
    const r = certdesk('plan', 'examples/contoso.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Certificate 1 of 1: subject CN=webext.contoso.com (pool pool01), 6 SANs');
    expect(r.stdout).toMatch(/ 6\. lyncdiscover\.contoso\.com +mobility autodiscover for SIP domain contoso\.com/);
    expect(r.stdout).toContain('Findings:\n  none');
    expect(r.stdout).toContain('https://webext.contoso.com:443 -> pool01:4443  pool pool01 external web services [certificate 1]');
    expect(r.stdout).toContain('certdesk request new --plan contoso.json');
  });

  it('plans the multi-domain, multi-pool examples', () => {
    const shared = JSON.parse(certdesk('plan', 'examples/fabrikam-multi.json', '--json').stdout) as PlanResult;
    expect(shared.ok).toBe(true);
    const names = shared.plans[0]?.sans.map((s) => s.name) ?? [];
    for (const n of ['webext-eu.fabrikam.com', 'webext-us.fabrikam.com', 'meet.tailspintoys.com', 'lyncdiscover.tailspintoys.com', 'sip.fabrikam.com', 'autodiscover.fabrikam.com']) {
      expect(names).toContain(n);
    }
    expect(names).not.toContain('webext-lab.fabrikam.com');
    expect(shared.findings.map((f) => f.code)).toEqual(['POOL_NOT_PUBLISHED', 'EXCHANGE_NAMES', 'EDGE_SANS_COMBINED']);

    const perPool = certdesk('plan', 'examples/fabrikam-per-pool.json', '--json');
    expect(perPool.code).toBe(0);
    const out = JSON.parse(perPool.stdout) as PlanResult;
    expect(out.plans.map((p) => [p.certificate, p.subject])).toEqual([
      [1, 'webext-eu.fabrikam.com'],
      [2, 'webext-us.fabrikam.com'],
    ]);
  });

  it('still prints a plan with errors, and exits 1 naming the error codes', () => {
    const p = save('errors.json', JSON.stringify({
      version: 1,
      sipDomains: ['contoso.com', 'fabrikam.com'],
      pools: [{ name: 'pool01', externalWebFqdn: 'webext.contoso.com', remoteAccess: true }],
      simpleUrls: { meet: [{ url: 'https://meet.contoso.com', sipDomain: 'contoso.com', active: true }], dialin: 'http://dialin.contoso.com' },
    }));
    const json = certdesk('plan', p, '--json');
    expect(json.code).toBe(1);
    expect(json.stderr).toBe('error: the plan has 2 error findings (SIMPLE_URL_NOT_HTTPS, MEET_URL_MISSING)');
    const out = JSON.parse(json.stdout) as PlanResult;
    expect(out.ok).toBe(false);
    expect(out.plans[0]?.subject).toBe('webext.contoso.com');
    expect(out.findings.filter((f) => f.severity === 'error').map((f) => f.code).sort()).toEqual(['MEET_URL_MISSING', 'SIMPLE_URL_NOT_HTTPS']);
    const human = certdesk('plan', p);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('error   MEET_URL_MISSING: SIP domain fabrikam.com has no active meeting simple URL');
    expect(human.stdout).toContain('2 errors: fix the topology before creating a request.');
  });

  const BAD: [string, string, RegExp][] = [
    ['not JSON', 'webext.contoso.com', /^error: notjson\.json is not valid JSON: /],
    ['empty', '', /^error: empty\.json is empty; expected a topology JSON object$/],
    ['of a wrong type', '{"version": 1, "sipDomains": "contoso.com", "pools": [{"name": "p", "externalWebFqdn": "w.contoso.com", "remoteAccess": true}], "simpleUrls": {"meet": [], "dialin": "https://d.contoso.com"}}', /^error: wrongtype\.json: sipDomains: expected an array, got the string "contoso\.com"$/],
    ['with an unknown field', '{"version": 1, "sipDomain": ["contoso.com"], "sipDomains": ["contoso.com"], "pools": [{"name": "p", "externalWebFqdn": "w.contoso.com", "remoteAccess": true}], "simpleUrls": {"meet": [], "dialin": "https://d.contoso.com"}}', /^error: unknown\.json: sipDomain: unknown field \(did you mean "sipDomains"\?\)/],
    ['huge', `{"description": "${'x'.repeat(2 * 1024 * 1024)}"}`, /^error: huge\.json is too large \(2\.0 MiB\); a topology file is at most 1 MiB$/],
  ];
  const files = ['notjson.json', 'empty.json', 'wrongtype.json', 'unknown.json', 'huge.json'];
  BAD.forEach(([what, content, message], i) => {
    it(`refuses a topology file ${what} with one clear error and exit 1`, () => {
      const r = certdesk('plan', save(files[i] ?? 'x.json', content), '--json');
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  });

  it('lists every problem of a topology, one per line with its field path, after the error line', () => {
    const r = certdesk('plan', save('several.json', '{"version": 1, "sipDomains": "contoso.com", "pools": [{"name": 7}], "strategy": "both"}'));
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toEqual([
      'error: several.json has 6 problems:',
      '  simpleUrls: required field is missing',
      '  sipDomains: expected an array, got the string "contoso.com"',
      '  pools[0].externalWebFqdn: required field is missing',
      '  pools[0].remoteAccess: required field is missing',
      '  pools[0].name: expected a string, got the number 7',
      '  strategy: expected "shared" or "per-pool", got the string "both"',
    ]);
    const many = certdesk('plan', save('many.json', JSON.stringify({ version: 1, sipDomains: Array.from({ length: 30 }, (_, i) => i), pools: [], simpleUrls: { meet: [], dialin: '' } })));
    const lines = many.stderr.split('\n');
    expect(lines[0]).toBe('error: many.json has 31 problems:');
    expect(lines).toHaveLength(22);
    expect(lines[21]).toBe('  ... and 11 more');
  });

  it('says so when the file is missing, and exits 2 without one', () => {
    const missing = certdesk('plan', 'examples/nope.json');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`error: topology file not found: ${join(REPO, 'examples', 'nope.json')}`);
    expect(certdesk('plan').code).toBe(2);
  });
});
