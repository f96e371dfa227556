/**
 * The SecretStore port: the OS keychain as the rest of Certdesk sees it. The keytar adapter lives in
 * src-main/keychain; an in-memory fake exists only for unit tests. Accounts live under one service
 * ("Certdesk"). Implementations time out instead of hanging and throw KEYCHAIN_UNAVAILABLE.
 */
export interface SecretStore {
  /** The secret for `account`, or null when there is none. */
  get(account: string): Promise<string | null>;
  /** Creates or replaces the secret for `account`. */
  set(account: string, secret: string): Promise<void>;
  /** Deletes it; false when there was none. */
  delete(account: string): Promise<boolean>;
}
