import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateTopology } from '../../../src-main/planning/topology-schema.js';
import { draftFromJson, draftJson, draftToTopology, emptyDraft, fieldId, isEmptyDraft, jsonProblem, moveItem, proposeSimpleUrls } from '../../../src-renderer/lib/topology-form.js';

const examples = join(__dirname, '..', '..', '..', 'examples');
const example = (name: string): unknown => JSON.parse(readFileSync(join(examples, `${name}.json`), 'utf8'));

describe('the Plan view form and topology JSON', () => {
  it('reads every bundled example into the form and writes back the same topology the validator reads', () => {
    for (const name of ['contoso', 'fabrikam-multi', 'fabrikam-per-pool']) {
      const json = example(name);
      const read = draftFromJson(json);
      expect(read.lost, name).toEqual([]);
      if (!read.draft) throw new Error(name);
      // Compared as the validator reads both: the form may leave out defaults (publicCa false) and order fields its way.
      expect(validateTopology(draftToTopology(read.draft), name)).toEqual(validateTopology(json, name));
    }
  });

  it('leaves optional sections out until they are filled in, and starts empty for a new topology', () => {
    const d = emptyDraft();
    expect(isEmptyDraft(d)).toBe(true);
    expect(JSON.parse(draftJson(d))).toEqual({ version: 1, sipDomains: [], pools: [], simpleUrls: { meet: [], dialin: '' }, strategy: 'shared' });
    d.mobility = '80';
    d.exchangeWebServices.push(' mail.contoso.com ');
    d.publicCa = true;
    expect(isEmptyDraft(d)).toBe(false);
    expect(draftToTopology(d)).toMatchObject({ mobility: { autodiscoverPort: 80 }, exchange: { webServices: ['mail.contoso.com'] }, publicCa: true });
    expect(draftToTopology(d).exchange).not.toHaveProperty('autodiscover');
  });

  it('says which parts of a JSON document the form cannot show, instead of dropping them', () => {
    expect(draftFromJson([1, 2]).lost).toEqual(['(the document is not a JSON object)']);
    const r = draftFromJson({ version: 2, sipDomains: 'contoso.com', pools: [{ name: 'p', externalWebFQDN: 'x', remoteAccess: 'yes' }], simpleUrls: { meet: [], dialin: '' }, mobility: { autodiscoverPort: 8080 }, colour: 'blue' });
    expect(r.draft).toBeNull();
    expect(r.lost).toEqual(expect.arrayContaining(['version', 'sipDomains', 'pools[0].externalWebFQDN', 'pools[0].remoteAccess', 'mobility.autodiscoverPort', 'colour']));
  });

  it('places a JSON syntax error by line and column', () => {
    expect(jsonProblem('{"a": 1}')).toBeNull();
    const text = '{\n  "version": 1,\n  "sipDomains": ["contoso.com"]\n  "pools": []\n}';
    const p = jsonProblem(text);
    expect(p).toMatchObject({ line: 4, column: 3 });
    expect(text.split('\n')[(p?.line ?? 0) - 1]).toBe('  "pools": []');
    expect(jsonProblem('{"a": ')).toMatchObject({ line: 1 });
  });

  it('proposes the meeting URL per SIP domain and the first domain\'s dial-in URL, following a renamed domain but never overwriting a typed URL', () => {
    const d = emptyDraft();
    d.sipDomains.push('contoso.com');
    proposeSimpleUrls(d, 0, '');
    expect(d.meet).toEqual([{ url: 'https://meet.contoso.com', sipDomain: 'contoso.com', active: true }]);
    expect(d.dialin).toBe('https://dialin.contoso.com');
    d.sipDomains[0] = 'contoso.net';
    proposeSimpleUrls(d, 0, 'contoso.com');
    expect(d.meet).toEqual([{ url: 'https://meet.contoso.net', sipDomain: 'contoso.net', active: true }]);
    expect(d.dialin).toBe('https://dialin.contoso.net');
    d.sipDomains.push('fabrikam.com');
    d.dialin = 'https://dial.contoso.net';
    proposeSimpleUrls(d, 1, '');
    expect(d.meet[1]).toEqual({ url: 'https://meet.fabrikam.com', sipDomain: 'fabrikam.com', active: true });
    expect(d.dialin).toBe('https://dial.contoso.net');
  });

  it('names form fields after topology paths and moves rows within bounds', () => {
    expect(fieldId('pools[0].externalWebFqdn')).toBe('tf-pools-0-externalWebFqdn');
    expect(fieldId('simpleUrls.meet[12].url')).toBe('tf-simpleUrls-meet-12-url');
    const list = ['a', 'b', 'c'];
    expect(moveItem(list, 2, -1)).toBe(1);
    expect(list).toEqual(['a', 'c', 'b']);
    expect(moveItem(list, 0, -1)).toBe(0);
    expect(moveItem(list, 2, 1)).toBe(2);
    expect(list).toEqual(['a', 'c', 'b']);
  });
});
