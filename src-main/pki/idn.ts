import { domainToASCII, domainToUnicode } from 'node:url';

/** Outcome of converting one DNS label to its A-label form (UTS #46, as url.domainToASCII does it). */
export type LabelConversion =
  | { ok: true; aLabel: string; uLabel: string; converted: boolean }
  | { ok: false; reason: string };

// Non-ASCII anywhere (including full-width letters UTS #46 maps back to ASCII).
const NON_ASCII = /\P{ASCII}/u;

/**
 * Converts one label to lower-case A-label form. ASCII labels are lower-cased; `xn--` labels must
 * decode to a U-label that encodes back to the same A-label (this is what rejects `xn--a` and
 * `xn--ab-`, which decodes to plain ASCII); non-ASCII labels are mapped and punycoded by UTS #46.
 * LDH checks come afterwards, on the result: this only answers "is there a valid A-label form".
 */
export function toALabel(label: string): LabelConversion {
  if (!NON_ASCII.test(label)) {
    const lower = label.toLowerCase();
    if (!lower.startsWith('xn--')) return { ok: true, aLabel: lower, uLabel: lower, converted: false };
    const unicode = domainToUnicode(lower);
    if (unicode === '' || unicode === lower || !NON_ASCII.test(unicode) || domainToASCII(unicode) !== lower) {
      return { ok: false, reason: `"${label}" is not valid punycode (an xn-- label must decode to an internationalized label)` };
    }
    return { ok: true, aLabel: lower, uLabel: unicode, converted: false };
  }
  const ascii = domainToASCII(label);
  if (ascii === '') return { ok: false, reason: `"${label}" cannot be converted to an A-label (UTS #46 refuses it)` };
  // UTS #46 maps some characters to a dot (U+2488 becomes "1."), and the URL host parser turns a
  // label that maps to digits into an IPv4 address: either way it no longer is one DNS label.
  if (ascii.includes('.')) return { ok: false, reason: `"${label}" does not map to a single DNS label` };
  const unicode = domainToUnicode(ascii);
  return { ok: true, aLabel: ascii, uLabel: unicode === '' ? label : unicode, converted: true };
}
