import { createRequire } from 'node:module';
import { CertdeskError, isCertdeskError } from '../common/errors.js';
import type { SecretStore } from '../common/secret-store.js';
import type * as KeytarModule from 'keytar';

/** The keychain service every Certdesk secret lives under. */
export const KEYCHAIN_SERVICE = 'Certdesk';

/** The part of keytar Certdesk uses. */
export type Keytar = Pick<typeof KeytarModule, 'getPassword' | 'setPassword' | 'deletePassword'>;

const HOW_TO_FIX =
  'on Linux start gnome-keyring (or another Secret Service) in your desktop session and unlock it; ' +
  'on Windows use a normal interactive sign-in so Credential Manager is available; on macOS unlock the login keychain';

/** KEYCHAIN_UNAVAILABLE with the cause and how to fix it. */
export function keychainUnavailable(cause: string): CertdeskError {
  return new CertdeskError('KEYCHAIN_UNAVAILABLE', `the OS keychain is not available (${cause}); ${HOW_TO_FIX}`);
}

function causeOf(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  // libsecret/D-Bus messages name the failure, never a secret; keep one short line of it.
  const line = (text.split('\n')[0] ?? '').trim();
  return line.length > 160 ? `${line.slice(0, 160)}...` : line || 'unknown error';
}

let keytarModule: Promise<Keytar> | null = null;
const requireHere = createRequire(__filename);

/**
 * Loads keytar on first use, so commands that need no secret run on a machine whose native module
 * is missing or broken.
 */
function loadKeytar(): Promise<Keytar> {
  // require, not import(): keytar is CommonJS, and import() would first start Node's ES module loader
  // (its internal modules and the CommonJS export lexer): 10-15 ms of the keychain helper's start.
  keytarModule ??= new Promise<Keytar & { default?: Keytar }>((resolve) => resolve(requireHere('keytar') as Keytar)).then(
    (m) => m.default ?? m,
    (e: unknown) => {
      keytarModule = null;
      throw keychainUnavailable(`its native module could not be loaded: ${causeOf(e)}`);
    },
  );
  return keytarModule;
}

/**
 * Starts loading keytar without waiting for it (the keychain helper, which exists only to make these
 * calls, loads it while its first request is still on the way). A failure is reported by the first call.
 */
export function preloadKeytar(): void {
  loadKeytar().catch(() => undefined);
}

/** Rejects with KEYCHAIN_UNAVAILABLE when `work` takes longer than `ms` (a locked keyring can wait forever for a prompt). */
function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // The native call cannot be cancelled: it keeps running (and keeps the process alive) until the
    // keychain answers, e.g. when the user finally dismisses an unlock prompt.
    const timer = setTimeout(() => {
      reject(keychainUnavailable(`no answer within ${Math.round(ms / 1000)} s while ${what}; it may be locked or waiting for a password prompt`));
    }, ms);
    timer.unref();
    const settle = () => clearTimeout(timer);
    work.then(
      (v) => {
        settle();
        resolve(v);
      },
      (e: unknown) => {
        settle();
        reject(isCertdeskError(e) ? e : keychainUnavailable(causeOf(e)));
      },
    );
  });
}

/** Options of createKeytarSecretStore; `load` replaces the keytar module in the adapter's own tests. */
export interface KeytarStoreOptions {
  timeoutMs?: number;
  load?: () => Promise<Keytar>;
}

/** The OS keychain (Secret Service, Credential Manager, Keychain) through keytar, service "Certdesk". */
export function createKeytarSecretStore(opts: KeytarStoreOptions = {}): SecretStore {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const load = opts.load ?? loadKeytar;
  const call = <T>(what: string, fn: (k: Keytar) => Promise<T>): Promise<T> => withTimeout(load().then(fn), timeoutMs, what);
  return {
    get: (account) => call('reading a secret', (k) => k.getPassword(KEYCHAIN_SERVICE, account)),
    set: (account, secret) => call('storing a secret', (k) => k.setPassword(KEYCHAIN_SERVICE, account, secret)),
    delete: (account) => call('deleting a secret', (k) => k.deletePassword(KEYCHAIN_SERVICE, account)),
  };
}
