import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src-main/common/requests.js';
import { createKeytarSecretStore } from '../../src-main/keychain/keytar.js';
import { sha256Hex } from '../../src-main/pki/fingerprint.js';
import { showRequest } from '../../src-main/services/requests.js';
import { spawn } from 'node:child_process';
import { type CliRun, finished, openStoreWithKeychain, REPO, requireBuiltCli, runCli, scanForPlaintextKeys, startCli, text } from './cli-requests-helpers.js';

/** The built CLI through the test launcher that installs the crash hook (SIGKILL at `step`). */
function runCrashingCli(step: string, store: string, args: string[]): Promise<CliRun> {
  return finished(spawn(process.execPath, [join(REPO, 'tests', 'helpers', 'crash-cli.cjs'), step, '--store', store, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] }));
}

let work: string;
beforeAll(async () => {
  requireBuiltCli();
  work = await mkdtemp(join(tmpdir(), 'certdesk-crash-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/**
 * The crash invariant: a new process lists every request completely or not at all, every listed
 * request shows (its CSR matches its record) and its key decrypts to the CSR's public key, no key
 * is in plaintext anywhere, and the next write sweeps what the dead writer left.
 */
async function expectConsistent(store: string): Promise<RequestRecord[]> {
  const list = await runCli(store, ['--json', 'request', 'list']);
  expect(list.code, list.stderr).toBe(0);
  // Killed before store.json was written: there is no store yet, and listing says so (creating none).
  expect(list.stderr).toBe(existsSync(join(store, 'store.json')) ? '' : `note: no Certdesk store at ${store} yet\n`);
  const records = JSON.parse(text(list)) as RequestRecord[];
  const s = await openStoreWithKeychain(store);
  for (const r of records) {
    // In-process for speed: the same service `request show` runs (the CSR must match its record).
    const shown = await showRequest({ storeDir: store, secrets: createKeytarSecretStore() }, r.id);
    expect(shown.csr?.publicKeySha256).toBe(r.publicKeySha256);
    const pem = await s.readPrivateKey(r.id);
    expect(sha256Hex(createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'der' }))).toBe(r.publicKeySha256);
  }
  expect(await scanForPlaintextKeys(store)).toEqual([]);
  return records;
}

async function onlyCommittedFolders(store: string): Promise<void> {
  const names = await readdir(join(store, 'requests'));
  expect(names.filter((n) => !/^\d{8}-[0-9a-z]{8}$/.test(n))).toEqual([]);
}

describe('kill -9 while creating a request', () => {
  const steps: [string, 'absent' | 'present'][] = [
    ['create:tmp-dir', 'absent'],
    ['create:key-written', 'absent'],
    ['create:files-written', 'absent'],
    ['create:renamed', 'present'],
    ['create:committed', 'present'],
  ];

  it.each(steps)('at %s leaves the request %s, never torn', async (step, expected) => {
    const store = join(work, step.replace(':', '-'));
    const cn = `${step.replace(':', '-')}.contoso.com`;
    const r = await runCrashingCli(step, store, ['request', 'new', '--subject', cn]);
    expect(r.signal).toBe('SIGKILL');
    const records = await expectConsistent(store);
    expect(records.map((x) => x.subject)).toEqual(expected === 'present' ? [cn] : []);
    // The dead process's lock is taken over and its leftovers swept by the next writer.
    const next = await runCli(store, ['request', 'new', '--subject', 'after.contoso.com']);
    expect(next.code, next.stderr).toBe(0);
    await onlyCommittedFolders(store);
    expect((await expectConsistent(store)).length).toBe(expected === 'present' ? 2 : 1);
  });

  it('at random moments (increasing delays) never shows a half-made request', async () => {
    const store = join(work, 'timed');
    let survivors = 0;
    for (const delay of [200, 400, 600, 800, 1000, 1300]) {
      const child = startCli(store, ['request', 'new', '--subject', `t${delay}.contoso.com`]);
      const done = finished(child);
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      const result = await done;
      if (result.code === 0) survivors++;
      await expectConsistent(store);
    }
    const final = await runCli(store, ['request', 'new', '--subject', 'final.contoso.com']);
    expect(final.code, final.stderr).toBe(0);
    await onlyCommittedFolders(store);
    expect((await expectConsistent(store)).length).toBeGreaterThanOrEqual(survivors + 1);
  });
});

describe('kill -9 while deleting a request', () => {
  it('after the folder was set aside: the request is gone and the remains are swept', async () => {
    const store = join(work, 'delete');
    const made = await runCli(store, ['--json', 'request', 'new', '--subject', 'doomed.contoso.com']);
    const id = (JSON.parse(text(made)) as RequestRecord).id;
    const r = await runCrashingCli('delete:renamed', store, ['request', 'delete', id, '--yes']);
    expect(r.signal).toBe('SIGKILL');
    expect(await expectConsistent(store)).toEqual([]);
    expect((await runCli(store, ['request', 'new', '--subject', 'next.contoso.com'])).code).toBe(0);
    await onlyCommittedFolders(store);
  });
});

describe('the crash seam in production', () => {
  it('is inert: no environment variable makes the real CLI kill itself', async () => {
    const store = join(work, 'inert');
    const r = await runCli(store, ['request', 'new', '--subject', 'inert.contoso.com'], { CERTDESK_TEST_CRASH_AT: 'create:renamed' });
    expect(r.signal).toBeNull();
    expect(r.code, r.stderr).toBe(0);
    expect((await expectConsistent(store)).map((x) => x.subject)).toEqual(['inert.contoso.com']);
  });
});
