import type { Topology } from '../../src-main/common/api.js';

/**
 * The Plan view's form: the topology JSON (version 1) as an admin edits it, every list present and
 * every text as typed. `draftToTopology` gives the JSON the planner reads; `draftFromJson` reads JSON
 * back into the form and says which parts the form cannot show (then the form is left as it was).
 */
export interface SiteRow {
  name: string;
  externalWebFqdn: string;
  internalFqdn: string;
  /** Pools only: published through the reverse proxy. */
  remoteAccess: boolean;
}

export interface MeetRow {
  url: string;
  sipDomain: string;
  active: boolean;
}

export type MobilityChoice = 'off' | '443' | '80';

export interface TopologyDraft {
  description: string;
  sipDomains: string[];
  pools: SiteRow[];
  directors: SiteRow[];
  meet: MeetRow[];
  dialin: string;
  officeWebApps: string[];
  mobility: MobilityChoice;
  exchangeAutodiscover: string[];
  exchangeWebServices: string[];
  edge: string[];
  strategy: 'shared' | 'per-pool';
  subjectPool: string;
  publicCa: boolean;
  extraSans: string[];
  omitSans: string[];
}

/** "New topology": nothing filled in, the planner's defaults chosen. */
export function emptyDraft(): TopologyDraft {
  return {
    description: '',
    sipDomains: [],
    pools: [],
    directors: [],
    meet: [],
    dialin: '',
    officeWebApps: [],
    mobility: 'off',
    exchangeAutodiscover: [],
    exchangeWebServices: [],
    edge: [],
    strategy: 'shared',
    subjectPool: '',
    publicCa: false,
    extraSans: [],
    omitSans: [],
  };
}

export function newSite(): SiteRow {
  return { name: '', externalWebFqdn: '', internalFqdn: '', remoteAccess: true };
}

/** True when nothing was entered: there is nothing to plan yet. */
export function isEmptyDraft(d: TopologyDraft): boolean {
  return JSON.stringify(d) === JSON.stringify(emptyDraft());
}

const trimmed = (list: readonly string[]): string[] => list.map((s) => s.trim());

/** The topology JSON of the form, optional parts only when filled in. */
export function draftToTopology(d: TopologyDraft): Topology {
  const site = (s: SiteRow) => ({ name: s.name.trim(), externalWebFqdn: s.externalWebFqdn.trim(), ...(s.internalFqdn.trim() ? { internalFqdn: s.internalFqdn.trim() } : {}) });
  const t: Topology = {
    version: 1,
    ...(d.description.trim() ? { description: d.description.trim() } : {}),
    sipDomains: trimmed(d.sipDomains),
    pools: d.pools.map((p) => ({ ...site(p), remoteAccess: p.remoteAccess })),
    simpleUrls: { meet: d.meet.map((m) => ({ url: m.url.trim(), sipDomain: m.sipDomain.trim(), active: m.active })), dialin: d.dialin.trim() },
  };
  if (d.directors.length) t.directors = d.directors.map(site);
  if (d.officeWebApps.length) t.officeWebApps = trimmed(d.officeWebApps);
  if (d.mobility !== 'off') t.mobility = { autodiscoverPort: d.mobility === '80' ? 80 : 443 };
  if (d.exchangeAutodiscover.length || d.exchangeWebServices.length) {
    t.exchange = {
      ...(d.exchangeAutodiscover.length ? { autodiscover: trimmed(d.exchangeAutodiscover) } : {}),
      ...(d.exchangeWebServices.length ? { webServices: trimmed(d.exchangeWebServices) } : {}),
    };
  }
  if (d.edge.length) t.edge = { sans: trimmed(d.edge) };
  if (d.subjectPool.trim()) t.subjectPool = d.subjectPool.trim();
  t.strategy = d.strategy;
  if (d.publicCa) t.publicCa = true;
  if (d.extraSans.length) t.extraSans = trimmed(d.extraSans);
  if (d.omitSans.length) t.omitSans = trimmed(d.omitSans);
  return t;
}

/** The JSON tab's text for the form. */
export function draftJson(d: TopologyDraft): string {
  return `${JSON.stringify(draftToTopology(d), null, 2)}\n`;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads JSON into the form: the draft, or the paths the form cannot show (unknown fields, wrong types). */
export function draftFromJson(value: unknown): { draft: TopologyDraft; lost: [] } | { draft: null; lost: string[] } {
  const lost: string[] = [];
  if (!isObj(value)) return { draft: null, lost: ['(the document is not a JSON object)'] };
  const known = (o: Obj, path: string, keys: readonly string[]) => {
    for (const k of Object.keys(o)) if (!keys.includes(k)) lost.push(path ? `${path}.${k}` : k);
  };
  const str = (v: unknown, path: string): string => {
    if (v === undefined) return '';
    if (typeof v === 'string') return v;
    lost.push(path);
    return '';
  };
  const bool = (v: unknown, path: string, dflt: boolean): boolean => {
    if (v === undefined) return dflt;
    if (typeof v === 'boolean') return v;
    lost.push(path);
    return dflt;
  };
  const list = <T>(v: unknown, path: string, item: (x: unknown, p: string) => T): T[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      lost.push(path);
      return [];
    }
    return v.map((x, i) => item(x, `${path}[${i}]`));
  };
  const obj = (v: unknown, path: string, keys: readonly string[]): Obj => {
    if (v === undefined) return {};
    if (!isObj(v)) {
      lost.push(path);
      return {};
    }
    known(v, path, keys);
    return v;
  };
  const strings = (v: unknown, path: string) => list(v, path, str);
  const site = (pool: boolean) => (x: unknown, p: string): SiteRow => {
    const o = obj(x, p, pool ? ['name', 'externalWebFqdn', 'internalFqdn', 'remoteAccess'] : ['name', 'externalWebFqdn', 'internalFqdn']);
    return { name: str(o.name, `${p}.name`), externalWebFqdn: str(o.externalWebFqdn, `${p}.externalWebFqdn`), internalFqdn: str(o.internalFqdn, `${p}.internalFqdn`), remoteAccess: pool ? bool(o.remoteAccess, `${p}.remoteAccess`, true) : true };
  };

  known(value, '', ['version', 'description', 'sipDomains', 'pools', 'directors', 'simpleUrls', 'officeWebApps', 'mobility', 'exchange', 'edge', 'subjectPool', 'strategy', 'publicCa', 'extraSans', 'omitSans']);
  if (value.version !== 1) lost.push('version');
  const simple = obj(value.simpleUrls, 'simpleUrls', ['meet', 'dialin']);
  const mobility = obj(value.mobility, 'mobility', ['autodiscoverPort']);
  const port = mobility.autodiscoverPort;
  if (value.mobility !== undefined && port !== 443 && port !== 80) lost.push('mobility.autodiscoverPort');
  const exchange = obj(value.exchange, 'exchange', ['autodiscover', 'webServices']);
  const edge = obj(value.edge, 'edge', ['sans']);
  const strategy = value.strategy ?? 'shared';
  if (strategy !== 'shared' && strategy !== 'per-pool') lost.push('strategy');
  const draft: TopologyDraft = {
    description: str(value.description, 'description'),
    sipDomains: strings(value.sipDomains, 'sipDomains'),
    pools: list(value.pools, 'pools', site(true)),
    directors: list(value.directors, 'directors', site(false)),
    meet: list(simple.meet, 'simpleUrls.meet', (x, p) => {
      const o = obj(x, p, ['url', 'sipDomain', 'active']);
      return { url: str(o.url, `${p}.url`), sipDomain: str(o.sipDomain, `${p}.sipDomain`), active: bool(o.active, `${p}.active`, true) };
    }),
    dialin: str(simple.dialin, 'simpleUrls.dialin'),
    officeWebApps: strings(value.officeWebApps, 'officeWebApps'),
    mobility: port === 80 ? '80' : port === 443 ? '443' : 'off',
    exchangeAutodiscover: strings(exchange.autodiscover, 'exchange.autodiscover'),
    exchangeWebServices: strings(exchange.webServices, 'exchange.webServices'),
    edge: strings(edge.sans, 'edge.sans'),
    strategy: strategy === 'per-pool' ? 'per-pool' : 'shared',
    subjectPool: str(value.subjectPool, 'subjectPool'),
    publicCa: bool(value.publicCa, 'publicCa', false),
    extraSans: strings(value.extraSans, 'extraSans'),
    omitSans: strings(value.omitSans, 'omitSans'),
  };
  return lost.length ? { draft: null, lost } : { draft, lost: [] };
}

/** Where JSON text is wrong, for the JSON tab: 1-based line and column, and the parser's complaint. */
export interface JsonProblem {
  line: number;
  column: number;
  message: string;
}

/** null when `text` parses; otherwise where it stops parsing (browsers word and place this differently). */
export function jsonProblem(text: string): JsonProblem | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    const raw = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
    const lc = /line (\d+) column (\d+)/.exec(raw);
    const pos = /position (\d+)/.exec(raw);
    const message = raw.replace(/ in JSON at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)$/, '').replace(/^JSON\.parse: /, '');
    if (lc) return { line: Number(lc[1]), column: Number(lc[2]), message };
    const at = pos ? Number(pos[1]) : text.length;
    const before = text.slice(0, at);
    return { line: before.split('\n').length, column: at - before.lastIndexOf('\n'), message };
  }
}

/** The DOM id of the form field a topology field path names, e.g. `pools[0].name` -> `tf-pools-0-name`. */
export function fieldId(path: string): string {
  return `tf-${path.replace(/\]/g, '').replace(/[[.]/g, '-')}`;
}

/** Moves list[i] by `delta` (-1 up, +1 down); returns the new index (unchanged at either end). */
export function moveItem<T>(list: T[], i: number, delta: -1 | 1): number {
  const j = i + delta;
  if (j < 0 || j >= list.length) return i;
  const [item] = list.splice(i, 1) as [T];
  list.splice(j, 0, item);
  return j;
}

/**
 * After the admin typed SIP domain `i` (was `before`): proposes `https://meet.<domain>` for it and,
 * for the first domain, `https://dialin.<domain>` when there is no dial-in URL yet. A proposal the
 * admin has not changed follows a renamed domain; anything the admin typed is left alone.
 */
export function proposeSimpleUrls(d: TopologyDraft, i: number, before: string): void {
  const domain = (d.sipDomains[i] ?? '').trim().toLowerCase();
  const old = before.trim().toLowerCase();
  if (!domain || domain === old) return;
  const proposed = old ? d.meet.find((m) => m.sipDomain === old && m.url === `https://meet.${old}`) : undefined;
  if (proposed) {
    proposed.sipDomain = domain;
    proposed.url = `https://meet.${domain}`;
  } else if (!d.meet.some((m) => m.sipDomain.trim().toLowerCase() === domain)) {
    d.meet.push({ url: `https://meet.${domain}`, sipDomain: domain, active: true });
  }
  if (i === 0 && (d.dialin.trim() === '' || (old && d.dialin === `https://dialin.${old}`))) d.dialin = `https://dialin.${domain}`;
}
