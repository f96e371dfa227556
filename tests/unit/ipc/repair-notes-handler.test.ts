/**
 * app.repairNotes through the real dispatcher, handlers and store (browser shell, in-memory keychain,
 * real disk): a write that a killed process left open (an intent with its partial file, written
 * here with the store's own beginIntent) is rolled back at the next store lock the app takes, and
 * the page gets that repair once, with its outcome, besides the audit line.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, ApiParams, ApiValue } from '../../../src-main/common/api.js';
import { createDispatcher, type Dispatch } from '../../../src-main/ipc/dispatcher.js';
import { FileAccess } from '../../../src-main/ipc/file-access.js';
import { createHandlers } from '../../../src-main/ipc/handlers/index.js';
import { BROWSER_CAPABILITIES, type ShellPort } from '../../../src-main/ipc/shell.js';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import { beginIntent } from '../../../src-main/store/intents.js';

const root = join(__dirname, '..', '..', '..');

describe('app.repairNotes', () => {
  let dir: string;
  let dispatch: Dispatch;
  const noted: string[] = [];
  const ok = async <M extends ApiMethod>(method: M, params?: ApiParams<M>): Promise<ApiValue<M>> => {
    const r = await dispatch(method, params);
    if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`);
    return r.value as ApiValue<M>;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'certdesk-repair-rpc-'));
    const shell: ShellPort = { mode: 'browser', capabilities: BROWSER_CAPABILITIES };
    // Browser mode's notes also go to its terminal: both places get the repair.
    const ctx = { storeDir: join(dir, 'store'), secrets: createMemorySecretStore(), now: () => new Date('2026-11-30T10:00:00Z'), note: (m: string) => void noted.push(m) };
    dispatch = createDispatcher(createHandlers({ ctx, shell, files: new FileAccess(shell, () => Promise.resolve([])), version: '9.9.9', examplesDir: join(root, 'examples') }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has nothing to say before any repair, then gives a rolled-back write once', async () => {
    expect(await ok('app.repairNotes')).toEqual([]);
    await ok('topologies.save', { name: 'first', topology: JSON.parse('{"version":1,"sipDomains":["contoso.com"],"pools":[{"name":"pool01","externalWebFqdn":"webext.contoso.com","remoteAccess":true}],"simpleUrls":{"meet":[],"dialin":""}}') as never });

    // A proxy configuration write for a request the store never recorded, killed after its partial file.
    const out = join(dir, 'out');
    mkdirSync(out);
    const intent = await beginIntent(
      { dir: join(dir, 'store'), secrets: createMemorySecretStore(), now: () => new Date(), recordedExports: () => Promise.resolve(null), auditLines: () => Promise.resolve([]), appendAudit: () => Promise.resolve(), note: () => undefined },
      { kind: 'proxy-config', requestId: '20261130-abcdefgh', exports: [], accounts: [], targets: [{ path: join(out, 'nginx.conf'), sha256: '0'.repeat(64) }], audit: { event: 'proxy-config-written', requestId: '20261130-abcdefgh', detail: 'nginx' } },
    );
    await intent.writeTemp(0, 'server {}', 0o644);
    expect(readdirSync(out)).toHaveLength(1);

    // The next change the app makes takes the lock and repairs first.
    await ok('topologies.save', { name: 'second', topology: JSON.parse('{"version":1,"sipDomains":["contoso.com"],"pools":[{"name":"pool01","externalWebFqdn":"webext.contoso.com","remoteAccess":true}],"simpleUrls":{"meet":[],"dialin":""}}') as never });
    expect(existsSync(join(dir, 'store', '.intents'))).toBe(false);
    expect(readdirSync(out)).toEqual([]);
    const notes = await ok('app.repairNotes');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ at: '2026-11-30T10:00:00.000Z', outcome: 'rolled-back' });
    expect(notes[0]?.message).toMatch(/^an interrupted proxy configuration of request 20261130-abcdefgh was rolled back \(it was never recorded\): removed the partial file .*nginx\.conf\.[0-9a-f]{12}\.tmp$/);
    expect(noted).toContain(notes[0]?.message);
    expect(await ok('app.repairNotes')).toEqual([]);
  });
});
