import { execFile } from 'node:child_process';

/**
 * True when the Secret Service's default collection is locked. libsecret answers a lookup in a
 * locked keyring with "nothing found" when no unlock prompt can be shown, which would read as a lost
 * store key; asking the collection's Locked property tells the two apart. Linux only (elsewhere, and
 * when gdbus is missing or slow, false: then nothing is claimed).
 */
export function defaultCollectionLocked(timeoutMs = 1500): Promise<boolean> {
  if (process.platform !== 'linux') return Promise.resolve(false);
  return new Promise((resolve) => {
    execFile(
      'gdbus',
      [
        'call', '--session', '--dest', 'org.freedesktop.secrets', '--object-path', '/org/freedesktop/secrets/aliases/default',
        '--method', 'org.freedesktop.DBus.Properties.Get', 'org.freedesktop.Secret.Collection', 'Locked',
      ],
      { timeout: timeoutMs, encoding: 'utf8' },
      (err, stdout) => resolve(!err && /<true>/.test(stdout)),
    );
  });
}

/** Keychain error texts that mean "locked" (gnome-keyring / libsecret; macOS Security framework). */
export function isLockedMessage(message: string): boolean {
  return /locked collection|is locked|User interaction is not allowed|errSecInteractionNotAllowed/i.test(message);
}
