/** What `certdesk backup` and the app's "Back up the store" report (never the passphrase itself). */
export interface BackupResult {
  /** Absolute path of the backup file written; for a name that is not valid UTF-8, its escaped display text. */
  out: string;
  /** Only for a file name that is not valid UTF-8: its exact bytes, base64. */
  outBytes?: string;
  storeId: string;
  /** ISO-8601; also the store's last backup time. */
  createdAt: string;
  /** Store files in the backup. */
  files: number;
  requests: number;
  /** Encrypted private keys (key.enc files) in the backup. */
  keys: number;
  /** OS keychain entries carried (the store key and PFX passwords). */
  keychainEntries: number;
  bytes: number;
  /** SHA-256 of the backup file, lowercase hex. */
  sha256: string;
  passphraseGenerated: boolean;
}

/** backup.create's reply: the report, plus a generated passphrase, which is shown to the admin once. */
export type BackupCreated = BackupResult & {
  passphrase?: string;
  /** Browser mode (a `download` save target): the file for the browser to save; `out` is then its name. */
  download?: { fileName: string; mediaType: string; base64: string };
};

/** What a restore did. */
export interface RestoreResult {
  storeDir: string;
  storeId: string;
  /** When the backup was made (ISO-8601). */
  backupCreatedAt: string;
  files: number;
  requests: number;
  /** Private keys decrypted once with the restored store key, as proof. */
  keysVerified: number;
  /** OS keychain entries this restore created (entries already there with the same value are kept). */
  keychainEntriesCreated: number;
}

/** The Settings view's backup line. */
export interface BackupStatus {
  /** ISO-8601 time of the last backup made from this store, or null. */
  lastBackupAt: string | null;
  /** Requests with a private key in the store. */
  keys: number;
  /** True when the store holds keys and was never backed up. */
  reminder: boolean;
}
