import type { SecretStore } from '../common/secret-store.js';

/** An in-memory SecretStore for unit tests only: the app and the CLI always use the OS keychain. */
export function createMemorySecretStore(initial: Record<string, string> = {}): SecretStore & { readonly entries: Map<string, string> } {
  const entries = new Map(Object.entries(initial));
  return {
    entries,
    get: (account) => Promise.resolve(entries.get(account) ?? null),
    set: (account, secret) => {
      entries.set(account, secret);
      return Promise.resolve();
    },
    delete: (account) => Promise.resolve(entries.delete(account)),
  };
}
