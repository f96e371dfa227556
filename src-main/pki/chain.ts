import type { Finding } from '../common/findings.js';
import { type Certificate, namesIssuer, verifySignedBy } from './certificate.js';

/**
 * Builds the path from a leaf up to a root out of the certificates at hand (the CA's answer and the
 * stored CA certificates), checking every signature with the issuer's key, whatever the order in the
 * file was.
 */

/** Where a chain certificate came from. */
export type ChainSource = 'answer' | 'ca-store';

/** A certificate offered to the chain builder. */
export interface ChainCandidate {
  certificate: Certificate;
  source: ChainSource;
}

/** One link of a built chain, leaf first. */
export interface ChainLink {
  certificate: Certificate;
  source: ChainSource;
  role: 'leaf' | 'intermediate' | 'root';
  /** The signature on this certificate verified with the next link's key (a root: its own key). */
  signatureVerified: boolean;
}

/** The chain and what was found building it; error findings mean the chain must not be trusted. */
export interface BuiltChain {
  links: ChainLink[];
  /** The chain reaches a self-signed root whose signature verifies. */
  complete: boolean;
  findings: Finding[];
}

/** Longer chains than this do not occur in practice; a loop of cross certificates could. */
export const MAX_CHAIN_LENGTH = 8;

function isSelfSigned(c: Certificate): boolean {
  return c.selfIssued && verifySignedBy(c, c);
}

/** Valid candidates first, then the newest, so a renewed CA certificate wins over its expired twin. */
function preference(now: Date): (a: ChainCandidate, b: ChainCandidate) => number {
  const valid = (c: Certificate): number => (c.notBefore <= now && now <= c.notAfter ? 0 : 1);
  return (a, b) => valid(a.certificate) - valid(b.certificate) || b.certificate.notAfter.getTime() - a.certificate.notAfter.getTime();
}

/** Builds and verifies the chain above `leaf`; never throws for a bad chain, it reports it. */
export function buildChain(leaf: Certificate, candidates: readonly ChainCandidate[], now: Date = new Date()): BuiltChain {
  const links: ChainLink[] = [{ certificate: leaf, source: 'answer', role: 'leaf', signatureVerified: false }];
  const findings: Finding[] = [];
  const used = new Set([leaf.sha256]);
  let complete = false;
  for (;;) {
    const last = links[links.length - 1] as ChainLink;
    const cur = last.certificate;
    if (isSelfSigned(cur)) {
      last.signatureVerified = true;
      if (last.role !== 'leaf') last.role = 'root';
      else findings.push({ code: 'CHAIN_SELF_SIGNED', severity: 'warning', message: `${cur.subject} is self-signed: no CA vouches for it`, subject: cur.subject });
      complete = true;
      break;
    }
    if (links.length >= MAX_CHAIN_LENGTH) {
      findings.push({ code: 'CHAIN_TOO_LONG', severity: 'error', message: `the chain is longer than ${MAX_CHAIN_LENGTH} certificates`, subject: cur.subject });
      break;
    }
    const named = candidates.filter((c) => !used.has(c.certificate.sha256) && namesIssuer(cur, c.certificate)).sort(preference(now));
    if (named.length === 0) {
      findings.push({
        code: 'CHAIN_INCOMPLETE',
        severity: 'warning',
        message: `the chain ends at ${cur.subject}: its issuer ${cur.issuer} is neither in the file nor among the stored CA certificates (add it with: certdesk ca import FILE)`,
        subject: cur.issuer,
      });
      break;
    }
    const issuer = named.find((c) => verifySignedBy(cur, c.certificate));
    if (!issuer) {
      findings.push({
        code: 'CHAIN_BAD_SIGNATURE',
        severity: 'error',
        message: `the signature on ${cur.subject} does not verify with the key of ${(named[0] as ChainCandidate).certificate.subject}`,
        subject: cur.subject,
      });
      break;
    }
    last.signatureVerified = true;
    const ca = issuer.certificate;
    // A v1 self-signed root has no basicConstraints; anything else must say cA:TRUE to issue.
    if (ca.isCa === false || (ca.isCa === null && !ca.selfIssued)) {
      findings.push({ code: 'CHAIN_NOT_A_CA', severity: 'error', message: `${ca.subject} signed ${cur.subject} but is not a CA certificate`, subject: ca.subject });
    }
    if (ca.notAfter < now) {
      findings.push({ code: 'CHAIN_CA_EXPIRED', severity: 'warning', message: `the CA certificate ${ca.subject} expired on ${ca.notAfter.toISOString()}`, subject: ca.subject });
    } else if (ca.notBefore > now) {
      findings.push({ code: 'CHAIN_CA_NOT_YET_VALID', severity: 'warning', message: `the CA certificate ${ca.subject} is valid only from ${ca.notBefore.toISOString()}`, subject: ca.subject });
    }
    used.add(ca.sha256);
    links.push({ certificate: ca, source: issuer.source, role: 'intermediate', signatureVerified: false });
  }
  return { links, complete, findings };
}
