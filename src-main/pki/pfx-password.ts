import { randomInt } from 'node:crypto';
import { CertdeskError } from '../common/errors.js';

/**
 * PFX passwords. Generated ones are read aloud and typed on a proxy's console, so they avoid
 * look-alike characters; supplied ones must be strong and plain ASCII, because Windows' import
 * wizard, OpenSSL and older CryptoAPI disagree about how non-ASCII text becomes PKCS#12 bytes.
 */

/** Letters and digits without 0/O/o, 1/l/I/i, 5/S and 2/Z look-alikes. */
export const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRTUVWXYabcdefghjkmnpqrstuvwxyz346789';
/** Groups of five, joined by hyphens: 25 random characters, about 141 bits. */
const GROUPS = 5;
const GROUP_LENGTH = 5;
/** Shortest supplied password accepted. */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest supplied password accepted (Windows' dialog and PKCS#12 tools cope with far more; this is a sanity bound). */
export const MAX_PASSWORD_LENGTH = 256;

/** A fresh random PFX password, e.g. `Kp7dx-3WmqA-...` (29 characters, ASCII, no look-alikes). */
export function generatePfxPassword(): string {
  for (;;) {
    const groups = Array.from({ length: GROUPS }, () => Array.from({ length: GROUP_LENGTH }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join(''));
    const pw = groups.join('-');
    // Retry the rare draw without an uppercase letter, a lowercase letter or a digit, so every
    // generated password also passes the rules for supplied ones on any policy that counts classes.
    if (/[A-Z]/.test(pw) && /[a-z]/.test(pw) && /\d/.test(pw)) return pw;
  }
}

/** Why a supplied password is refused, or null when it is acceptable. */
export function passwordWeakness(password: string): string | null {
  if (password.length === 0) return 'the password is empty';
  if (!/^[\x20-\x7e]*$/.test(password)) {
    return 'the password must be plain printable ASCII (letters, digits, punctuation, space): Windows and OpenSSL encode other characters differently';
  }
  if (password !== password.trim()) return 'the password starts or ends with a space, which is easy to lose when typing it on a proxy';
  if (password.length < MIN_PASSWORD_LENGTH) return `the password is too short (${password.length} characters; at least ${MIN_PASSWORD_LENGTH})`;
  if (password.length > MAX_PASSWORD_LENGTH) return `the password is too long (at most ${MAX_PASSWORD_LENGTH} characters)`;
  if (new Set(password).size < 6) return 'the password repeats too few different characters';
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3 && password.length < 20) {
    return 'the password needs at least three of lowercase, uppercase, digits and symbols (or 20 characters or more)';
  }
  return null;
}

/** Throws WEAK_PASSWORD with the reason when `password` is not acceptable. */
export function assertStrongPassword(password: string): void {
  const why = passwordWeakness(password);
  if (why) throw new CertdeskError('WEAK_PASSWORD', why);
}
