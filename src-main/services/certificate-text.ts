import type { DecodedCertificate } from '../common/api.js';
import { escapeUntrusted } from '../common/escape.js';

function colon(hex: string): string {
  return hex.match(/.{1,2}/g)?.join(':') ?? hex;
}

/**
 * A certutil -dump-like text of the certificates in a file, for the Decode view and `cert decode`.
 * Every value came from a file someone sent: control and bidi characters are shown escaped.
 */
export function renderCertificatesText(certs: readonly DecodedCertificate[]): string {
  const lines: string[] = [];
  const out = { push: (line: string) => lines.push(escapeUntrusted(line)) };
  certs.forEach((c, i) => {
    if (certs.length > 1) out.push(`================ Certificate ${i} ================`);
    out.push(`Serial Number: ${c.serialNumber}`);
    out.push(`Issuer: ${c.issuer}`);
    out.push(` NotBefore: ${c.notBefore}`);
    out.push(` NotAfter: ${c.notAfter}`);
    out.push(`Subject: ${c.subject}`);
    out.push(`Public Key Algorithm: ${c.keyAlgorithm}`);
    out.push(`Signature Algorithm: ${c.signatureAlgorithm}`);
    if (c.isCa !== null) out.push(`Basic Constraints: ${c.isCa ? 'Subject Type=CA' : 'Subject Type=End Entity'}`);
    if (c.keyUsage) out.push(`Key Usage: ${c.keyUsage.join(', ')}`);
    if (c.extendedKeyUsage) out.push(`Enhanced Key Usage: ${c.extendedKeyUsage.join(', ')}`);
    if (c.dnsNames.length + c.ipAddresses.length > 0) {
      out.push('Subject Alternative Name:');
      for (const n of c.dnsNames) out.push(`    DNS Name=${n}`);
      for (const a of c.ipAddresses) out.push(`    IP Address=${a}`);
    }
    if (c.selfIssued) out.push('Root Certificate: Subject matches Issuer');
    out.push(`Cert Hash(sha1): ${c.thumbprint.toLowerCase()}`);
    out.push(`Cert Hash(sha256): ${c.sha256}`);
    out.push(`Public Key Hash(sha256): ${colon(c.publicKeySha256)}`);
    out.push('');
  });
  return lines.join('\n');
}
