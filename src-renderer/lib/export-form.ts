import type { PfxProfile } from '../../src-main/common/api.js';

/** The PFX file name Certdesk suggests: the subject, plus the profile so both files can sit side by side. */
export function pfxFileName(subject: string, profile: PfxProfile): string {
  const base = subject.trim().replace(/^\*\./, 'wildcard.').replace(/[^A-Za-z0-9.-]+/g, '_') || 'certificate';
  return `${base}-${profile}.pfx`;
}
