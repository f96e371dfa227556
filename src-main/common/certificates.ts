import type { Finding } from './findings.js';
import type { RequestStatus } from './requests.js';

/** What identifies a certificate to an admin, as plain data (shared by stored and decoded views). */
export interface CertificateIdentity {
  /** RFC 4514 rendering, most specific first, e.g. `CN=webext.contoso.com, O=Contoso`. */
  subject: string;
  issuer: string;
  /** Uppercase hex, as Windows shows it. */
  serialNumber: string;
  /** ISO-8601. */
  notBefore: string;
  notAfter: string;
  /** SHA-1 of the certificate DER, uppercase hex without separators: the Windows "Thumbprint". */
  thumbprint: string;
  /** SHA-256 of the certificate DER, lowercase hex. */
  sha256: string;
  /** e.g. `RSA 2048`, `EC P-384`. */
  keyAlgorithm: string;
  signatureAlgorithm: string;
}

/** The issued certificate as a request record keeps it (plain data; the PEM is in the request folder). */
export interface CertificateSummary extends CertificateIdentity {
  /** dNSName SANs as issued. */
  sans: string[];
  /** ISO-8601 time of the import. */
  importedAt: string;
}

/** One certificate of a built chain, leaf first. */
export interface ChainEntry {
  role: 'leaf' | 'intermediate' | 'root';
  subject: string;
  issuer: string;
  /** Where it came from: the imported answer or the stored CA certificates. */
  source: 'answer' | 'ca-store';
  sha256: string;
  thumbprint: string;
  notBefore: string;
  notAfter: string;
  keyAlgorithm: string;
  /** Its signature verified with the issuer's key (a root: with its own). */
  signatureVerified: boolean;
}

/** What an import checked and found: shown by the CLI, the app and `--json`. */
export interface ImportReport {
  /** The certificate's public key equals the request's (always true for a matched answer). */
  keyMatches: boolean;
  subject: string;
  requestedSubject: string;
  sansRequested: string[];
  sansIssued: string[];
  /** Requested names the certificate lacks (refused unless accepted). */
  sansMissing: string[];
  /** Names the certificate carries that were not requested. */
  sansExtra: string[];
  /** Null when the extension is absent. */
  keyUsage: string[] | null;
  keyUsageCritical: boolean;
  extendedKeyUsage: string[] | null;
  notBefore: string;
  notAfter: string;
  /** notAfter - notBefore, inclusive, in whole days as the CA/Browser Forum counts them. */
  validityDays: number;
  chain: ChainEntry[];
  /** The chain reaches a self-signed root and every signature verified. */
  chainComplete: boolean;
  /** The file's certificates were not in leaf-to-root order (the stored chain is). */
  chainReordered: boolean;
  /** Each difference that blocks the import unless it is accepted (`--accept-mismatch`). */
  mismatches: string[];
  /** Every check result with a stable code. */
  findings: Finding[];
  /** The messages of the warning findings, for quick display. */
  warnings: string[];
}

/** The outcome of importing a CA answer. */
export interface ImportResult {
  requestId: string;
  status: RequestStatus;
  /** The same certificate was already imported; caCertificatesAdded and chainUpdated say what this answer still added. */
  alreadyImported: boolean;
  /** Mismatches were present and accepted explicitly. */
  mismatchAccepted: boolean;
  certificate: CertificateSummary;
  report: ImportReport;
  /** SHA-256 of CA certificates from the answer newly added to the CA store. */
  caCertificatesAdded: string[];
  /** A re-import replaced the stored chain (chain.pem) with this answer's more complete one. */
  chainUpdated?: boolean;
}

/** A stored CA certificate as `certdesk ca list` shows it. */
export interface CaCertificateInfo {
  subject: string;
  issuer: string;
  /** Self-signed (its own key verifies it): a root. */
  root: boolean;
  notBefore: string;
  notAfter: string;
  expired: boolean;
  sha256: string;
  thumbprint: string;
  keyAlgorithm: string;
}

/** The outcome of `ca import`. */
export interface CaImportResult {
  added: CaCertificateInfo[];
  /** Already in the store: unchanged. */
  existing: CaCertificateInfo[];
  /** Warnings, e.g. an intermediate whose issuer is not stored yet. */
  findings: Finding[];
}

/** How one link of a stored certificate's chain stands today. */
export type ChainLinkStatus = 'ok' | 'expired' | 'not-yet-valid' | 'bad-signature';

/** One SAN of a request compared with its issued certificate. */
export interface SanComparison {
  name: string;
  requested: boolean;
  issued: boolean;
}

/**
 * requests.certificate: the issued certificate of a request as an admin checks it (certlm.msc's
 * General, Details and Certification Path tabs): identity, days left, key usages, SANs requested vs
 * issued, and the chain rebuilt today from the stored chain and CA certificates, each link's status.
 */
export interface CertificateDetail extends CertificateIdentity {
  requestId: string;
  /** The issuer's CN (or its whole name when it has none). */
  issuerCommonName: string;
  /** Whole days until notAfter, rounded down (negative once expired). */
  daysLeft: number;
  keyUsage: string[] | null;
  keyUsageCritical: boolean;
  extendedKeyUsage: string[] | null;
  sans: SanComparison[];
  /** Leaf first; the leaf's status covers its validity too. */
  chain: (ChainEntry & { status: ChainLinkStatus })[];
  /** The chain reaches a self-signed root and every signature verified. */
  chainComplete: boolean;
  /** When incomplete: the issuer no stored certificate matches. */
  missingIssuer: string | null;
  /** The certificate (public), PEM, for "Save certificate". */
  pem: string;
}
