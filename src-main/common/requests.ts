import type { CertificateSummary } from './certificates.js';
import type { ExportRecord } from './exports.js';
import type { Finding } from './findings.js';
import type { RequestTopology } from './topologies.js';

/** RSA sizes the profile allows (pki.md section 1): 2048 is the procedure's default. */
export const KEY_SIZES = [2048, 3072, 4096] as const;
/** One of the allowed RSA key sizes. */
export type KeySize = (typeof KEY_SIZES)[number];

/** CSR output formats as the procedure names them: Base64 (PEM) or Binary (DER). */
export type CsrFormat = 'base64' | 'der';

/** Request lifecycle. Later issues add states; never rename one (scripts filter on them). */
export const REQUEST_STATUSES = ['pending', 'issued', 'exported', 'deployed', 'revoked', 'superseded'] as const;
/** One lifecycle state of a request. `superseded`: its renewal is deployed on every node of a farm. */
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/**
 * Where a request came from when Certdesk did not generate its key: `adopted` is a certificate and key
 * taken in from a PFX made elsewhere (`certdesk pfx import`); it has no CSR. Absent: made here.
 */
export type RequestOrigin = 'adopted';

/** Subject distinguished name parts the profile allows (CN plus optional O, OU, L, ST, C). */
export interface SubjectFields {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  locality?: string;
  state?: string;
  /** Two-letter ISO 3166 code. */
  country?: string;
}

/** What the user asks for; the service fills in the profile (KU, EKU, key type). */
export interface NewRequestInput {
  subject: SubjectFields;
  /** Extra dNSName SANs; the CN is added automatically when missing. */
  sans: string[];
  friendlyName?: string;
  description?: string;
  keySize?: KeySize;
  /** Default true: the procedure exports the key to every proxy in the farm. */
  exportable?: boolean;
  /** Default true: Microsoft enrollment CSP attribute (KeySpec 1, SChannel CSP). */
  windowsAttributes?: boolean;
  /**
   * The topology the names were planned from: the request records it (record field `topology`) and
   * keeps a copy in its folder, and without a friendly name gets `Reverse proxy <subject> <yyyy-mm>`.
   */
  fromTopology?: TopologyForRequest;
}

/** NewRequestInput.fromTopology: which topology, its JSON text, and the plan's certificate number. */
export interface TopologyForRequest {
  kind: RequestTopology['kind'];
  /** The stored topology's name, the file's base name, or a label for the app's form. */
  source: string;
  /** The topology JSON (validated again and stored in canonical form). */
  text: string;
  /** The 1-based certificate of the plan. */
  certificate: number;
}

/** One entry of a request's history (also mirrored to the audit log for key events). */
export interface HistoryEvent {
  /** ISO-8601 time. */
  at: string;
  /** Stable event name, e.g. `key-generated`, `csr-created`, `certificate-imported`, `pfx-exported`. */
  event: string;
  /** Plain-language detail; never key material or passwords. */
  detail: string;
}

/** A stored request as the API, the CLI's --json and the store's request.json show it. */
export interface RequestRecord {
  schemaVersion: 1;
  id: string;
  friendlyName: string;
  description: string;
  /** The CN (the FQDN the request is for). */
  subject: string;
  /** All subject parts. */
  subjectFields: SubjectFields;
  /** RFC 4514-style rendering, e.g. `CN=webext.contoso.com, O=Contoso`. */
  distinguishedName: string;
  /** dNSName SANs in the CSR, A-labels, CN included. */
  sans: string[];
  keyAlgorithm: 'RSA';
  keySize: KeySize;
  exportable: boolean;
  /** Key type as MMC shows it; only Exchange (AT_KEYEXCHANGE = 1) is made. */
  keySpec: 'exchange';
  windowsAttributes: boolean;
  status: RequestStatus;
  /** ISO-8601. */
  createdAt: string;
  updatedAt: string;
  /** SHA-256 of the SubjectPublicKeyInfo DER, lowercase hex: how CA answers find their key. */
  publicKeySha256: string;
  /** SHA-256 of the CSR DER, lowercase hex. Absent only on an adopted request (it never had a CSR here). */
  csrSha256?: string;
  /** `adopted` for a certificate taken in from a PFX; absent for a request made by Certdesk. */
  origin?: RequestOrigin;
  /** The id of the request this one renews (same names, new key). */
  renews?: string;
  /** Name-rule findings at creation time (warnings and info; errors refuse the request). */
  findings: Finding[];
  history: HistoryEvent[];
  /** The issued certificate, once the CA's answer is imported (certificate.pem and chain.pem sit beside). */
  certificate?: CertificateSummary;
  /** Every PFX export, oldest first. */
  exports?: ExportRecord[];
  /** The topology the request was planned from (its copy is `topology.json` in the request folder). */
  topology?: RequestTopology;
}

/** One request of a renewal chain as `request show` lists it (oldest first). */
export interface RenewalChainEntry {
  id: string;
  status: RequestStatus;
  subject: string;
  /** ISO-8601. */
  createdAt: string;
  /** The request this one renews. */
  renews?: string;
  /** The certificate's SHA-1 thumbprint and end of validity, once issued. */
  thumbprint?: string;
  notAfter?: string;
}

/** A name a renewal adds or drops, with the plan's reasons (why it is, or was, in the plan). */
export interface NameChange {
  name: string;
  reasons: string[];
}

/** The names a plan gives a renewal, compared with the request it renews. */
export interface PlannedNames {
  subject: string;
  sans: string[];
  added: NameChange[];
  removed: NameChange[];
  /** Where the plan came from: the request's kept topology copy, a topology file, a stored topology. */
  from: 'request-topology' | 'file' | 'stored';
  /** The topology's name (stored), base name (file) or the source the request recorded. */
  source: string;
}

/**
 * What a renewal will carry, worked out before any key is generated (`request renew` prints it, the
 * app's Renew panel shows it): the names the request has now, the names a plan gives, which are used,
 * and the pending renewals that make a new one a CONFLICT without `force`.
 */
export interface RenewalPreview {
  /** The request renewed. */
  renews: string;
  current: { subject: string; sans: string[] };
  /** The plan's names, when a plan was given or the request keeps its topology; null otherwise. */
  planned: PlannedNames | null;
  /** `planned` when the renewal takes the plan's names, `current` when it keeps the old ones. */
  use: 'current' | 'planned';
  /** True when the kept topology plans other names and `replan` was not asked: the old names are kept. */
  planDiffers: boolean;
  /** Why the kept topology could not be planned again (the old names are kept then). */
  planProblem?: string;
  /** Renewals of this request still pending (no certificate yet). */
  pendingRenewals: string[];
}
