import { CertdeskError } from '../common/errors.js';
import { FORM_PROBLEMS, fieldProblemLine } from '../common/field-problems.js';
import { type DirectorSpec, type MeetUrlSpec, type PoolSpec, type Topology, TOPOLOGY_VERSION } from '../common/plan.js';

/**
 * A field-by-field validator for topology JSON. Structure only (types, required and unknown fields):
 * the content of names and URLs is judged by the planner as findings, so an admin sees every
 * naming problem at once instead of one thrown error at a time. Unknown fields are errors because a
 * typo such as `externalWebFQDN` would otherwise silently drop a name from the certificate.
 */

type Json = unknown;
type Obj = Record<string, Json>;

class Problems {
  readonly list: string[] = [];
  add(path: string, problem: string): void {
    this.list.push(fieldProblemLine(path, problem));
  }
}

const DNS = 'expected a DNS name string';
// Far above any real deployment (public CAs take about 100 SANs per certificate), and low enough
// that planning a hostile 1 MiB file stays well under a second: the simple URL prefix rule is
// pairwise, and per-pool plans repeat the shared names on every certificate.
const MAX_ENTRIES = 250;
const MAX_NAMES = 500;
/** Problems listed one per line; more are counted. */
const MAX_LISTED = 20;

function describe(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  return `${typeof v === 'number' ? 'the number' : typeof v} ${JSON.stringify(v)}`;
}

function isObj(v: Json): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Edit distance, to suggest the field an unknown one was probably meant to be. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] ?? 0;
      row[j] = Math.min(cur + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] ?? 0;
}

function suggestion(key: string, known: readonly string[]): string {
  const best = known
    .map((k) => ({ k, d: k.toLowerCase() === key.toLowerCase() ? 0 : distance(key.toLowerCase(), k.toLowerCase()) }))
    .sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(key.length / 4)) ? ` (did you mean "${best.k}"?)` : '';
}

/** Checks that `v` is an object with only `known` keys and every `required` key present. */
function object(p: Problems, path: string, v: Json, known: readonly string[], required: readonly string[]): Obj | null {
  if (!isObj(v)) {
    p.add(path, `expected an object, got ${describe(v)}`);
    return null;
  }
  for (const key of Object.keys(v)) {
    if (!known.includes(key)) p.add(join(path, key), `unknown field${suggestion(key, known)}`);
  }
  for (const key of required) {
    if (!(key in v)) p.add(join(path, key), FORM_PROBLEMS.missing.text);
  }
  return v;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function string(p: Problems, path: string, v: Json, what = 'expected a string'): string | null {
  if (typeof v === 'string') return v;
  p.add(path, `${what}, got ${describe(v)}`);
  return null;
}

function nonEmptyString(p: Problems, path: string, v: Json): string | null {
  const s = string(p, path, v);
  if (s !== null && s.trim() === '') {
    p.add(path, FORM_PROBLEMS.empty.text);
    return null;
  }
  return s;
}

function boolean(p: Problems, path: string, v: Json): boolean | null {
  if (typeof v === 'boolean') return v;
  p.add(path, `expected true or false, got ${describe(v)}`);
  return null;
}

function array<T>(p: Problems, path: string, v: Json, item: (itemPath: string, x: Json) => T | null, opts: { nonEmpty?: string } = {}): T[] {
  if (!Array.isArray(v)) {
    p.add(path, `expected an array, got ${describe(v)}`);
    return [];
  }
  if (opts.nonEmpty && v.length === 0) p.add(path, opts.nonEmpty);
  if (v.length > MAX_ENTRIES) {
    p.add(path, `has ${v.length} entries; at most ${MAX_ENTRIES} are accepted`);
    return [];
  }
  const out: T[] = [];
  v.forEach((x, i) => {
    const r = item(`${path}[${i}]`, x);
    if (r !== null) out.push(r);
  });
  return out;
}

const names = (p: Problems, path: string, v: Json, nonEmpty?: string): string[] =>
  array(p, path, v, (ip, x) => string(p, ip, x, DNS), nonEmpty ? { nonEmpty } : {});

const ROOT_FIELDS = [
  'version',
  '$schema',
  'description',
  'sipDomains',
  'pools',
  'directors',
  'simpleUrls',
  'officeWebApps',
  'mobility',
  'exchange',
  'edge',
  'subjectPool',
  'strategy',
  'publicCa',
  'extraSans',
  'omitSans',
] as const;

function pool(p: Problems, path: string, v: Json): PoolSpec | null {
  const o = object(p, path, v, ['name', 'externalWebFqdn', 'remoteAccess', 'internalFqdn'], ['name', 'externalWebFqdn', 'remoteAccess']);
  if (!o) return null;
  const name = 'name' in o ? nonEmptyString(p, `${path}.name`, o.name) : null;
  const fqdn = 'externalWebFqdn' in o ? string(p, `${path}.externalWebFqdn`, o.externalWebFqdn, DNS) : null;
  const remote = 'remoteAccess' in o ? boolean(p, `${path}.remoteAccess`, o.remoteAccess) : null;
  const internal = 'internalFqdn' in o ? string(p, `${path}.internalFqdn`, o.internalFqdn, DNS) : undefined;
  if (name === null || fqdn === null || remote === null || internal === null) return null;
  return { name, externalWebFqdn: fqdn, remoteAccess: remote, ...(internal !== undefined ? { internalFqdn: internal } : {}) };
}

function director(p: Problems, path: string, v: Json): DirectorSpec | null {
  const o = object(p, path, v, ['name', 'externalWebFqdn', 'internalFqdn'], ['name', 'externalWebFqdn']);
  if (!o) return null;
  const name = 'name' in o ? nonEmptyString(p, `${path}.name`, o.name) : null;
  const fqdn = 'externalWebFqdn' in o ? string(p, `${path}.externalWebFqdn`, o.externalWebFqdn, DNS) : null;
  const internal = 'internalFqdn' in o ? string(p, `${path}.internalFqdn`, o.internalFqdn, DNS) : undefined;
  if (name === null || fqdn === null || internal === null) return null;
  return { name, externalWebFqdn: fqdn, ...(internal !== undefined ? { internalFqdn: internal } : {}) };
}

function meetUrl(p: Problems, path: string, v: Json): MeetUrlSpec | null {
  const o = object(p, path, v, ['url', 'sipDomain', 'active'], ['url', 'sipDomain', 'active']);
  if (!o) return null;
  const url = 'url' in o ? string(p, `${path}.url`, o.url, 'expected a URL string') : null;
  const sipDomain = 'sipDomain' in o ? string(p, `${path}.sipDomain`, o.sipDomain, DNS) : null;
  const active = 'active' in o ? boolean(p, `${path}.active`, o.active) : null;
  if (url === null || sipDomain === null || active === null) return null;
  return { url, sipDomain, active };
}

/**
 * Validates parsed topology JSON and returns it typed. Throws INVALID_INPUT naming the bad field
 * path; with several problems, the message says how many and `details` lists them (up to 20), each
 * with its field path. `source` prefixes the message (a file name).
 */
export function validateTopology(json: unknown, source = 'topology'): Topology {
  const p = new Problems();
  const t = parseRoot(p, json);
  if (p.list.length > 1) {
    // Every problem, one per line with its field path, so one run shows all there is to fix.
    const shown = p.list.slice(0, MAX_LISTED);
    const more = p.list.length > MAX_LISTED ? [`... and ${p.list.length - MAX_LISTED} more`] : [];
    throw new CertdeskError('INVALID_INPUT', `${source} has ${p.list.length} problems:`, [...shown, ...more]);
  }
  if (p.list.length > 0 || t === null) throw new CertdeskError('INVALID_INPUT', `${source}: ${p.list[0] ?? 'not a valid topology'}`);
  return t;
}

function parseRoot(p: Problems, json: Json): Topology | null {
  if (!isObj(json)) {
    p.add('topology', `expected a JSON object, got ${describe(json)}`);
    return null;
  }
  const o = object(p, '', json, ROOT_FIELDS, ['version', 'sipDomains', 'pools', 'simpleUrls']);
  if (!o) return null;
  if ('version' in o && o.version !== TOPOLOGY_VERSION) {
    p.add('version', `unsupported topology version ${JSON.stringify(o.version)}; this Certdesk reads version ${TOPOLOGY_VERSION}`);
  }
  if ('$schema' in o) string(p, '$schema', o.$schema);
  const description = 'description' in o ? string(p, 'description', o.description) : undefined;
  const sipDomains = 'sipDomains' in o ? names(p, 'sipDomains', o.sipDomains, FORM_PROBLEMS.noSipDomain.text) : [];
  const pools = 'pools' in o ? array(p, 'pools', o.pools, (ip, x) => pool(p, ip, x), { nonEmpty: FORM_PROBLEMS.noPool.text }) : [];
  const t: Topology = { version: 1, sipDomains, pools, simpleUrls: { meet: [], dialin: '' } };
  if (description !== undefined && description !== null) t.description = description;
  if ('directors' in o) t.directors = array(p, 'directors', o.directors, (ip, x) => director(p, ip, x));
  if ('simpleUrls' in o) {
    const s = object(p, 'simpleUrls', o.simpleUrls, ['meet', 'dialin'], ['meet', 'dialin']);
    if (s) {
      if ('meet' in s) t.simpleUrls.meet = array(p, 'simpleUrls.meet', s.meet, (ip, x) => meetUrl(p, ip, x));
      if ('dialin' in s) t.simpleUrls.dialin = string(p, 'simpleUrls.dialin', s.dialin, 'expected a URL string') ?? '';
    }
  }
  if ('officeWebApps' in o) t.officeWebApps = names(p, 'officeWebApps', o.officeWebApps);
  if ('mobility' in o) {
    const m = object(p, 'mobility', o.mobility, ['autodiscoverPort'], ['autodiscoverPort']);
    if (m && 'autodiscoverPort' in m) {
      if (m.autodiscoverPort === 443 || m.autodiscoverPort === 80) t.mobility = { autodiscoverPort: m.autodiscoverPort };
      else p.add('mobility.autodiscoverPort', `expected 443 or 80, got ${describe(m.autodiscoverPort)}`);
    }
  }
  if ('exchange' in o) {
    const e = object(p, 'exchange', o.exchange, ['autodiscover', 'webServices'], []);
    if (e) {
      t.exchange = {};
      if ('autodiscover' in e) t.exchange.autodiscover = names(p, 'exchange.autodiscover', e.autodiscover);
      if ('webServices' in e) t.exchange.webServices = names(p, 'exchange.webServices', e.webServices);
    }
  }
  if ('edge' in o) {
    const e = object(p, 'edge', o.edge, ['sans'], ['sans']);
    if (e && 'sans' in e) t.edge = { sans: names(p, 'edge.sans', e.sans) };
  }
  if ('subjectPool' in o) {
    const s = nonEmptyString(p, 'subjectPool', o.subjectPool);
    if (s !== null) t.subjectPool = s;
  }
  if ('strategy' in o) {
    if (o.strategy === 'shared' || o.strategy === 'per-pool') t.strategy = o.strategy;
    else p.add('strategy', `expected "shared" or "per-pool", got ${describe(o.strategy)}`);
  }
  if ('publicCa' in o) {
    const b = boolean(p, 'publicCa', o.publicCa);
    if (b !== null) t.publicCa = b;
  }
  if ('extraSans' in o) t.extraSans = names(p, 'extraSans', o.extraSans);
  if ('omitSans' in o) t.omitSans = names(p, 'omitSans', o.omitSans);
  const total =
    t.sipDomains.length +
    t.pools.length +
    (t.directors?.length ?? 0) +
    t.simpleUrls.meet.length +
    1 +
    (t.officeWebApps?.length ?? 0) +
    (t.exchange?.autodiscover?.length ?? 0) +
    (t.exchange?.webServices?.length ?? 0) +
    (t.edge?.sans.length ?? 0) +
    (t.extraSans?.length ?? 0) +
    (t.omitSans?.length ?? 0);
  if (total > MAX_NAMES) p.add('topology', `has ${total} names and URLs in all; at most ${MAX_NAMES} are accepted`);
  return t;
}
