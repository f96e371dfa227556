/**
 * `certdesk farm edit`, `farm delete` and `deploy --undo` through the BUILT CLI with a real keychain:
 * what each prints and records, and every refusal as one line with the store left unchanged.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FarmDeleteResult, FarmEditResult, NodeDeploymentView, UndoDeploymentResult } from '../../src-main/common/farms.js';
import type { RequestRecord } from '../../src-main/common/requests.js';
import { type TestCa, createTestCa } from '../helpers/openssl-ca.js';
import { cliJson, importAnswer, newRequest, tempDir } from '../interop/pfx-helpers.js';
import { oneLineError, requireBuiltCli, runCli, text, treeListing } from './cli-requests-helpers.js';

let ca: TestCa;
let work: string;
let store: string;
let record: RequestRecord;

beforeAll(async () => {
  requireBuiltCli();
  ca = createTestCa('rsa', 'Public');
  work = tempDir('certdesk-farm-edit-cli-');
  store = join(work, 'store');
  ({ record } = await newRequest(store, 'webext.contoso.com', []));
  const leaf = ca.sign(text(await runCli(store, ['request', 'csr', record.id])), { sans: ['webext.contoso.com'] });
  writeFileSync(join(work, 'answer.pem'), ca.bundle(leaf, { includeRoot: true }));
  await importAnswer(store, [join(work, 'answer.pem')]);
  await cliJson(store, ['farm', 'add', 'edge', '--node', 'rp1.contoso.local:2012R2', '--node', 'rp2.contoso.local:2019']);
});
afterAll(() => {
  ca?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function fails(args: string[], code: 1 | 2): Promise<string> {
  const before = await treeListing(store);
  const r = await runCli(store, args, {}, work);
  expect(r.code, r.stderr).toBe(code);
  expect(text(r)).toBe('');
  const line = oneLineError(r);
  expect(await treeListing(store)).toEqual(before);
  return line;
}

describe('certdesk farm edit', () => {
  it('adds, updates and removes nodes in one call and prints what changed', async () => {
    const r = await runCli(store, ['farm', 'edit', 'edge', '--add-node', 'rp3.contoso.local:2022', '--set-node', 'rp1.contoso.local:2016:IIS ARR', '--remove-node', 'rp2.contoso.local']);
    expect(r.code, r.stderr).toBe(0);
    expect(text(r)).toContain('Farm edge: added rp3.contoso.local; updated rp1.contoso.local; removed rp2.contoso.local');
    expect(text(r)).toContain('rp3.contoso.local  2022  -> modern PFX');
    const j = await cliJson<FarmEditResult>(store, ['farm', 'edit', 'edge', '--set-node', 'rp1.contoso.local:2012']);
    expect(j.nodesChanged).toEqual(['rp1.contoso.local']);
    expect(j.farm.nodes.map((n) => n.windowsVersion)).toEqual(['2012', '2022']);
  });

  it('refuses bad edits with one line and changes nothing', async () => {
    expect(await fails(['farm', 'edit', 'edge'], 2)).toMatch(/needs at least one of --add-node/);
    expect(await fails(['farm', 'edit', 'edge', '--remove-node', 'rp9.contoso.local'], 1)).toMatch(/^error: farm edge has no node rp9\.contoso\.local$/);
    expect(await fails(['farm', 'edit', 'edge', '--set-node', 'rp1.contoso.local:XP'], 1)).toMatch(/is not a Windows version/);
    expect(await fails(['farm', 'edit', 'nope', '--remove-node', 'rp1.contoso.local'], 1)).toMatch(/no farm "nope"/);
  });
});

describe('certdesk deploy --undo', () => {
  it('removes a mark and records it; a second undo finds nothing', async () => {
    await cliJson(store, ['deploy', record.id, '--node', 'rp1.contoso.local']);
    const r = await runCli(store, ['deploy', record.id, '--node', 'rp1.contoso.local', '--undo']);
    expect(r.code, r.stderr).toBe(0);
    expect(text(r)).toMatch(/^Undone: the deployed mark of certificate [0-9A-F]{40} on rp1\.contoso\.local \(farm edge\)/);
    const views = await cliJson<NodeDeploymentView[]>(store, ['deployments', record.id]);
    expect(views.every((v) => v.state === 'not-deployed')).toBe(true);
    const shown = await cliJson<{ record: RequestRecord }>(store, ['request', 'show', record.id]);
    expect(shown.record.history.at(-1)?.event).toBe('deployment-undone');
    expect(await fails(['deploy', record.id, '--node', 'rp1.contoso.local', '--undo'], 1)).toMatch(/has no deployment mark on node rp1\.contoso\.local/);
    expect(await fails(['deploy', record.id, '--node', 'rp1.contoso.local', '--undo', '--operator', 'x'], 2)).toMatch(/--undo takes only/);
  });

  it('--json prints the removed mark', async () => {
    await cliJson(store, ['deploy', record.id, '--node', 'rp3.contoso.local']);
    const u = await cliJson<UndoDeploymentResult>(store, ['deploy', record.id, '--node', 'rp3.contoso.local', '--undo']);
    expect(u).toMatchObject({ requestId: record.id, farm: 'edge', host: 'rp3.contoso.local', removed: { state: 'deployed' } });
  });
});

describe('certdesk farm delete', () => {
  it('refuses while a request is linked, unless --yes; the request stays', async () => {
    expect(await fails(['farm', 'delete', 'edge'], 1)).toMatch(new RegExp(`^error: farm edge still serves 1 request\\(s\\): ${record.id} \\(webext\\.contoso\\.com\\).*--yes\\)$`));
    const d = await cliJson<FarmDeleteResult>(store, ['farm', 'delete', 'edge', '--yes']);
    expect(d).toEqual({ name: 'edge', requestsUnlinked: [record.id], deploymentsRemoved: 0, deleted: true });
    expect(text(await runCli(store, ['farm', 'list']))).not.toContain('edge');
    expect((await cliJson<{ record: RequestRecord }>(store, ['request', 'show', record.id])).record.certificate).toBeDefined();
  });
});
