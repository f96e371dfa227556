import { CertdeskError } from '../common/errors.js';
import type { SubjectFields } from '../common/requests.js';
import { type Certificate, parseCertificate } from '../pki/certificate.js';
import { parseCertificateFile } from '../pki/certificate-file.js';
import { subjectFieldsOf } from '../pki/certificate-subject.js';
import { looksLikePfx, readPfxCertificatesWithoutPassword } from '../pki/pfx-certificates.js';
import { type InputFile, isCaCertificate } from './ca.js';

/** The names `request new --from-certificate FILE` copies (the name rules run on them afterwards). */
export interface NamesFromCertificate {
  subject: SubjectFields;
  /** The certificate's dNSName SANs, CN first when it is one of them. */
  sans: string[];
  /** The certificate the names come from, for the admin to recognise it. */
  certificate: { subject: string; issuer: string; notAfter: string; thumbprint: string };
}

/** The end-entity certificate of a file that may also carry its chain: the one no other certificate of the file was issued by. */
function leafOf(certs: Certificate[], name: string): Certificate {
  const leaves = certs.filter((c) => !isCaCertificate(c));
  if (leaves.length === 0) throw new CertdeskError('INVALID_INPUT', `${name}: it holds only CA certificates; give the certificate of the reverse proxy itself`);
  if (leaves.length > 1) throw new CertdeskError('INVALID_INPUT', `${name}: it holds ${leaves.length} server certificates; give a file with just the one to copy the names from`);
  return leaves[0] as Certificate;
}

/**
 * Subject fields and SANs of an existing certificate: a .cer/.crt/.pem/.p7b file, or a PFX read
 * without its password (only certificates kept unencrypted in it; never the key). Copied as they are:
 * createRequest runs the name rules on them like on typed names.
 */
export function namesFromCertificate(file: InputFile): NamesFromCertificate {
  const certs = looksLikePfx(file.data) ? readPfxCertificatesWithoutPassword(file.data, file.name).map((der) => parseCertificate(der)) : parseCertificateFile(file.data, file.name);
  const leaf = leafOf(certs, file.name);
  const subject = subjectFieldsOf(leaf);
  if (subject.commonName === '') throw new CertdeskError('INVALID_INPUT', `${file.name}: the certificate has neither a CN nor a DNS name to copy`);
  const sans = [...leaf.dnsNames].sort((a, b) => Number(b === subject.commonName) - Number(a === subject.commonName));
  return { subject, sans, certificate: { subject: leaf.subject, issuer: leaf.issuer, notAfter: leaf.notAfter.toISOString(), thumbprint: leaf.sha1Thumbprint } };
}
