/**
 * The built CLI over a listing fixture (scripts/bench/make-store.mjs): requests copied in by hand
 * appear in `request list` and `expiry`, and a listing killed while it writes the request index
 * leaves a store that lists correctly. No keychain is involved: listing needs no secret.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExpiryEntry } from '../../src-main/common/farms.js';
import type { RequestRecord } from '../../src-main/common/requests.js';
import { createMemorySecretStore } from '../../src-main/keychain/memory.js';
import { listRequestSummaries } from '../../src-main/services/request-summaries.js';
import { finished, REPO, requireBuiltCli, runCli, text } from './cli-requests-helpers.js';

let dir: string;
let store: string;

beforeAll(async () => {
  requireBuiltCli();
  dir = await mkdtemp(join(tmpdir(), 'certdesk-index-cli-'));
  store = join(dir, 'store');
  const { makeStore } = (await import(pathToFileURL(join(REPO, 'scripts', 'bench', 'make-store.mjs')).href)) as { makeStore: (d: string, n: number) => string[] };
  makeStore(store, 40);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function listed(): Promise<RequestRecord[]> {
  const r = await runCli(store, ['--json', 'request', 'list']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(text(r)) as RequestRecord[];
}

describe('request list over the index', () => {
  it('lists every request of the fixture, then the same from the index', async () => {
    const first = await listed();
    expect(first).toHaveLength(40);
    expect(await readdir(store)).toContain('request-index.json');
    expect(await listed()).toEqual(first);
  });

  it('shows a request copied into requests/ by hand, in `request list` and in `expiry`', async () => {
    const before = await listed();
    const source = before.find((r) => r.certificate !== undefined && r.status !== 'revoked') as RequestRecord;
    // As an admin would restore one from another machine: a whole folder, timestamps kept.
    const newId = '20991231-zzzzzzzz';
    await cp(join(store, 'requests', source.id), join(store, 'requests', newId), { recursive: true, preserveTimestamps: true });
    const json = join(store, 'requests', newId, 'request.json');
    const copy = { ...(JSON.parse(await readFile(json, 'utf8')) as RequestRecord), id: newId, friendlyName: 'restored by hand', createdAt: '2099-12-31T00:00:00.000Z' };
    await writeFile(json, `${JSON.stringify(copy, null, 2)}\n`);
    const after = await listed();
    expect(after).toHaveLength(41);
    expect(after.at(-1)).toMatchObject({ id: newId, friendlyName: 'restored by hand' });
    const expiry = await runCli(store, ['--json', 'expiry']);
    expect(expiry.code).toBe(0);
    expect((JSON.parse(text(expiry)) as ExpiryEntry[]).map((e) => e.requestId)).toContain(newId);
  });

  it('lists correctly after a listing was killed while writing the index', async () => {
    const expected = await listed();
    // Make the index stale (a request edited by hand), then kill the listing that would rewrite it.
    const victim = expected[3] as RequestRecord;
    const json = join(store, 'requests', victim.id, 'request.json');
    await writeFile(json, `${JSON.stringify({ ...victim, friendlyName: 'edited while the index was stale' }, null, 2)}\n`);
    // The crash hook is installed only by the test launcher (the real CLI has none).
    const killed = await finished(spawn(process.execPath, [join(REPO, 'tests', 'helpers', 'crash-cli.cjs'), 'index:before-write', '--store', store, 'request', 'list'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] }));
    expect(killed.signal).toBe('SIGKILL');
    const after = await listed();
    expect(after.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    expect(after[3]?.friendlyName).toBe('edited while the index was stale');
  });

  it("lists correctly, in the CLI and in the Requests view's rows, after a listing was killed between writing the two indexes", async () => {
    const expected = await listed();
    const victim = expected[5] as RequestRecord;
    const json = join(store, 'requests', victim.id, 'request.json');
    await writeFile(json, `${JSON.stringify({ ...victim, friendlyName: 'edited before the cut' }, null, 2)}\n`);
    // Killed after the request index was written, before the summary index was.
    const killed = await finished(spawn(process.execPath, [join(REPO, 'tests', 'helpers', 'crash-cli.cjs'), 'summaries:before-write', '--store', store, 'request', 'list'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] }));
    expect(killed.signal).toBe('SIGKILL');
    const after = await listed();
    expect(after[5]?.friendlyName).toBe('edited before the cut');
    const rows = await listRequestSummaries({ storeDir: store, secrets: createMemorySecretStore() });
    expect(rows.map((r) => r.id)).toEqual(after.map((r) => r.id));
    expect(rows[5]?.friendlyName).toBe('edited before the cut');
  });

  it('ignores a damaged index and rebuilds it', async () => {
    const expected = await listed();
    await writeFile(join(store, 'request-index.json'), '{"format":1,"sha256":"00"}\n[]');
    expect(await listed()).toEqual(expected);
    const head = (await readFile(join(store, 'request-index.json'), 'utf8')).split('\n')[0] as string;
    expect(head).toMatch(/^\{"format":1,"sha256":"[0-9a-f]{64}"\}$/);
  });
});
