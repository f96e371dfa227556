import type { Finding } from '../common/findings.js';
import type { Certificate } from './certificate.js';

/**
 * Compares an issued certificate with what was requested (docs/pki.md sections 1 and 3). Missing SANs
 * and a missing serverAuth EKU are mismatches (refused unless the admin accepts them); an expired
 * certificate is refused outright; the rest are warnings that the report shows.
 */

/** What the request asked for. */
export interface RequestedProfile {
  commonName: string;
  /** A-labels, CN included. */
  sans: readonly string[];
}

/** The comparison result. */
export interface CertificateCheck {
  sansMissing: string[];
  sansExtra: string[];
  /** Plain-language differences that block the import unless accepted. */
  mismatches: string[];
  /** The certificate has expired: never importable. */
  expired: boolean;
  /** notAfter - notBefore + 1 s, in days (CA/Browser Forum counting). */
  validityDays: number;
  findings: Finding[];
}

const DAY_MS = 86_400_000;

/**
 * The longest validity a public CA may issue for a certificate whose notBefore is `notBefore`
 * (CA/Browser Forum ballot SC-081 as quoted in docs/pki.md section 3; 398 days before it took effect).
 */
export function publicCaMaxValidityDays(notBefore: Date): number {
  const t = notBefore.getTime();
  if (t >= Date.UTC(2029, 2, 15)) return 47;
  if (t >= Date.UTC(2027, 2, 15)) return 100;
  if (t >= Date.UTC(2026, 2, 15)) return 200;
  return 398;
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Checks `cert` (whose key already matched) against the request, at time `now`. */
export function checkIssuedCertificate(cert: Certificate, requested: RequestedProfile, now: Date): CertificateCheck {
  const findings: Finding[] = [];
  const mismatches: string[] = [];
  const issued = new Set(cert.dnsNames.map((n) => n.toLowerCase()));
  const wanted = new Set(requested.sans.map((n) => n.toLowerCase()));
  const sansMissing = requested.sans.filter((n) => !issued.has(n.toLowerCase()));
  const sansExtra = cert.dnsNames.filter((n) => !wanted.has(n.toLowerCase()));
  if (sansMissing.length > 0) {
    const msg = `the certificate lacks requested SAN${sansMissing.length > 1 ? 's' : ''} ${sansMissing.join(', ')}`;
    mismatches.push(msg);
    findings.push({ code: 'CERT_SANS_MISSING', severity: 'error', message: msg });
  }
  if (sansExtra.length > 0) {
    findings.push({ code: 'CERT_SANS_EXTRA', severity: 'warning', message: `the certificate carries SANs that were not requested: ${sansExtra.join(', ')}` });
  }
  if (cert.ipAddresses.length > 0) {
    findings.push({ code: 'CERT_IP_SANS', severity: 'info', message: `the certificate also names IP addresses: ${cert.ipAddresses.join(', ')}` });
  }

  if (cert.commonName === null) {
    findings.push({ code: 'CERT_NO_CN', severity: 'warning', message: 'the certificate subject has no CN (TMG 2010 shows and matches listeners by the CN)' });
  } else if (cert.commonName.toLowerCase() !== requested.commonName.toLowerCase()) {
    findings.push({ code: 'CERT_SUBJECT_DIFFERS', severity: 'warning', message: `the certificate's CN is ${cert.commonName}, the request asked for ${requested.commonName}` });
  }
  if (cert.commonName !== null && !issued.has(cert.commonName.toLowerCase())) {
    findings.push({ code: 'CERT_CN_NOT_IN_SAN', severity: 'warning', message: `the subject name ${cert.commonName} is not among the SANs (Lync requires it there)` });
  }

  const eku = cert.extendedKeyUsage;
  if (eku === null) {
    findings.push({ code: 'CERT_NO_EKU', severity: 'info', message: 'the certificate has no extended key usage extension, so it is valid for any purpose' });
  } else {
    if (!eku.includes('serverAuth') && !eku.includes('anyExtendedKeyUsage')) {
      const msg = `the certificate is not valid for server authentication (its extended key usage is ${eku.join(', ') || 'empty'})`;
      mismatches.push(msg);
      findings.push({ code: 'CERT_NO_SERVER_AUTH', severity: 'error', message: msg });
    }
    if (!eku.includes('clientAuth') && !eku.includes('anyExtendedKeyUsage')) {
      findings.push({ code: 'CERT_NO_CLIENT_AUTH', severity: 'warning', message: 'the certificate lacks the clientAuth extended key usage the procedure requests' });
    }
  }
  const ku = cert.keyUsage;
  if (ku !== null) {
    const lacking = ['digitalSignature', 'keyEncipherment'].filter((u) => !ku.includes(u));
    if (lacking.length > 0) {
      findings.push({
        code: 'CERT_KEY_USAGE',
        severity: 'warning',
        message: `the key usage lacks ${lacking.join(' and ')} (TLS with RSA key exchange, as TMG 2010 uses it, needs keyEncipherment)`,
      });
    }
  }
  if (cert.isCa === true) {
    findings.push({ code: 'CERT_IS_CA', severity: 'warning', message: 'the certificate is marked as a CA certificate (basicConstraints cA:TRUE)' });
  }

  const validityDays = Math.ceil((cert.notAfter.getTime() - cert.notBefore.getTime() + 1000) / DAY_MS);
  const expired = cert.notAfter.getTime() < now.getTime();
  if (expired) {
    findings.push({ code: 'CERT_EXPIRED', severity: 'error', message: `the certificate expired on ${day(cert.notAfter)}` });
  } else if (cert.notBefore.getTime() > now.getTime()) {
    findings.push({ code: 'CERT_NOT_YET_VALID', severity: 'warning', message: `the certificate is valid only from ${cert.notBefore.toISOString()} (check this computer's clock)` });
  } else if (cert.notAfter.getTime() - now.getTime() < 30 * DAY_MS) {
    findings.push({ code: 'CERT_EXPIRES_SOON', severity: 'warning', message: `the certificate expires on ${day(cert.notAfter)}, in less than 30 days` });
  }
  const max = publicCaMaxValidityDays(cert.notBefore);
  if (validityDays > max) {
    // Certdesk cannot tell a public CA from an internal one, so this warns for every chain.
    findings.push({
      code: 'CERT_VALIDITY_TOO_LONG',
      severity: 'warning',
      message: `the certificate is valid for ${validityDays} days, longer than the ${max} days a public CA may issue from ${day(cert.notBefore)} (fine for an internal CA; browsers reject it from a public one)`,
    });
  }
  return { sansMissing, sansExtra, mismatches, expired, validityDays, findings };
}
