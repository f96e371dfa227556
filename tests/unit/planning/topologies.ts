import type { Topology } from '../../../src-main/common/plan.js';

/** The procedure's deployment (examples/contoso.json): a clean plan to vary one field at a time. */
export function contoso(): Topology {
  return {
    version: 1,
    sipDomains: ['contoso.com'],
    pools: [{ name: 'pool01', externalWebFqdn: 'webext.contoso.com', remoteAccess: true }],
    directors: [{ name: 'dir01', externalWebFqdn: 'webdirext.contoso.com' }],
    simpleUrls: {
      meet: [{ url: 'https://meet.contoso.com', sipDomain: 'contoso.com', active: true }],
      dialin: 'https://dialin.contoso.com',
    },
    officeWebApps: ['officewebapps01.contoso.com'],
    mobility: { autodiscoverPort: 443 },
    subjectPool: 'pool01',
    strategy: 'shared',
  };
}

/** contoso() with a change applied. */
export function contosoWith(change: (t: Topology) => void): Topology {
  const t = contoso();
  change(t);
  return t;
}
