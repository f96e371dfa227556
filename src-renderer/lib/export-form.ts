import type { PfxProfile } from '../../src-main/common/api.js';

/** The PFX file name Certdesk suggests: the subject, plus the profile so both files can sit side by side. */
export function pfxFileName(subject: string, profile: PfxProfile): string {
  const base = subject.trim().replace(/^\*\./, 'wildcard.').replace(/[^A-Za-z0-9.-]+/g, '_') || 'certificate';
  return `${base}-${profile}.pfx`;
}

/**
 * A typed path after the profile changed: a file name ending in `-legacy.pfx` becomes `-modern.pfx`
 * and back, so the file name keeps saying what is in it. Any other name is the admin's and stays.
 */
export function pathForProfile(path: string, to: PfxProfile): string {
  const from: PfxProfile = to === 'modern' ? 'legacy' : 'modern';
  const suffix = new RegExp(`-${from}(\\.pfx)$`, 'i');
  return path.replace(suffix, `-${to}$1`);
}

/**
 * What the admin must know before accepting a certificate that lacks requested names: per name,
 * which Lync service the clients reach by it (the first label says which), so the dialog can say what breaks.
 */
export type MissingNameImpact = 'lyncdiscover' | 'meet' | 'dialin' | 'sip' | 'other';
export function impactOfMissingName(name: string): MissingNameImpact {
  const first = name.toLowerCase().split('.')[0] ?? '';
  if (first === 'lyncdiscover' || first === 'lyncdiscoverinternal') return 'lyncdiscover';
  if (first === 'meet') return 'meet';
  if (first === 'dialin') return 'dialin';
  if (first === 'sip' || first === 'sipexternal') return 'sip';
  return 'other';
}
