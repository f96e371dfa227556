import { CertdeskError } from '../common/errors.js';
import { CODE_SIGNING_REASON_PREFIX } from '../common/farms.js';
import type { ScriptSigner } from './authenticode.js';
import { openPfx } from './pfx-read.js';

/**
 * Opens the admin's code-signing PFX for `bundle --sign-with` and refuses, one line each, what would
 * give Windows a signature it rejects: no Code Signing EKU, a certificate outside its validity, a key
 * other than RSA (the one kind Certdesk's signer writes), and every way openPfx refuses a file (not a
 * PFX, wrong password, no key, key of no certificate).
 */

/** Extended key usage "Code Signing" (RFC 5280 id-kp-codeSigning). */
export const CODE_SIGNING_EKU = '1.3.6.1.5.5.7.3.3';

function refuse(reason: string, message: string): CertdeskError {
  return new CertdeskError('INVALID_INPUT', message, [], `${CODE_SIGNING_REASON_PREFIX}${reason}`);
}

/** What README.txt and the result say about the signer. */
export interface CodeSigner extends ScriptSigner {
  /** RFC 4514 subject of the signing certificate. */
  subject: string;
  /** SHA-1 thumbprint, upper-case hex: what Windows' Trusted Publishers store shows. */
  thumbprint: string;
  issuer: string;
  notAfter: Date;
}

/** Opens `pfx` with `password` and checks its certificate can sign code at `now`. */
export async function openCodeSigningPfx(pfx: Uint8Array, password: string, now: Date): Promise<CodeSigner> {
  const opened = await openPfx(pfx, password).catch((e: unknown) => {
    if (e instanceof CertdeskError) throw new CertdeskError(e.code, `code-signing PFX: ${e.message}`, [], `${CODE_SIGNING_REASON_PREFIX}${e.reason ?? 'PFX_UNREADABLE'}`);
    throw e;
  });
  const leaf = opened.leaf;
  const name = `the code-signing certificate ${leaf.subject} (${leaf.sha1Thumbprint})`;
  if (opened.keyType !== 'rsa') throw refuse('KEY_NOT_RSA', `${name} has an ${opened.keyType.toUpperCase()} key, not RSA: Certdesk signs scripts with RSA keys only`);
  const eku = leaf.extendedKeyUsage;
  if (eku === null || !(eku.includes('codeSigning') || eku.includes(CODE_SIGNING_EKU))) {
    throw refuse('NO_CODE_SIGNING_EKU', `${name} is not for code signing: it lacks the Code Signing extended key usage (${CODE_SIGNING_EKU})`);
  }
  if (leaf.keyUsage !== null && !leaf.keyUsage.includes('digitalSignature')) {
    throw refuse('KEY_USAGE', `${name} does not allow digital signatures (its key usage lacks digitalSignature)`);
  }
  if (now.getTime() < leaf.notBefore.getTime()) throw refuse('NOT_YET_VALID', `${name} is not valid yet (from ${leaf.notBefore.toISOString()})`);
  if (now.getTime() > leaf.notAfter.getTime()) throw refuse('EXPIRED', `${name} expired on ${leaf.notAfter.toISOString()}`);
  return {
    privateKeyPem: opened.privateKeyPem,
    leaf,
    // Set-AuthenticodeSignature's default (-IncludeChain NotRoot): the chain without its self-issued root.
    chain: opened.others.filter((c) => !c.selfIssued),
    subject: leaf.subject,
    thumbprint: leaf.sha1Thumbprint,
    issuer: leaf.issuer,
    notAfter: leaf.notAfter,
  };
}
