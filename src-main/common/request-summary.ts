import type { RequestOrigin, RequestRecord, RequestStatus } from './requests.js';

/**
 * One row of the Requests view (the `requests.summaries` RPC): what the table shows, sorts and
 * searches, without the history, findings, exports and certificate details of the full record. With
 * 10,000 requests the full records are about 24 MB of JSON; the summaries a small fraction of that.
 */
export interface RequestSummary {
  id: string;
  friendlyName: string;
  /** The CN. */
  subject: string;
  /** How many dNSName SANs the CSR carries (CN included). */
  sanCount: number;
  status: RequestStatus;
  /** ISO-8601. */
  createdAt: string;
  /** ISO-8601 notAfter of the issued certificate, or null while pending. */
  expires: string | null;
  /** `adopted` for a certificate taken in from a PFX; absent for a request made by Certdesk. */
  origin?: RequestOrigin;
  /** The id of the request this one renews. */
  renews?: string;
  /**
   * Lowercased text the view's search box matches, one field a line: friendly name, subject,
   * description, id and every SAN. Built once per record so filtering is one substring scan per row.
   */
  search: string;
}

/** requests.summariesSince: the listing's version, and its summaries unless the caller has that version already. */
export interface RequestSummariesSince {
  /** Opaque; names one listing's content within one run of main (the app or the browser-mode server). */
  version: string;
  /** Every request, oldest first; null when `version` is the one the caller sent. */
  summaries: RequestSummary[] | null;
}

/** The summary of a record: the single definition, used by the service and by the view's tests. */
export function summarizeRequest(r: RequestRecord): RequestSummary {
  return {
    id: r.id,
    friendlyName: r.friendlyName,
    subject: r.subject,
    sanCount: r.sans.length,
    status: r.status,
    createdAt: r.createdAt,
    expires: r.certificate?.notAfter ?? null,
    ...(r.origin !== undefined ? { origin: r.origin } : {}),
    ...(r.renews !== undefined ? { renews: r.renews } : {}),
    search: [r.friendlyName, r.subject, r.description, r.id, ...r.sans].join('\n').toLowerCase(),
  };
}
