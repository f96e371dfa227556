import type { ReadItem } from '../../src-main/common/topology-import.js';
import { t } from './i18n.svelte.js';

/** What a Lync topology document said (one ReadItem), in the UI's language; names and URLs stay as written. */
export function readItemText(r: ReadItem): string {
  const list = (xs: readonly string[]): string => xs.join(t('planForm.read.listSeparator'));
  switch (r.kind) {
    case 'sip-domains':
      return r.defaultDomain ? t('planForm.read.sipDomainsDefault', { domains: list(r.domains), default: r.defaultDomain }) : t('planForm.read.sipDomains', { domains: list(r.domains) });
    case 'pool':
      return t('planForm.read.pool', { fqdn: r.fqdn, external: r.external });
    case 'director':
      return t('planForm.read.director', { fqdn: r.fqdn, external: r.external });
    case 'meet-urls':
      return t('planForm.read.meetUrls', { urls: list(r.urls) });
    case 'dialin-url':
      return t('planForm.read.dialinUrl', { url: r.url });
    case 'office-web-apps':
      return t('planForm.read.officeWebApps', { servers: list(r.servers) });
    case 'edge':
      return r.fqdn ? t('planForm.read.edge', { fqdn: r.fqdn }) : t('planForm.read.edgeUnnamed');
  }
}
