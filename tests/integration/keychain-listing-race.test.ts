/**
 * The test helper that lists the keychain (tests/helpers/keychain-accounts.ts) while another process
 * adds and deletes entries, as the test files running in parallel do. Listing with keytar's
 * findCredentials in the test process failed CI once ("No such secret item at path") and, on a bad
 * turn, crashes the process in native code; the helper lists in a child and lists again.
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

it('lists exactly this test’s entries while another process adds and deletes entries all the time', async () => {
  const churn = `
    const k = require('keytar');
    (async () => { for (let i = 0; ; i++) { await k.setPassword('Certdesk', ${JSON.stringify(other)} + i, 'x'); await k.deletePassword('Certdesk', ${JSON.stringify(other)} + i); } })();`;
  const writer = spawn(process.execPath, ['-e', churn], { cwd: REPO, stdio: 'ignore' });
  try {
    for (let n = 0; n < 40; n++) expect(await keychainAccounts(mine)).toEqual([`${mine}1`, `${mine}2`]);
  } finally {
    writer.kill('SIGKILL');
  }
  await new Promise((resolve) => writer.once('exit', resolve));
  // The writer was killed between its set and its delete at most once.
  for (const account of await keychainAccounts(other)) await keytar.deletePassword('Certdesk', account);
  expect(await keychainAccounts(other)).toEqual([]);
});
