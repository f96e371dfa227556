/**
 * The test helper that lists the keychain (tests/helpers/keychain-accounts.ts) while another process
 * adds and deletes entries, as the test files running in parallel do. Listing with keytar's
 * findCredentials in the test process failed CI once ("No such secret item at path") and, on a bad
 * turn, crashes the process in native code; the helper asks gnome-keyring over D-Bus and skips
 * entries that are gone. The writer pauses 10 ms between calls: other test files
 * share this keychain and its 3.5 s timeouts, so the churn must not starve them.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keychainAccounts } from '../helpers/keychain-accounts.js';
import { REPO } from './cli-requests-helpers.js';

interface Keytar {
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}
const keytar = createRequire(import.meta.url)('keytar') as Keytar;
const mine = `race-mine:${randomUUID()}:`;
const other = `race-other:${randomUUID()}:`;

beforeAll(async () => {
  await keytar.setPassword('Certdesk', `${mine}1`, 'not a secret');
  await keytar.setPassword('Certdesk', `${mine}2`, 'not a secret');
});
afterAll(async () => {
  await keytar.deletePassword('Certdesk', `${mine}1`);
  await keytar.deletePassword('Certdesk', `${mine}2`);
});

it('lists exactly this test’s entries while another process keeps adding and deleting entries', async () => {
  const churn = `
    const k = require('keytar');
    const pause = () => new Promise((r) => setTimeout(r, 10));
    (async () => { for (let i = 0; ; i++) { await k.setPassword('Certdesk', ${JSON.stringify(other)} + i, 'x'); await pause(); await k.deletePassword('Certdesk', ${JSON.stringify(other)} + i); await pause(); } })();`;
  const writer = spawn(process.execPath, ['-e', churn], { cwd: REPO, stdio: 'ignore' });
  try {
    for (let n = 0; n < 15; n++) expect(await keychainAccounts(mine)).toEqual([`${mine}1`, `${mine}2`]);
  } finally {
    writer.kill('SIGKILL');
  }
  await new Promise((resolve) => writer.once('exit', resolve));
  // The writer was killed between its set and its delete at most once.
  for (const account of await keychainAccounts(other)) await keytar.deletePassword('Certdesk', account);
  expect(await keychainAccounts(other)).toEqual([]);
});
