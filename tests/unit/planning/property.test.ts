import { describe, expect, it } from 'vitest';
import type { Topology } from '../../../src-main/common/plan.js';
import { checkDnsName } from '../../../src-main/pki/names.js';
import { wildcardCovers } from '../../../src-main/planning/normalize.js';
import { planTopology } from '../../../src-main/planning/planner.js';

/** mulberry32: a tiny seeded PRNG, so a failing case is reproducible from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['contoso', 'fabrikam', 'tailspin', 'litware', 'adatum', 'northwind', 'wingtip', 'proseware', 'bücher', 'münchen'];
const TLDS = ['com', 'net', 'org', 'de', 'co.uk'];

/** A random topology that a careful admin could write: every name valid, every rule satisfied. */
function randomTopology(seed: number): Topology {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const maybeUpper = (s: string): string => (rnd() < 0.2 ? s.toUpperCase() : s);
  const asciiWords = WORDS.filter((w) => /^[a-z]+$/.test(w));

  const domains = [...new Set(Array.from({ length: 1 + int(3) }, () => `${pick(asciiWords)}${int(10)}.${pick(TLDS)}`))];
  const main = domains[0] as string;
  const host = (prefix: string): string => maybeUpper(`${prefix}.${rnd() < 0.3 ? `${pick(WORDS)}.` : ''}${pick(domains)}`);
  const poolCount = 1 + int(4);
  const pools = Array.from({ length: poolCount }, (_, i) => ({
    name: `pool${i}.${main}`,
    externalWebFqdn: host(`webext${i}`),
    remoteAccess: i === 0 || rnd() < 0.6,
  }));
  const t: Topology = {
    version: 1,
    sipDomains: domains,
    pools,
    simpleUrls: {
      // Host-style or path-style meeting URLs; path-style ones share the first domain's host.
      meet: domains.map((d, i) => ({ url: rnd() < 0.5 ? `https://meet.${d}` : `https://lync.${main}/meet${i}`, sipDomain: d, active: true })),
      dialin: rnd() < 0.5 ? `https://dialin.${main}` : `https://lync.${main}/dialin`,
    },
  };
  if (rnd() < 0.7) t.directors = Array.from({ length: 1 + int(2) }, (_, i) => ({ name: `dir${i}.${main}`, externalWebFqdn: host(`webdir${i}`) }));
  if (rnd() < 0.7) t.officeWebApps = Array.from({ length: 1 + int(2) }, (_, i) => host(`owa${i}`));
  const mobility = int(3);
  if (mobility > 0) t.mobility = { autodiscoverPort: mobility === 1 ? 443 : 80 };
  if (rnd() < 0.4) t.exchange = { autodiscover: domains.map((d) => `autodiscover.${d}`), webServices: [host('mail')] };
  if (rnd() < 0.4) t.edge = { sans: rnd() < 0.5 ? [`sip.${main}`] : [`*.${main}`] };
  if (rnd() < 0.5) t.strategy = 'per-pool';
  if (rnd() < 0.5) t.publicCa = true;
  const published = pools.filter((p) => p.remoteAccess);
  if (rnd() < 0.5) t.subjectPool = pick(published).name;
  return t;
}

const SEEDS = Array.from({ length: 150 }, (_, i) => 0x5eed + i * 7919);

describe('property: plans of random valid topologies', () => {
  // Violations are collected and asserted once: thousands of expect() calls would dominate the run.
  const planned = SEEDS.map((seed) => ({ seed, t: randomTopology(seed), r: planTopology(randomTopology(seed)) }));

  it('are error-free, and every planned name passes every name rule as a lower-case A-label', () => {
    const violations: string[] = [];
    for (const { seed, r } of planned) {
      for (const f of r.findings) if (f.severity === 'error') violations.push(`seed ${seed}: ${f.code} ${f.message}`);
      for (const p of r.plans) {
        const subject = checkDnsName(p.subject, { role: 'subject', publicCa: true });
        for (const f of subject.findings) if (f.severity !== 'info') violations.push(`seed ${seed}: subject ${f.code} ${f.message}`);
        if (subject.aLabel !== p.subject) violations.push(`seed ${seed}: subject ${p.subject} is not its own A-label`);
        for (const s of p.sans) {
          const c = checkDnsName(s.name, { role: 'san', publicCa: true });
          for (const f of c.findings) if (f.severity !== 'info') violations.push(`seed ${seed}: SAN ${f.code} ${f.message}`);
          if (c.aLabel !== s.name) violations.push(`seed ${seed}: SAN ${s.name} is not its own A-label`);
          if (s.reasons.length === 0 || s.reasons.length !== s.sources.length) violations.push(`seed ${seed}: SAN ${s.name} reasons ${JSON.stringify(s.reasons)}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('put the subject first, never repeat a SAN, and cover every required name on every certificate', () => {
    const violations: string[] = [];
    const fail = (seed: number, what: string): number => violations.push(`seed ${seed}: ${what}`);
    for (const { seed, t, r } of planned) {
      const published = t.pools.filter((p) => p.remoteAccess);
      if (r.plans.length !== (t.strategy === 'per-pool' ? published.length : 1)) fail(seed, `${r.plans.length} certificates`);
      const onSome = new Set(r.plans.flatMap((p) => p.sans.map((s) => s.name)));
      for (const p of published) if (!onSome.has(checkDnsName(p.externalWebFqdn).aLabel ?? '')) fail(seed, `pool ${p.externalWebFqdn} on no certificate`);
      for (const p of r.plans) {
        const names = p.sans.map((s) => s.name);
        if (names[0] !== p.subject) fail(seed, `certificate ${p.certificate} does not start with its subject`);
        if (new Set(names).size !== names.length) fail(seed, `certificate ${p.certificate} repeats a SAN`);
        const covered = (n: string): boolean => names.includes(n) || names.some((w) => wildcardCovers(w, n));
        const required = [...t.simpleUrls.meet.map((m) => new URL(m.url).hostname), new URL(t.simpleUrls.dialin).hostname];
        if (t.mobility?.autodiscoverPort === 443) required.push(...t.sipDomains.map((d) => `lyncdiscover.${d}`));
        for (const n of required) if (!covered(n)) fail(seed, `certificate ${p.certificate} lacks ${n}`);
        if (t.mobility?.autodiscoverPort !== 443 && names.some((n) => n.startsWith('lyncdiscover.'))) fail(seed, 'lyncdiscover without mobility on 443');
      }
      for (const rule of r.publishingRules) if ((rule.certificate === null) !== (rule.protocol === 'http')) fail(seed, `rule ${rule.text}`);
    }
    expect(violations).toEqual([]);
  });

  it('are deterministic', () => {
    for (const seed of SEEDS.slice(0, 50)) {
      const t = randomTopology(seed);
      expect(planTopology(t)).toEqual(planTopology(structuredClone(t)));
    }
  });

  it('turn into an error when any one name is broken', () => {
    for (const seed of SEEDS.slice(0, 100)) {
      const t = randomTopology(seed);
      const rnd = prng(seed ^ 0xbad);
      const slots: ((bad: string) => void)[] = [
        (bad) => void (t.pools[0] && (t.pools[0].externalWebFqdn = bad)),
        (bad) => (t.officeWebApps = [...(t.officeWebApps ?? []), bad]),
        (bad) => (t.edge = { sans: [bad] }),
        (bad) => (t.exchange = { webServices: [bad] }),
        (bad) => (t.extraSans = [bad]),
        (bad) => (t.directors = [{ name: 'dirX', externalWebFqdn: bad }]),
      ];
      const bad = `bad_${seed}.${t.sipDomains[0] ?? 'contoso.com'}`;
      slots[Math.floor(rnd() * slots.length)]?.(bad);
      const r = planTopology(t);
      expect(r.ok, `seed ${seed}`).toBe(false);
      expect(r.findings.some((f) => f.code === 'NAME_UNDERSCORE' && f.subject === bad), `seed ${seed}`).toBe(true);
    }
  });
});
