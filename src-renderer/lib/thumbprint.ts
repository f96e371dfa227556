/**
 * A SHA-1 thumbprint as an admin pastes it from Windows (spaces, colons, lower case, and often an
 * invisible U+200E left-to-right mark from the certificate dialog) as 40 upper-case hex digits, or
 * null when it is not one.
 */
export function normalizeThumbprint(input: string): string | null {
  const hex = input.replace(/[\s:\u200e\u200f\ufeff-]/g, '').toUpperCase();
  return /^[0-9A-F]{40}$/.test(hex) ? hex : null;
}
