import { describe, expect, it } from 'vitest';
import { isCertdeskError } from '../../../src-main/common/errors.js';
import { validateTopology } from '../../../src-main/planning/topology-schema.js';
import { contoso } from './topologies.js';

/** The one-line error validateTopology throws for `json` (fails the test when it does not throw). */
function errorOf(json: unknown): { code: string; message: string; details: readonly string[] } {
  try {
    validateTopology(json, 'site.json');
  } catch (e) {
    if (isCertdeskError(e)) return { code: e.code, message: e.message, details: e.details };
    throw e;
  }
  throw new Error('expected validateTopology to refuse the topology');
}

const withField = (path: (string | number)[], value: unknown): unknown => {
  const t = JSON.parse(JSON.stringify(contoso())) as Record<string, unknown>;
  let node: Record<string | number, unknown> = t;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return t;
};

describe('validateTopology', () => {
  it('accepts the contract example and returns it typed', () => {
    const t = validateTopology(contoso());
    expect(t.pools[0]?.externalWebFqdn).toBe('webext.contoso.com');
    expect(t.mobility?.autodiscoverPort).toBe(443);
  });

  it('accepts the minimal topology (every optional field left out)', () => {
    const t = validateTopology({
      version: 1,
      sipDomains: ['contoso.com'],
      pools: [{ name: 'p', externalWebFqdn: 'webext.contoso.com', remoteAccess: true }],
      simpleUrls: { meet: [], dialin: 'https://dialin.contoso.com' },
    });
    expect(t.directors).toBeUndefined();
    expect(t.mobility).toBeUndefined();
  });

  const BAD: [string, unknown, string][] = [
    ['an array', [], 'site.json: topology: expected a JSON object, got an array'],
    ['null', null, 'site.json: topology: expected a JSON object, got null'],
    ['a number', 42, 'site.json: topology: expected a JSON object, got the number 42'],
    ['a wrong version', withField(['version'], 2), 'site.json: version: unsupported topology version 2; this Certdesk reads version 1'],
    ['a missing version', withField(['version'], undefined), 'site.json: version: required field is missing'],
    ['a pool FQDN that is a number', withField(['pools', 0, 'externalWebFqdn'], 7), 'site.json: pools[0].externalWebFqdn: expected a DNS name string, got the number 7'],
    ['remoteAccess as a string', withField(['pools', 0, 'remoteAccess'], 'yes'), 'site.json: pools[0].remoteAccess: expected true or false, got the string "yes"'],
    ['a missing remoteAccess', withField(['pools', 0, 'remoteAccess'], undefined), 'site.json: pools[0].remoteAccess: required field is missing'],
    ['a misspelt field', withField(['pools', 0, 'externalWebFQDN'], 'x.contoso.com'), 'site.json: pools[0].externalWebFQDN: unknown field (did you mean "externalWebFqdn"?)'],
    ['an unknown root field', withField(['sipdomain'], ['contoso.com']), 'site.json: sipdomain: unknown field (did you mean "sipDomains"?)'],
    ['an unrelated unknown field', withField(['colour'], 'blue'), 'site.json: colour: unknown field'],
    ['a sipDomains string', withField(['sipDomains'], 'contoso.com'), 'site.json: sipDomains: expected an array, got the string "contoso.com"'],
    ['an empty sipDomains', withField(['sipDomains'], []), 'site.json: sipDomains: at least one SIP domain is required'],
    ['no pools', withField(['pools'], []), 'site.json: pools: at least one pool is required'],
    ['a pool with an empty name', withField(['pools', 0, 'name'], ' '), 'site.json: pools[0].name: must not be empty'],
    ['a meet entry without active', withField(['simpleUrls', 'meet', 0, 'active'], undefined), 'site.json: simpleUrls.meet[0].active: required field is missing'],
    ['a dialin array', withField(['simpleUrls', 'dialin'], ['https://dialin.contoso.com']), 'site.json: simpleUrls.dialin: expected a URL string, got an array'],
    ['mobility on 8443', withField(['mobility', 'autodiscoverPort'], 8443), 'site.json: mobility.autodiscoverPort: expected 443 or 80, got the number 8443'],
    ['mobility as true', withField(['mobility'], true), 'site.json: mobility: expected an object, got boolean true'],
    ['an unknown strategy', withField(['strategy'], 'per-director'), 'site.json: strategy: expected "shared" or "per-pool", got the string "per-director"'],
    ['edge without sans', withField(['edge'], {}), 'site.json: edge.sans: required field is missing'],
    ['an Exchange name that is an object', withField(['exchange'], { webServices: [{ host: 'mail' }] }), 'site.json: exchange.webServices[0]: expected a DNS name string, got an object'],
    ['publicCa as a string', withField(['publicCa'], 'true'), 'site.json: publicCa: expected true or false, got the string "true"'],
    ['__proto__ as a field', JSON.parse(`{"__proto__": {}, ${JSON.stringify(contoso()).slice(1)}`) as unknown, 'site.json: __proto__: unknown field'],
  ];
  for (const [what, json, message] of BAD) {
    it(`refuses ${what} with one line naming the field`, () => {
      const e = errorOf(json);
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.message.slice(0, message.length)).toBe(message);
      expect(e.message).not.toContain('\n');
    });
  }

  it('refuses more than 250 entries in one list and more than 500 names in all', () => {
    const many = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));
    expect(errorOf(withField(['officeWebApps'], many(251, (i) => `owa${i}.contoso.com`))).message).toBe('site.json: officeWebApps: has 251 entries; at most 250 are accepted');
    const big = withField(['officeWebApps'], many(250, (i) => `owa${i}.contoso.com`)) as Record<string, unknown>;
    big.extraSans = many(250, (i) => `x${i}.contoso.com`);
    expect(errorOf(big).message).toBe('site.json: topology: has 505 names and URLs in all; at most 500 are accepted');
    expect(() => validateTopology(withField(['officeWebApps'], many(250, (i) => `owa${i}.contoso.com`)))).not.toThrow();
  });

  it('lists every problem with its field path when there are several', () => {
    const e = errorOf({ version: 1 });
    expect(e.message).toBe('site.json has 3 problems:');
    expect(e.details).toEqual(['sipDomains: required field is missing', 'pools: required field is missing', 'simpleUrls: required field is missing']);
  });
});
