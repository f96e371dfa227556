import { randomBytes } from 'node:crypto';
import type { RequestRecord, RequestStatus } from '../common/requests.js';
import { summarizeRequest, type RequestSummariesSince, type RequestSummary } from '../common/request-summary.js';
import { openStoreIfExists, type ServiceContext } from './context.js';
import { listRequests } from './requests.js';

/**
 * Summaries per record object, for filtered listings. In long-running processes the request index
 * keeps its records in memory, frozen, and hands the same objects to every listing
 * (store/request-index.ts), so a summary is built once per version of a request.json: a changed file
 * is a new record object, and a dropped one is collected with its record. (Unfiltered listings get
 * the summary index's objects, kept the same way.)
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
 * What the Requests view lists: the same requests, order and filters as listRequests, each as a
 * RequestSummary instead of the full record. Unfiltered (the view's own listing) through the
 * summary index, which never parses a full record that has not changed; filtered through the full
 * records, since the search also covers fields the rows do not carry (the distinguished name).
 */
export async function listRequestSummaries(ctx: ServiceContext, f: { status?: RequestStatus; search?: string } = {}): Promise<RequestSummary[]> {
  if (f.status !== undefined || (f.search?.trim() ?? '') !== '') return (await listRequests(ctx, f)).map(summaryOf);
  const store = await openStoreIfExists(ctx);
  if (!store) return [];
  const { summaries, problems } = await store.scanRequestSummaries();
  for (const p of problems) ctx.warn?.(`skipped request ${p.id}: ${p.message}`);
  return summaries;
}

/**
 * The Requests view's listing once at launch, its result dropped, for the app and the browser-mode
 * server while the window loads: the summary index is read into memory (and rewritten if stale),
 * the request folders' inodes come into the OS cache and the listing's code is compiled. The view's
 * own listing then still stats and compares every request.json: nothing from this one is trusted
 * later but the summary index, which is checked as always. Silent (its warnings would repeat the
 * view's own) and never fails: it is only a head start.
 */
export async function warmRequestSummaries(ctx: ServiceContext): Promise<void> {
  await listRequestSummaries({ storeDir: ctx.storeDir, secrets: ctx.secrets, existingStoreOnly: true }).catch(() => undefined);
}

/**
 * The last full listing per store folder and its version. Summaries are the same objects while their
 * request.json is unchanged (the summary index's memory), so an unchanged listing is one with the same objects in
 * the same order: no hashing of 10,000 rows. The version starts with a random prefix per process, so
 * a version from an earlier run (a reloaded page after a restart) never matches by accident.
 */
const lastListing = new Map<string, { summaries: RequestSummary[]; version: string }>();
const RUN = randomBytes(6).toString('hex');
let listings = 0;

/** requests.summariesSince: every summary and the listing's version, or null summaries when `known` is that version. */
export async function listRequestSummariesSince(ctx: ServiceContext, known?: string): Promise<RequestSummariesSince> {
  const summaries = await listRequestSummaries(ctx);
  const last = lastListing.get(ctx.storeDir);
  const same = last !== undefined && last.summaries.length === summaries.length && last.summaries.every((s, i) => s === summaries[i]);
  const version = same ? last.version : `${RUN}-${++listings}`;
  if (!same) {
    lastListing.delete(ctx.storeDir);
    lastListing.set(ctx.storeDir, { summaries, version });
    // The app has one store; tests and tools may open a few (as the request index's memory does).
    if (lastListing.size > 4) lastListing.delete(lastListing.keys().next().value as string);
  }
  return { version, summaries: known === version ? null : summaries };
}
