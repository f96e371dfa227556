/**
 * `certdesk topology save|list|show|delete`, `plan --topology` and `request new --topology` through
 * the BUILT CLI (npm run build:main), on a real store and the real keychain (scripts/with-keyring.sh).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src-main/common/requests.js';
import type { StoredTopology, StoredTopologySummary } from '../../src-main/common/topologies.js';
import { treeHash } from '../helpers/tree-hash.js';
import { REPO, requireBuiltCli, runCli, text } from './cli-requests-helpers.js';

const work = mkdtempSync(join(tmpdir(), 'certdesk-cli-topology-'));
const store = join(work, 'store');
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(() => requireBuiltCli());

const contoso = join(REPO, 'examples', 'contoso.json');

describe('certdesk topology', () => {
  it('read-only commands on a folder without a store create nothing', async () => {
    const list = await runCli(join(work, 'none'), ['topology', 'list']);
    expect(list.code).toBe(0);
    expect(list.stderr).toMatch(/^note: no Certdesk store at .* yet\n$/);
    const show = await runCli(join(work, 'none'), ['topology', 'show', 'x']);
    expect(show.code).toBe(1);
    expect(show.stderr).toMatch(/^error: no Certdesk store at /);
    expect(existsSync(join(work, 'none'))).toBe(false);
  });

  it('saves a file under a name, lists and shows it with its SHA-256, plans from it', async () => {
    const saved = await runCli(store, ['topology', 'save', 'contoso', contoso]);
    expect(saved.code, saved.stderr).toBe(0);
    expect(text(saved)).toMatch(/^Saved topology contoso \(SHA-256 [0-9a-f]{64}\)\.\n$/);
    const list = JSON.parse(text(await runCli(store, ['--json', 'topology', 'list']))) as StoredTopologySummary[];
    expect(list).toMatchObject([{ name: 'contoso', savedFrom: 'contoso.json', sipDomains: ['contoso.com'], pools: ['pool01'] }]);
    const shown = JSON.parse(text(await runCli(store, ['topology', 'show', 'contoso', '--json']))) as StoredTopology;
    const file = JSON.parse(readFileSync(join(store, 'topologies', 'contoso.json'), 'utf8')) as { json: string };
    expect(shown.sha256).toBe(createHash('sha256').update(file.json).digest('hex'));
    expect(shown.topology).toEqual(JSON.parse(readFileSync(contoso, 'utf8')) as unknown);
    const human = text(await runCli(store, ['topology', 'list']));
    expect(human.split('\n')[0]).toMatch(/^NAME +SIP DOMAINS +POOLS +UPDATED +SHA-256$/);
    const plan = await runCli(store, ['plan', '--topology', 'contoso']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(text(plan)).toContain('Certificate 1 of 1: subject CN=webext.contoso.com (pool pool01), 6 SANs');
    expect(text(plan)).toContain('certdesk request new --topology contoso');
  });

  it('makes a request from a stored topology: records it, keeps a copy, default friendly name', async () => {
    const r = await runCli(store, ['--json', 'request', 'new', '--topology', 'contoso']);
    expect(r.code, r.stderr).toBe(0);
    const rec = JSON.parse(text(r)) as RequestRecord;
    expect(rec.friendlyName).toMatch(/^Reverse proxy webext\.contoso\.com \d{4}-\d{2}$/);
    expect(rec.sans).toEqual(['webext.contoso.com', 'webdirext.contoso.com', 'meet.contoso.com', 'dialin.contoso.com', 'officewebapps01.contoso.com', 'lyncdiscover.contoso.com']);
    const shown = JSON.parse(text(await runCli(store, ['--json', 'topology', 'show', 'contoso']))) as StoredTopology;
    expect(rec.topology).toEqual({ kind: 'stored', source: 'contoso', sha256: shown.sha256, certificate: 1 });
    const copy = readFileSync(join(store, 'requests', rec.id, 'topology.json'));
    expect(createHash('sha256').update(copy).digest('hex')).toBe(shown.sha256);
    const fromFile = JSON.parse(text(await runCli(store, ['--json', 'request', 'new', '--plan', contoso, '--friendly-name', 'RP']))) as RequestRecord;
    expect(fromFile).toMatchObject({ friendlyName: 'RP', topology: { kind: 'file', source: 'contoso.json', sha256: shown.sha256 } });
  });

  it('refuses bad input with one error line, changing nothing', async () => {
    const before = treeHash(store);
    const bad = join(work, 'bad.json');
    writeFileSync(bad, '{"version": 1, "sipDomains": [], "pools": []}');
    for (const [args, pattern] of [
      [['topology', 'save', 'x', bad], /^error: bad\.json/],
      [['topology', 'save', '../x', contoso], /^error: "\.\.\/x" is not a valid topology name/],
      [['topology', 'show', 'nope'], /^error: no stored topology "nope"/],
      [['request', 'new', '--topology', 'nope'], /^error: no stored topology "nope"/],
    ] as [string[], RegExp][]) {
      const r = await runCli(store, args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split('\n')[0]).toMatch(/^error: /);
    }
    const usage = await runCli(store, ['topology', 'delete', 'contoso']);
    expect(usage.code).toBe(2);
    expect((await runCli(store, ['request', 'new', '--topology', 'contoso', '--plan', contoso])).code).toBe(2);
    expect((await runCli(store, ['plan'])).code).toBe(2);
    expect(treeHash(store)).toBe(before);
  });

  it('imports a Lync topology document: JSON to stdout, what it read and assumed to stderr', async () => {
    const xml = join(REPO, 'tests', 'fixtures', 'lync', 'contoso-get-cstopology.xml');
    const r = await runCli(store, ['topology', 'import', xml]);
    expect(r.code, r.stderr).toBe(0);
    const t = JSON.parse(text(r)) as { pools: { name: string }[] };
    expect(t.pools.map((p) => p.name)).toEqual(['pool01']);
    expect(r.stderr).toMatch(/^Read contoso-get-cstopology\.xml as Lync topology \(Get-CsTopology -AsXml\)\.\n/);
    expect(r.stderr).toContain('info: IMPORT_MEET_URL_PROPOSED: ');
    const out = join(work, 'imported.json');
    const written = await runCli(store, ['topology', 'import', join(REPO, 'tests', 'fixtures', 'lync', 'fabrikam-topology-builder.tbxml'), '--out', out, '--json']);
    expect(written.code, written.stderr).toBe(0);
    const imported = JSON.parse(text(written)) as { read: string[]; readItems: { kind: string }[] };
    expect(imported).toMatchObject({ format: 'lync-topology-builder', out });
    // readItems is what `read` says, as data (the app words it in its language): one item per line.
    expect(imported.readItems).toHaveLength(imported.read.length);
    expect(imported.readItems.map((i) => i.kind)).toContain('pool');
    const plan = await runCli(store, ['plan', out]);
    expect(plan.code, plan.stderr).toBe(0);
    // plan reads the document itself too, listing what the importer proposed among the findings.
    const direct = await runCli(store, ['plan', xml, '--json']);
    expect(direct.code, direct.stderr).toBe(0);
    const result = JSON.parse(text(direct)) as { plans: { sans: { name: string }[] }[]; findings: { code: string }[] };
    expect(result.plans[0]?.sans).toHaveLength(6);
    expect(result.findings.map((f) => f.code)).toContain('IMPORT_DIALIN_URL_PROPOSED');
    const hostile = join(work, 'evil.xml');
    writeFileSync(hostile, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>');
    const refused = await runCli(store, ['plan', hostile]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: evil\.xml is not a topology document: it has a DOCTYPE .*\n$/);
  });

  it('deletes with --yes; requests keep their copies', async () => {
    const r = await runCli(store, ['topology', 'delete', 'contoso', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(text(r)).toBe('Deleted topology contoso.\n');
    expect(existsSync(join(store, 'topologies', 'contoso.json'))).toBe(false);
    const requests = JSON.parse(text(await runCli(store, ['--json', 'request', 'list']))) as RequestRecord[];
    for (const rec of requests) expect(existsSync(join(store, 'requests', rec.id, 'topology.json'))).toBe(true);
  });
});
