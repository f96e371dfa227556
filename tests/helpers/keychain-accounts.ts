import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const LISTER = fileURLToPath(new URL('keychain-accounts.cjs', import.meta.url));

/**
 * The accounts of the keychain's Certdesk entries that start with `prefix`, sorted, as gnome-keyring
 * lists them; entries other test files delete meanwhile are skipped (see keychain-accounts.cjs).
 */
export function keychainAccounts(prefix: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [LISTER, prefix], { timeout: 60_000 }, (error, out, err) => {
      if (error) reject(new Error(`the keychain could not be listed: ${err.trim() || error.message}`));
      else resolve(JSON.parse(out) as string[]);
    });
  });
}
