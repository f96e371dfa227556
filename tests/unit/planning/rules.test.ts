import { describe, expect, it } from 'vitest';
import { PLAN_RULES, type PlanRuleCode, type Topology } from '../../../src-main/common/plan.js';
import { NAME_RULES, type NameRuleCode } from '../../../src-main/pki/names.js';
import { planTopology } from '../../../src-main/planning/planner.js';
import { contosoWith } from './topologies.js';

const codesOf = (t: Topology): string[] => planTopology(t).findings.map((f) => f.code);
const findingOf = (t: Topology, code: string) => planTopology(t).findings.find((f) => f.code === code);

interface RuleCase {
  code: PlanRuleCode;
  why: string;
  triggers: (t: Topology) => void;
  /** The closest topology that must not trigger it (default: the unchanged Contoso one). */
  passes?: (t: Topology) => void;
}

const CASES: RuleCase[] = [
  { code: 'NO_PUBLISHED_POOL', why: 'no pool has remote access', triggers: (t) => void (t.pools[0] && (t.pools[0].remoteAccess = false)) },
  {
    code: 'POOL_NOT_PUBLISHED',
    why: 'a second pool without remote access',
    triggers: (t) => t.pools.push({ name: 'lab', externalWebFqdn: 'weblab.contoso.com', remoteAccess: false }),
    passes: (t) => t.pools.push({ name: 'lab', externalWebFqdn: 'weblab.contoso.com', remoteAccess: true }),
  },
  { code: 'SUBJECT_POOL_UNKNOWN', why: 'subjectPool names no pool', triggers: (t) => (t.subjectPool = 'pool99'), passes: (t) => (t.subjectPool = 'POOL01') },
  {
    code: 'SUBJECT_POOL_NOT_PUBLISHED',
    why: 'subjectPool has no remote access',
    triggers: (t) => {
      t.pools.push({ name: 'lab', externalWebFqdn: 'weblab.contoso.com', remoteAccess: false });
      t.subjectPool = 'lab';
    },
  },
  {
    code: 'DUPLICATE_POOL',
    why: 'a Director with the pool FQDN',
    triggers: (t) => t.directors?.push({ name: 'dir02', externalWebFqdn: 'WEBEXT.contoso.com' }),
    passes: (t) => t.directors?.push({ name: 'dir02', externalWebFqdn: 'webdirext2.contoso.com' }),
  },
  { code: 'WILDCARD_NOT_FQDN', why: 'a wildcard Office Web Apps name', triggers: (t) => (t.officeWebApps = ['*.contoso.com']), passes: (t) => (t.extraSans = ['*.contoso.com']) },
  { code: 'MEET_URL_MISSING', why: 'the only meeting URL is inactive', triggers: (t) => void (t.simpleUrls.meet[0] && (t.simpleUrls.meet[0].active = false)) },
  {
    code: 'MEET_URL_SEVERAL_ACTIVE',
    why: 'two active meeting URLs for one SIP domain',
    triggers: (t) => t.simpleUrls.meet.push({ url: 'https://meet2.contoso.com', sipDomain: 'contoso.com', active: true }),
    passes: (t) => t.simpleUrls.meet.push({ url: 'https://meet2.contoso.com', sipDomain: 'contoso.com', active: false }),
  },
  {
    code: 'MEET_URL_UNKNOWN_DOMAIN',
    why: 'a meeting URL for a SIP domain not listed',
    triggers: (t) => t.simpleUrls.meet.push({ url: 'https://meet.fabrikam.com', sipDomain: 'fabrikam.com', active: true }),
    passes: (t) => {
      t.sipDomains.push('Fabrikam.com');
      t.simpleUrls.meet.push({ url: 'https://meet.fabrikam.com', sipDomain: 'fabrikam.com', active: true });
    },
  },
  { code: 'SIMPLE_URL_INVALID', why: 'a URL without scheme', triggers: (t) => (t.simpleUrls.dialin = 'dialin.contoso.com') },
  { code: 'SIMPLE_URL_INVALID', why: 'a URL with a query', triggers: (t) => (t.simpleUrls.dialin = 'https://dialin.contoso.com/?x=1') },
  { code: 'SIMPLE_URL_NOT_HTTPS', why: 'an http URL', triggers: (t) => (t.simpleUrls.dialin = 'http://dialin.contoso.com') },
  { code: 'SIMPLE_URL_HAS_PORT', why: 'an explicit :443', triggers: (t) => (t.simpleUrls.dialin = 'https://dialin.contoso.com:443') },
  { code: 'SIMPLE_URL_HAS_PORT', why: 'a port 8443', triggers: (t) => (t.simpleUrls.dialin = 'https://dialin.contoso.com:8443/x') },
  { code: 'SIMPLE_URL_POOL_FQDN', why: 'the pool FQDN as host', triggers: (t) => (t.simpleUrls.dialin = 'https://webext.contoso.com/dialin') },
  { code: 'SIMPLE_URL_POOL_FQDN', why: 'the Director FQDN as host', triggers: (t) => (t.simpleUrls.dialin = 'https://WebDirExt.contoso.com/dialin') },
  { code: 'SIMPLE_URL_HOST_CHARS', why: 'a hyphen in the host', triggers: (t) => (t.simpleUrls.dialin = 'https://dial-in.contoso.com'), passes: (t) => (t.simpleUrls.dialin = 'https://dialin2.contoso.com/dial-in') },
  {
    code: 'SIMPLE_URL_PREFIX',
    why: 'meet is a prefix of dialin',
    triggers: (t) => {
      t.simpleUrls.meet = [{ url: 'https://lync.contoso.com/meet', sipDomain: 'contoso.com', active: true }];
      t.simpleUrls.dialin = 'https://lync.contoso.com/meet/dialin';
    },
    passes: (t) => {
      t.simpleUrls.meet = [{ url: 'https://lync.contoso.com/meet', sipDomain: 'contoso.com', active: true }];
      t.simpleUrls.dialin = 'https://lync.contoso.com/dialin';
    },
  },
  {
    code: 'SIMPLE_URL_PREFIX',
    why: 'a host-only URL before a path URL on the same host',
    triggers: (t) => (t.simpleUrls.dialin = 'https://meet.contoso.com/dialin'),
    passes: (t) => (t.simpleUrls.dialin = 'https://meet.contoso.community/dialin'),
  },
  { code: 'SIMPLE_URL_DUPLICATE', why: 'dial-in equals the meeting URL', triggers: (t) => (t.simpleUrls.dialin = 'https://MEET.contoso.com/') },
  {
    code: 'MEET_URL_NOT_IN_SAN',
    why: 'the meeting host omitted without a wildcard',
    triggers: (t) => (t.omitSans = ['meet.contoso.com']),
    passes: (t) => {
      t.omitSans = ['meet.contoso.com'];
      t.extraSans = ['*.contoso.com'];
    },
  },
  {
    code: 'DIALIN_URL_NOT_IN_SAN',
    why: 'the dial-in host omitted without a wildcard',
    triggers: (t) => (t.omitSans = ['dialin.contoso.com']),
    passes: (t) => {
      t.omitSans = ['dialin.contoso.com'];
      t.edge = { sans: ['*.contoso.com'] };
    },
  },
  {
    code: 'LYNCDISCOVER_MISSING',
    why: 'lyncdiscover omitted while mobility uses 443',
    triggers: (t) => (t.omitSans = ['lyncdiscover.contoso.com']),
    passes: (t) => {
      t.omitSans = ['lyncdiscover.contoso.com'];
      t.edge = { sans: ['*.contoso.com'] };
    },
  },
  {
    code: 'LYNCDISCOVER_MISSING',
    why: "a wildcard that does not cover a second SIP domain's lyncdiscover",
    triggers: (t) => {
      t.sipDomains.push('fabrikam.com');
      t.simpleUrls.meet.push({ url: 'https://meet.contoso.com/fabrikam', sipDomain: 'fabrikam.com', active: true });
      t.extraSans = ['*.contoso.com'];
      t.omitSans = ['lyncdiscover.contoso.com', 'lyncdiscover.fabrikam.com'];
    },
    passes: (t) => {
      t.sipDomains.push('fabrikam.com');
      t.simpleUrls.meet.push({ url: 'https://meet.contoso.com/fabrikam', sipDomain: 'fabrikam.com', active: true });
      t.extraSans = ['*.contoso.com'];
      t.omitSans = ['lyncdiscover.contoso.com'];
    },
  },
  { code: 'REQUIRED_NAME_OMITTED', why: 'the Director omitted', triggers: (t) => (t.omitSans = ['webdirext.contoso.com']) },
  { code: 'REQUIRED_NAME_OMITTED', why: 'Office Web Apps omitted', triggers: (t) => (t.omitSans = ['officewebapps01.contoso.com']) },
  { code: 'SUBJECT_KEPT_IN_SAN', why: 'the subject omitted', triggers: (t) => (t.omitSans = ['webext.contoso.com']) },
  {
    code: 'SAN_OMITTED',
    why: 'a covered name omitted',
    triggers: (t) => {
      t.omitSans = ['meet.contoso.com'];
      t.extraSans = ['*.contoso.com'];
    },
  },
  { code: 'OMIT_UNKNOWN_NAME', why: 'a typo in omitSans', triggers: (t) => (t.omitSans = ['meat.contoso.com']), passes: (t) => (t.omitSans = []) },
  { code: 'WILDCARD_COVERS', why: 'an Edge wildcard covering meet, dial-in and lyncdiscover', triggers: (t) => (t.edge = { sans: ['*.contoso.com'] }), passes: (t) => (t.edge = { sans: ['*.sip.contoso.com'] }) },
  { code: 'MOBILITY_HTTP', why: 'mobility on port 80', triggers: (t) => (t.mobility = { autodiscoverPort: 80 }), passes: (t) => delete t.mobility },
  { code: 'EXCHANGE_NAMES', why: 'Exchange published too', triggers: (t) => (t.exchange = { autodiscover: ['autodiscover.contoso.com'] }), passes: (t) => (t.exchange = {}) },
  { code: 'EDGE_SANS_COMBINED', why: 'Edge names combined', triggers: (t) => (t.edge = { sans: ['sip.contoso.com'] }), passes: (t) => (t.edge = { sans: [] }) },
  {
    code: 'TOO_MANY_SANS',
    why: 'more than 100 SANs',
    triggers: (t) => (t.extraSans = Array.from({ length: 95 }, (_, i) => `host${i}.contoso.com`)),
    passes: (t) => (t.extraSans = Array.from({ length: 94 }, (_, i) => `host${i}.contoso.com`)),
  },
];

describe('planner rules: each triggers on its topology and not on the closest clean one', () => {
  for (const c of CASES) {
    it(`${c.code}: ${c.why}`, () => {
      const bad = contosoWith(c.triggers);
      const f = findingOf(bad, c.code);
      expect(f, `expected ${c.code} in ${JSON.stringify(codesOf(bad))}`).toBeDefined();
      expect(f?.severity).toBe(PLAN_RULES[c.code].severity);
      expect(f?.message).toMatch(/^\S.*\.$/);
      if (PLAN_RULES[c.code].severity === 'error') expect(planTopology(bad).ok).toBe(false);
      expect(codesOf(contosoWith(c.passes ?? (() => undefined)))).not.toContain(c.code);
    });
  }

  it('has a case for every planner code', () => {
    const covered = new Set(CASES.map((c) => c.code));
    expect(Object.keys(PLAN_RULES).filter((k) => !covered.has(k as PlanRuleCode))).toEqual([]);
  });
});

describe('planner rules: details', () => {
  it('names the field and the certificate of a finding', () => {
    const t = contosoWith((x) => {
      x.strategy = 'per-pool';
      x.pools.push({ name: 'pool02', externalWebFqdn: 'webext2.contoso.com', remoteAccess: true });
      x.extraSans = ['*.contoso.com'];
      x.omitSans = ['lyncdiscover.contoso.com'];
    });
    const covers = planTopology(t).findings.filter((f) => f.code === 'WILDCARD_COVERS' && f.subject === 'lyncdiscover.contoso.com');
    expect(covers.map((f) => f.certificate)).toEqual([1, 2]);
    expect(covers[0]?.field).toBe('sipDomains[0]');
    expect(covers[0]?.message).toContain('on certificate 1');
  });

  it('puts errors before warnings before info', () => {
    const t = contosoWith((x) => {
      x.edge = { sans: ['*.contoso.com'] };
      x.omitSans = ['meat.contoso.com'];
      x.simpleUrls.dialin = 'http://dialin.contoso.com';
    });
    const sev = planTopology(t).findings.map((f) => f.severity);
    expect(sev).toEqual([...sev].sort((a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b)));
    expect(sev[0]).toBe('error');
  });

  it('leaves an omitted name off the certificate but keeps names that must stay', () => {
    const t = contosoWith((x) => {
      x.extraSans = ['*.contoso.com'];
      x.omitSans = ['meet.contoso.com', 'webext.contoso.com', 'webdirext.contoso.com'];
    });
    const names = planTopology(t).plans[0]?.sans.map((s) => s.name) ?? [];
    expect(names).not.toContain('meet.contoso.com');
    expect(names).toContain('webext.contoso.com');
    expect(names).toContain('webdirext.contoso.com');
  });

  it('publishes lyncdiscover over HTTP only when mobility uses port 80', () => {
    const r = planTopology(contosoWith((x) => (x.mobility = { autodiscoverPort: 80 })));
    expect(r.plans[0]?.sans.some((s) => s.name === 'lyncdiscover.contoso.com')).toBe(false);
    expect(r.publishingRules.filter((x) => x.externalName === 'lyncdiscover.contoso.com').map((x) => x.externalPort)).toEqual([80]);
  });

  it('lists Exchange names with their own 443 rules', () => {
    const r = planTopology(contosoWith((x) => (x.exchange = { autodiscover: ['autodiscover.contoso.com'], webServices: ['mail.contoso.com'] })));
    const rules = r.publishingRules.filter((x) => x.kinds.includes('exchange'));
    expect(rules.map((x) => [x.externalName, x.externalPort, x.internalPort])).toEqual([
      ['autodiscover.contoso.com', 443, 443],
      ['mail.contoso.com', 443, 443],
    ]);
  });

  it('reports a name listed twice in one list once, as DUPLICATE_NAME', () => {
    const r = planTopology(contosoWith((x) => (x.officeWebApps = ['owa.contoso.com', 'OWA.contoso.com'])));
    expect(r.findings.filter((f) => f.code === 'DUPLICATE_NAME').map((f) => f.field)).toEqual(['officeWebApps[1]']);
    expect(r.plans[0]?.sans.filter((s) => s.name === 'owa.contoso.com')).toHaveLength(1);
  });
});

// Every name rule of pki.md section 3 reaches the plan: a bad name placed where the planner uses it.
const NAME_CASES: { code: NameRuleCode; change: (t: Topology) => void; field: string }[] = [
  { code: 'NAME_EMPTY', change: (t) => (t.officeWebApps = ['']), field: 'officeWebApps[0]' },
  { code: 'NAME_NUL', change: (t) => (t.officeWebApps = ['owa.contoso.com\0.evil.com']), field: 'officeWebApps[0]' },
  { code: 'NAME_FULLWIDTH_DOT', change: (t) => (t.officeWebApps = ['owa\uff0econtoso.com']), field: 'officeWebApps[0]' },
  { code: 'NAME_LEADING_DOT', change: (t) => (t.edge = { sans: ['.sip.contoso.com'] }), field: 'edge.sans[0]' },
  { code: 'NAME_TRAILING_DOT', change: (t) => void (t.pools[0] && (t.pools[0].externalWebFqdn = 'webext.contoso.com.')), field: 'pools[0].externalWebFqdn' },
  { code: 'LABEL_EMPTY', change: (t) => (t.officeWebApps = ['owa..contoso.com']), field: 'officeWebApps[0]' },
  { code: 'NAME_UNDERSCORE', change: (t) => (t.exchange = { webServices: ['mail_01.contoso.com'] }), field: 'exchange.webServices[0]' },
  { code: 'LABEL_INVALID_CHAR', change: (t) => (t.officeWebApps = ['owa!.contoso.com']), field: 'officeWebApps[0]' },
  { code: 'LABEL_HYPHEN_EDGE', change: (t) => (t.officeWebApps = ['owa-.contoso.com']), field: 'officeWebApps[0]' },
  { code: 'LABEL_RESERVED_HYPHENS', change: (t) => (t.officeWebApps = ['ow--a.contoso.com']), field: 'officeWebApps[0]' },
  { code: 'LABEL_TOO_LONG', change: (t) => (t.officeWebApps = [`${'o'.repeat(64)}.contoso.com`]), field: 'officeWebApps[0]' },
  { code: 'NAME_TOO_LONG', change: (t) => (t.officeWebApps = [`${Array.from({ length: 5 }, () => 'o'.repeat(60)).join('.')}.com`]), field: 'officeWebApps[0]' },
  { code: 'IDN_INVALID', change: (t) => (t.officeWebApps = ['xn--a.contoso.com']), field: 'officeWebApps[0]' },
  { code: 'IDN_CONVERTED', change: (t) => (t.officeWebApps = ['büro.contoso.com']), field: 'officeWebApps[0]' },
  { code: 'NAME_CASE_NORMALIZED', change: (t) => (t.officeWebApps = ['OWA.contoso.com']), field: 'officeWebApps[0]' },
  { code: 'IP_AS_DNSNAME', change: (t) => (t.officeWebApps = ['192.0.2.7']), field: 'officeWebApps[0]' },
  { code: 'NAME_NUMERIC_TLD', change: (t) => (t.officeWebApps = ['owa.contoso.42']), field: 'officeWebApps[0]' },
  { code: 'WILDCARD_PLACEMENT', change: (t) => (t.edge = { sans: ['sip.*.contoso.com'] }), field: 'edge.sans[0]' },
  { code: 'WILDCARD_TOO_BROAD', change: (t) => (t.edge = { sans: ['*.com'] }), field: 'edge.sans[0]' },
  { code: 'WILDCARD_TOO_BROAD', change: (t) => (t.extraSans = ['*.co.uk']), field: 'extraSans[0]' },
  { code: 'NAME_PUBLIC_SUFFIX', change: (t) => (t.officeWebApps = ['com.tw']), field: 'officeWebApps[0]' },
  { code: 'SUBJECT_UNDER_PUBLIC_SUFFIX', change: (t) => void (t.pools[0] && (t.pools[0].externalWebFqdn = 'contoso.co.uk')), field: 'pools[0].externalWebFqdn' },
  { code: 'WILDCARD_AS_SUBJECT', change: (t) => void (t.pools[0] && (t.pools[0].externalWebFqdn = '*.contoso.com')), field: 'pools[0].externalWebFqdn' },
  { code: 'INTERNAL_NAME', change: (t) => (t.officeWebApps = ['owa.contoso.local']), field: 'officeWebApps[0]' },
  { code: 'CN_TOO_LONG', change: (t) => void (t.pools[0] && (t.pools[0].externalWebFqdn = `${'w'.repeat(60)}.contoso.com`)), field: 'pools[0].externalWebFqdn' },
  { code: 'DUPLICATE_NAME', change: (t) => (t.sipDomains = ['contoso.com', 'Contoso.com']), field: 'sipDomains[1]' },
];

describe('planner: the name rules of pki.md section 3 on every planned name', () => {
  for (const c of NAME_CASES) {
    it(`${c.code} at ${c.field}`, () => {
      const f = findingOf(contosoWith(c.change), c.code);
      expect(f?.field).toBe(c.field);
      expect(f?.severity).toBe(NAME_RULES[c.code].severity);
    });
  }

  it('covers every name rule a topology can raise', () => {
    const covered = new Set<string>(NAME_CASES.map((c) => c.code));
    // The subject is always planned as a SAN, so the planner never needs to add it.
    expect(Object.keys(NAME_RULES).filter((k) => !covered.has(k) && k !== 'NAME_CN_ADDED_TO_SAN')).toEqual([]);
  });

  it('makes internal names errors when publicCa is true', () => {
    const t = contosoWith((x) => {
      x.officeWebApps = ['owa.contoso.local'];
      x.publicCa = true;
    });
    expect(findingOf(t, 'INTERNAL_NAME')?.severity).toBe('error');
    expect(planTopology(t).ok).toBe(false);
  });

  it('checks SIP domains, which become lyncdiscover names', () => {
    const t = contosoWith((x) => (x.sipDomains = ['contoso_com']));
    expect(planTopology(t).findings.some((f) => f.code === 'NAME_UNDERSCORE' && f.field === 'sipDomains[0]')).toBe(true);
  });
});
