import { describe, expect, it } from 'vitest';
import { isCertdeskError } from '../../../src-main/common/errors.js';
import { fieldProblemFinding, fieldProblemLine, parseFieldProblem } from '../../../src-main/common/field-problems.js';
import { validateTopology } from '../../../src-main/planning/topology-schema.js';

/** The lines the real validator throws for `json` (the message when it has one problem, else the details). */
function problemLines(json: unknown): string[] {
  try {
    validateTopology(json, 'the topology');
  } catch (e) {
    if (!isCertdeskError(e)) throw e;
    return e.details.length ? [...e.details] : [e.message];
  }
  throw new Error('the topology was accepted');
}

const base = { version: 1, sipDomains: ['contoso.com'], pools: [{ name: 'pool01', externalWebFqdn: 'webext.contoso.com', remoteAccess: true }], simpleUrls: { meet: [], dialin: '' } };

describe('field problems: the validator writes path: problem, the app reads the path back', () => {
  it('reads the field of a single problem after the source name', () => {
    const lines = problemLines({ ...base, pools: [{ ...base.pools[0], name: ' ' }] });
    expect(lines).toEqual(['the topology: pools[0].name: must not be empty']);
    expect(parseFieldProblem(lines[0] as string)).toEqual({ path: 'pools[0].name', problem: 'must not be empty' });
  });

  it('reads every detail line of several problems, nested paths and colons in the problem included', () => {
    const lines = problemLines({ ...base, sipDomains: [], pools: [{ ...base.pools[0], remoteAccess: 'yes' }], simpleUrls: { meet: [{ url: 'https://meet.contoso.com', sipDomain: 7, active: true }], dialin: '' }, mobility: { autodiscoverPort: 8443 } });
    expect(lines.map((l) => parseFieldProblem(l)?.path)).toEqual(['sipDomains', 'pools[0].remoteAccess', 'simpleUrls.meet[0].sipDomain', 'mobility.autodiscoverPort']);
    expect(parseFieldProblem('the topology: simpleUrls.dialin: expected a URL string, got the string "a: b"')).toEqual({ path: 'simpleUrls.dialin', problem: 'expected a URL string, got the string "a: b"' });
  });

  it('leaves a summary line or a sentence without a path alone', () => {
    expect(parseFieldProblem('the topology has 3 problems:')).toBeNull();
    expect(parseFieldProblem('... and 4 more')).toBeNull();
    expect(parseFieldProblem('cannot read topology.json: no such file')).toBeNull();
  });

  it('formats and turns a problem into an error finding about its field', () => {
    expect(fieldProblemLine('pools[1].name', 'must not be empty')).toBe('pools[1].name: must not be empty');
    expect(fieldProblemFinding({ path: 'pools[1].name', problem: 'must not be empty' })).toEqual({ code: 'TOPOLOGY_FIELD_EMPTY', severity: 'error', message: 'must not be empty', field: 'pools[1].name' });
    expect(fieldProblemFinding({ path: 'pools[1].name', problem: 'expected a string, got 5' })).toEqual({ code: 'TOPOLOGY_FIELD_INVALID', severity: 'error', message: 'expected a string, got 5', subject: 'expected a string, got 5', field: 'pools[1].name' });
  });

  it('gives each problem a form can cause its own code, from the words the validator really uses', () => {
    const { simpleUrls: _left, ...withoutSimpleUrls } = base;
    const lines = problemLines({ ...withoutSimpleUrls, sipDomains: [], pools: [], description: 5 });
    const findings = lines.flatMap((l) => {
      const p = parseFieldProblem(l);
      return p ? [fieldProblemFinding(p)] : [];
    });
    expect(findings.map((f) => `${f.field} ${f.code}`).sort()).toEqual([
      'description TOPOLOGY_FIELD_INVALID',
      'pools TOPOLOGY_POOL_REQUIRED',
      'simpleUrls TOPOLOGY_FIELD_MISSING',
      'sipDomains TOPOLOGY_SIP_DOMAIN_REQUIRED',
    ]);
    const empty = parseFieldProblem(problemLines({ ...base, pools: [{ ...base.pools[0], name: '' }] })[0] as string);
    expect(empty && fieldProblemFinding(empty).code).toBe('TOPOLOGY_FIELD_EMPTY');
  });
});
