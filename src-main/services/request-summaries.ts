import type { RequestRecord, RequestStatus } from '../common/requests.js';
import { summarizeRequest, type RequestSummary } from '../common/request-summary.js';
import type { ServiceContext } from './context.js';
import { listRequests } from './requests.js';

/**
 * Summaries per record object. In long-running processes the request index keeps its records in
 * memory, frozen, and hands the same objects to every listing (store/request-index.ts), so a
 * summary is built once per version of a request.json: a changed file is a new record object, and a
 * dropped one is collected with its record.
 */
const summaries = new WeakMap<RequestRecord, RequestSummary>();

function summaryOf(r: RequestRecord): RequestSummary {
  let s = summaries.get(r);
  if (s === undefined) {
    s = summarizeRequest(r);
    summaries.set(r, s);
  }
  return s;
}

/**
 * What the Requests view lists: the same requests, order and filters as listRequests (through the
 * request index), each as a RequestSummary instead of the full record.
 */
export async function listRequestSummaries(ctx: ServiceContext, f: { status?: RequestStatus; search?: string } = {}): Promise<RequestSummary[]> {
  return (await listRequests(ctx, f)).map(summaryOf);
}
