import { CertdeskError } from '../common/errors.js';
import { type Certificate, parseCertificate } from './certificate.js';
import { decodePemBlocks } from './pem.js';
import { looksLikePkcs7, parsePkcs7Certificates } from './pkcs7.js';

/**
 * Reads whatever a CA hands back: .cer/.crt/.der (DER or PEM), .pem bundles with the chain in any
 * order, and PKCS#7 certs-only .p7b/.p7c (DER or PEM). Every certificate comes back parsed, deduplicated
 * by SHA-256, in file order.
 */

const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
const PKCS7_LABELS = new Set(['PKCS7', 'PKCS #7 SIGNED DATA', 'CMS']);

function wrongKind(label: string): string {
  if (label.includes('REQUEST')) return 'it is a certificate request (CSR), not the CA\'s answer';
  if (label.includes('PRIVATE KEY')) return 'it holds a private key, not a certificate';
  return `its PEM block "${label}" is not a certificate`;
}

/** The certificates in one file's bytes; PARSE_ERROR naming the file when there are none or it is malformed. */
export function parseCertificateFile(input: Uint8Array, fileName = 'the file'): Certificate[] {
  const out = new Map<string, Certificate>();
  const add = (der: Uint8Array): void => {
    const c = parseCertificate(der);
    if (!out.has(c.sha256)) out.set(c.sha256, c);
  };
  try {
    const blocks = decodePemBlocks(input, { what: 'certificate file' });
    const unknown: string[] = [];
    for (const { label, der } of blocks) {
      if (label === null) {
        if (looksLikePkcs7(der)) parsePkcs7Certificates(der).forEach(add);
        else add(der);
      } else if (CERT_LABELS.has(label)) add(der);
      else if (PKCS7_LABELS.has(label)) parsePkcs7Certificates(der).forEach(add);
      else unknown.push(label);
    }
    if (out.size === 0) {
      throw new CertdeskError('PARSE_ERROR', unknown[0] ? wrongKind(unknown[0]) : 'it holds no certificate');
    }
  } catch (e) {
    if (e instanceof CertdeskError && e.code !== 'INTERNAL') {
      throw new CertdeskError(e.code, `${fileName}: ${e.message}`);
    }
    throw e;
  }
  return [...out.values()];
}
