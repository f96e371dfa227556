import { randomBytes } from 'node:crypto';
import { CertdeskError } from '../common/errors.js';
import type { SecretStore } from '../common/secret-store.js';
import { STORE_KEY_BYTES } from './key-envelope.js';

/** The keychain account holding a store's key (service "Certdesk"). */
export function storeKeyAccount(storeId: string): string {
  return `store-key:${storeId}`;
}

function missing(storeId: string): CertdeskError {
  return new CertdeskError(
    'STORE_CORRUPT',
    `this store's key is missing from the OS keychain (service "Certdesk", account "${storeKeyAccount(storeId)}"), ` +
      'so its private keys cannot be decrypted; restore that keychain entry (keys stored by another OS user or on another machine cannot be opened here)',
  );
}

function decode(secret: string, storeId: string): Buffer {
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(secret) ? Buffer.from(secret, 'base64') : Buffer.alloc(0);
  if (key.length !== STORE_KEY_BYTES) {
    throw new CertdeskError('STORE_CORRUPT', `the OS keychain entry "${storeKeyAccount(storeId)}" is not a Certdesk store key`);
  }
  return key;
}

/** The store key when the keychain has it, else null (STORE_CORRUPT when the entry is not a store key). */
export async function storeKeyIfPresent(secrets: SecretStore, storeId: string): Promise<Buffer | null> {
  const secret = await secrets.get(storeKeyAccount(storeId));
  return secret === null ? null : decode(secret, storeId);
}

/** The store key; STORE_CORRUPT when the keychain does not have it (never made up anew here). */
export async function readStoreKey(secrets: SecretStore, storeId: string): Promise<Buffer> {
  const secret = await secrets.get(storeKeyAccount(storeId));
  if (secret === null) throw missing(storeId);
  return decode(secret, storeId);
}

/**
 * The store key, created on first use. Call under the store lock. `hasEncryptedKeys` guards the one
 * dangerous case: when keys exist but the keychain lost their key, a new key would make them
 * unreadable for good, so that is refused rather than repaired.
 */
export async function readOrCreateStoreKey(secrets: SecretStore, storeId: string, hasEncryptedKeys: () => Promise<boolean>): Promise<Buffer> {
  const account = storeKeyAccount(storeId);
  const secret = await secrets.get(account);
  if (secret !== null) return decode(secret, storeId);
  if (await hasEncryptedKeys()) throw missing(storeId);
  const key = randomBytes(STORE_KEY_BYTES);
  await secrets.set(account, key.toString('base64'));
  // Read it back: a keychain that accepts writes but does not keep them must fail now, not later.
  const back = await secrets.get(account);
  if (back === null || !decode(back, storeId).equals(key)) {
    throw new CertdeskError('KEYCHAIN_UNAVAILABLE', 'the OS keychain did not keep the new store key; check that the keyring is unlocked and persistent');
  }
  return key;
}
