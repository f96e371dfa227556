import type { DecodedCertificate, DecodedFile } from '../common/api.js';
import { renderCsrText } from '../common/csr.js';
import { CertdeskError } from '../common/errors.js';
import { type Certificate, describeCertificate, parseCertificate } from '../pki/certificate.js';
import { parseCertificateFile } from '../pki/certificate-file.js';
import { parseCsr } from '../pki/csr-decode.js';
import { decodePemBlocks } from '../pki/pem.js';
import { looksLikePfx, readPfxCertificatesWithoutPassword } from '../pki/pfx-certificates.js';
import { parsePfx } from '../pki/pkcs12-parse.js';
import { renderCertificatesText } from './certificate-text.js';

/**
 * Reading certificate files for display (the Decode view, `certdesk cert decode`): certificates in
 * PEM or DER, PKCS#7 bundles, and the certificates of a PFX that does not need its password for them.
 */

/** What `cert decode` reports: the file, what kind of container it was, and every certificate in it. */
export interface CertificateFileDecode {
  fileName: string;
  container: 'certificates' | 'pfx';
  /** False for a PFX read without its password: its integrity check (MAC) needs the password. */
  integrityChecked: boolean;
  certificates: DecodedCertificate[];
}

/** The plain-data view of a certificate, as decode shows it. */
export function toDecodedCertificate(c: Certificate): DecodedCertificate {
  return {
    ...describeCertificate(c),
    publicKeySha256: c.publicKeySha256,
    dnsNames: [...c.dnsNames],
    ipAddresses: [...c.ipAddresses],
    keyUsage: c.keyUsage ? [...c.keyUsage] : null,
    extendedKeyUsage: c.extendedKeyUsage ? [...c.extendedKeyUsage] : null,
    isCa: c.isCa,
    selfIssued: c.selfIssued,
  };
}

/**
 * A PFX's certificates without its password: opened with the empty password when that is its
 * password (MAC checked), else read from its unencrypted safes (pki/pfx-certificates.ts, MAC
 * unchecked). A PFX whose certificates are encrypted with a password is one INVALID_INPUT line.
 */
async function pfxCertificates(fileName: string, bytes: Uint8Array): Promise<CertificateFileDecode> {
  const decoded = (ders: Uint8Array[], integrityChecked: boolean): CertificateFileDecode => ({
    fileName,
    container: 'pfx',
    integrityChecked,
    certificates: ders.map((der) => toDecodedCertificate(parseCertificate(der))),
  });
  try {
    const opened = await parsePfx(bytes, '');
    if (opened.certificates.length === 0) throw new CertdeskError('PARSE_ERROR', `${fileName}: the PFX holds no certificate`);
    return decoded(opened.certificates.map((c) => c.der), true);
  } catch (e) {
    // Only "not the empty password" moves on; a damaged or unsupported file is reported as it is.
    if (!(e instanceof CertdeskError && e.code === 'INVALID_INPUT')) {
      if (e instanceof CertdeskError && e.code === 'PARSE_ERROR' && !e.message.startsWith(fileName)) throw new CertdeskError('PARSE_ERROR', `${fileName}: ${e.message}`);
      throw e;
    }
  }
  return decoded(readPfxCertificatesWithoutPassword(bytes, fileName), false);
}

/**
 * Every certificate in a file: PEM or DER certificates and bundles, PKCS#7 (.p7b/.p7c, PEM or DER),
 * or a PFX (.pfx/.p12) whose certificates can be read without its password. One PARSE_ERROR or
 * INVALID_INPUT line naming the file otherwise.
 */
export async function decodeCertificateFile(fileName: string, bytes: Uint8Array): Promise<CertificateFileDecode> {
  if (looksLikePfx(bytes)) return pfxCertificates(fileName, bytes);
  const certificates = parseCertificateFile(bytes, fileName).map(toDecodedCertificate);
  return { fileName, container: 'certificates', integrityChecked: true, certificates };
}

/** True when the bytes look like a CSR: a PEM REQUEST block. */
function looksLikeCsr(bytes: Uint8Array): boolean {
  try {
    return decodePemBlocks(bytes).some((b) => b.label?.includes('REQUEST') === true);
  } catch {
    return false;
  }
}

/** Any CSR, certificate, PKCS#7 or password-less PFX file, decoded for reading (decode.file). */
export async function decodeAnyFile(fileName: string, bytes: Uint8Array): Promise<DecodedFile> {
  if (looksLikeCsr(bytes)) {
    const csr = parseCsr(bytes);
    return { kind: 'csr', fileName, csr, text: renderCsrText(csr) };
  }
  let certError: unknown;
  try {
    const { certificates } = await decodeCertificateFile(fileName, bytes);
    return { kind: 'certificates', fileName, certificates, text: renderCertificatesText(certificates) };
  } catch (e) {
    certError = e;
  }
  if (looksLikePfx(bytes)) throw certError;
  // Unlabelled DER or bare base64 may be a CSR: try that before reporting the certificate error.
  try {
    const csr = parseCsr(bytes);
    return { kind: 'csr', fileName, csr, text: renderCsrText(csr) };
  } catch {
    if (certError instanceof CertdeskError) {
      throw new CertdeskError('PARSE_ERROR', `${fileName} is neither a certificate request nor a certificate: ${certError.message}`);
    }
    throw certError;
  }
}
