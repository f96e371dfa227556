import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planTopology } from '../../../src-main/planning/planner.js';
import { planFromTopology } from '../../../src-main/services/plans.js';
import { contoso, contosoWith } from './topologies.js';

const example = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, '../../../examples', `${name}.json`), 'utf8'));

describe('planTopology: the procedure table', () => {
  it('reproduces the procedure: subject webext.contoso.com and its six SANs in table order', () => {
    const r = planFromTopology(example('contoso'));
    expect(r.ok).toBe(true);
    expect(r.findings).toEqual([]);
    expect(r.plans).toHaveLength(1);
    expect(r.plans[0]?.subject).toBe('webext.contoso.com');
    expect(r.plans[0]?.sans.map((s) => s.name)).toEqual([
      'webext.contoso.com',
      'webdirext.contoso.com',
      'meet.contoso.com',
      'dialin.contoso.com',
      'officewebapps01.contoso.com',
      'lyncdiscover.contoso.com',
    ]);
  });

  it('gives every SAN its reasons, the subject two of them', () => {
    const sans = planTopology(contoso()).plans[0]?.sans ?? [];
    expect(sans.map((s) => s.reasons)).toEqual([
      ['subject name (the CN must also be a SAN)', 'pool pool01 external web services'],
      ['Director dir01 external web services'],
      ['meeting simple URL for contoso.com'],
      ['dial-in simple URL'],
      ['Office Web Apps Server'],
      ['mobility autodiscover for SIP domain contoso.com'],
    ]);
    expect(sans[0]?.sources).toEqual(['subject', 'pool']);
    expect(sans[2]?.fields).toEqual(['simpleUrls.meet[0].url']);
  });

  it('lists the reverse-proxy publishing rules of the procedure', () => {
    const rules = planTopology(contoso()).publishingRules;
    const row = (name: string, port: number): string | undefined => rules.find((r) => r.externalName === name && r.externalPort === port)?.text;
    expect(row('webext.contoso.com', 443)).toBe('https://webext.contoso.com:443 -> pool01:4443  pool pool01 external web services [certificate 1]');
    expect(row('webext.contoso.com', 80)).toBe('http://webext.contoso.com:80 -> pool01:8080  pool pool01 external web services');
    expect(row('webdirext.contoso.com', 443)).toContain('-> dir01:4443');
    expect(row('officewebapps01.contoso.com', 443)).toBe('https://officewebapps01.contoso.com:443 -> officewebapps01.contoso.com:443  Office Web Apps Server [certificate 1]');
    expect(row('officewebapps01.contoso.com', 80)).toBeUndefined();
    // Simple URLs and autodiscover enter through the Director.
    expect(row('meet.contoso.com', 443)).toContain('-> dir01:4443');
    expect(row('lyncdiscover.contoso.com', 443)).toContain('-> dir01:4443');
    expect(row('lyncdiscover.contoso.com', 80)).toContain('-> dir01:8080');
    expect(rules.every((r) => (r.protocol === 'https') === (r.certificate !== null))).toBe(true);
  });
});

describe('planTopology: names and order', () => {
  it('orders SANs subject, pools, Directors, meet, dial-in, Office Web Apps, lyncdiscover, Edge, Exchange, extraSans', () => {
    const t = contosoWith((x) => {
      x.pools.push({ name: 'pool02', externalWebFqdn: 'webext2.contoso.com', remoteAccess: true });
      x.edge = { sans: ['sip.contoso.com'] };
      x.exchange = { autodiscover: ['autodiscover.contoso.com'], webServices: ['mail.contoso.com'] };
      x.extraSans = ['extra.contoso.com'];
      x.subjectPool = 'pool02';
    });
    expect(planTopology(t).plans[0]?.sans.map((s) => s.sources[0])).toEqual([
      'subject',
      'pool',
      'director',
      'meet',
      'dialin',
      'office-web-apps',
      'lyncdiscover',
      'edge',
      'exchange-autodiscover',
      'exchange-web-services',
      'extra',
    ]);
    expect(planTopology(t).plans[0]?.sans.slice(0, 2).map((s) => s.name)).toEqual(['webext2.contoso.com', 'webext.contoso.com']);
  });

  it('merges one name from several sources case-insensitively, keeping every reason', () => {
    const t = contosoWith((x) => {
      x.simpleUrls.meet = [{ url: 'https://lync.contoso.com/meet', sipDomain: 'contoso.com', active: true }];
      x.simpleUrls.dialin = 'https://LYNC.contoso.com/dialin';
      x.edge = { sans: ['Lync.Contoso.com'] };
    });
    const sans = planTopology(t).plans[0]?.sans ?? [];
    const lync = sans.filter((s) => s.name === 'lync.contoso.com');
    expect(lync).toHaveLength(1);
    expect(lync[0]?.reasons).toEqual(['meeting simple URL for contoso.com', 'dial-in simple URL', 'Edge Server name (Edge and reverse proxy certificates combined)']);
  });

  it('takes the host of a path-style meeting URL such as https://contoso.com/meet', () => {
    const t = contosoWith((x) => {
      x.simpleUrls.meet = [{ url: 'https://contoso.com/meet', sipDomain: 'contoso.com', active: true }];
    });
    expect(planTopology(t).plans[0]?.sans.map((s) => s.name)).toContain('contoso.com');
  });

  it('stores internationalized names as A-labels and shows the U-label', () => {
    const t = contosoWith((x) => {
      x.officeWebApps = ['bürooffice.contoso.com'];
    });
    const san = planTopology(t).plans[0]?.sans.find((s) => s.sources.includes('office-web-apps'));
    expect(san?.name).toBe('xn--brooffice-q9a.contoso.com');
    expect(san?.unicode).toBe('bürooffice.contoso.com');
  });

  it('defaults the subject to the first published pool', () => {
    const t = contosoWith((x) => {
      delete x.subjectPool;
      x.pools = [
        { name: 'lab', externalWebFqdn: 'weblab.contoso.com', remoteAccess: false },
        { name: 'pool01', externalWebFqdn: 'webext.contoso.com', remoteAccess: true },
      ];
    });
    expect(planTopology(t).plans[0]?.subject).toBe('webext.contoso.com');
  });

  it('adds lyncdiscover for every SIP domain when mobility uses 443, and none without mobility', () => {
    const two = contosoWith((x) => {
      x.sipDomains.push('fabrikam.com');
      x.simpleUrls.meet.push({ url: 'https://meet.fabrikam.com', sipDomain: 'fabrikam.com', active: true });
    });
    expect(planTopology(two).plans[0]?.sans.filter((s) => s.sources.includes('lyncdiscover')).map((s) => s.name)).toEqual(['lyncdiscover.contoso.com', 'lyncdiscover.fabrikam.com']);
    const none = contosoWith((x) => delete x.mobility);
    expect(planTopology(none).plans[0]?.sans.some((s) => s.name.startsWith('lyncdiscover.'))).toBe(false);
    expect(planTopology(none).publishingRules.some((r) => r.externalName.startsWith('lyncdiscover.'))).toBe(false);
  });
});

describe('planTopology: strategies', () => {
  const twoPools = (strategy: 'shared' | 'per-pool') =>
    contosoWith((x) => {
      x.pools.push({ name: 'pool02', externalWebFqdn: 'webext2.contoso.com', remoteAccess: true });
      x.pools.push({ name: 'lab', externalWebFqdn: 'weblab.contoso.com', remoteAccess: false });
      x.exchange = { autodiscover: ['autodiscover.contoso.com'] };
      x.edge = { sans: ['sip.contoso.com'] };
      x.strategy = strategy;
    });

  it('shared: one certificate whose SANs cover every published pool and no unpublished one', () => {
    const r = planTopology(twoPools('shared'));
    expect(r.plans).toHaveLength(1);
    const names = r.plans[0]?.sans.map((s) => s.name) ?? [];
    expect(names).toContain('webext2.contoso.com');
    expect(names).not.toContain('weblab.contoso.com');
    expect(r.publishingRules.some((r2) => r2.externalName === 'weblab.contoso.com')).toBe(false);
  });

  it('per-pool: one certificate per published pool, each with the shared names; Director, Edge and Exchange on the first', () => {
    const r = planTopology(twoPools('per-pool'));
    expect(r.strategy).toBe('per-pool');
    expect(r.plans.map((p) => [p.certificate, p.subject, p.pool])).toEqual([
      [1, 'webext.contoso.com', 'pool01'],
      [2, 'webext2.contoso.com', 'pool02'],
    ]);
    expect(r.plans[1]?.sans.map((s) => s.name)).toEqual(['webext2.contoso.com', 'meet.contoso.com', 'dialin.contoso.com', 'officewebapps01.contoso.com', 'lyncdiscover.contoso.com']);
    const first = r.plans[0]?.sans.map((s) => s.name) ?? [];
    for (const n of ['webdirext.contoso.com', 'sip.contoso.com', 'autodiscover.contoso.com']) expect(first).toContain(n);
    expect(first).not.toContain('webext2.contoso.com');
    const rule = r.publishingRules.find((x) => x.externalName === 'webext2.contoso.com' && x.externalPort === 443);
    expect(rule?.certificate).toBe(2);
  });

  it('plans the two shipped multi-pool examples without errors', () => {
    const multi = planFromTopology(example('fabrikam-multi'));
    expect(multi.ok).toBe(true);
    expect(multi.plans).toHaveLength(1);
    expect(multi.plans[0]?.sans).toHaveLength(15);
    const perPool = planFromTopology(example('fabrikam-per-pool'));
    expect(perPool.ok).toBe(true);
    expect(perPool.plans.map((p) => p.subject)).toEqual(['webext-eu.fabrikam.com', 'webext-us.fabrikam.com']);
  });
});
