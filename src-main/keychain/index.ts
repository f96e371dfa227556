export { createKeytarSecretStore, KEYCHAIN_SERVICE, keychainUnavailable } from './keytar.js';
export { createMemorySecretStore } from './memory.js';
