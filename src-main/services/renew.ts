import { CertdeskError } from '../common/errors.js';
import type { KeySize, NewRequestInput, PlannedNames, RenewalPreview, RequestRecord } from '../common/requests.js';
import type { Store } from '../store/store.js';
import { openStore, type ServiceContext } from './context.js';
import { type PlanForRequest, planForRequest } from './plans.js';
import { createRequest } from './request-create.js';
import { readRequestTopology } from './topologies.js';

export type { NameChange, PlannedNames, RenewalPreview } from '../common/requests.js';

/** What to renew and how. */
export interface RenewInput {
  id: string;
  /** Names from this plan (a topology file or a stored topology, resolved by the caller). */
  plan?: { names: PlanForRequest; from: 'file' | 'stored' };
  /** Use the names of the re-planned kept topology even when they differ from the old ones. */
  replan?: boolean;
  /** Default: the renewed request's key size. */
  keySize?: KeySize;
  /** Renew even when a renewal of the request is still pending. */
  force?: boolean;
}

function setEqual(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function compare(record: RequestRecord, names: PlanForRequest, from: PlannedNames['from'], oldReasons: Record<string, string[]>): PlannedNames {
  const old = new Set(record.sans);
  const next = new Set(names.sans);
  return {
    subject: names.commonName,
    sans: names.sans,
    added: names.sans.filter((n) => !old.has(n)).map((name) => ({ name, reasons: names.reasons[name] ?? [] })),
    removed: record.sans.filter((n) => !next.has(n)).map((name) => ({ name, reasons: oldReasons[name] ?? [] })),
    from,
    source: names.fromTopology.source,
  };
}

/** The renewals of `id` that are still pending. */
function pendingRenewalsOf(records: readonly RequestRecord[], id: string): string[] {
  return records.filter((r) => r.renews === id && r.status === 'pending').map((r) => r.id);
}

/** A request can be renewed when it has a certificate or a CSR: every stored request has one or both. */
function assertRenewable(record: RequestRecord): void {
  if (!record.certificate && record.csrSha256 === undefined) {
    throw new CertdeskError('INVALID_INPUT', `request ${record.id} has neither a certificate nor a CSR to renew`);
  }
}

/** The kept topology re-planned, or the reason it cannot be (a request damaged or made from an older planner's topology). */
async function replanKept(ctx: ServiceContext, record: RequestRecord): Promise<{ names: PlanForRequest } | { problem: string } | null> {
  if (!record.topology) return null;
  try {
    const kept = await readRequestTopology(ctx, record.id);
    if (!kept) return null;
    return { names: planForRequest(kept.topology, { kind: kept.origin.kind, source: kept.origin.source }, kept.origin.certificate) };
  } catch (e) {
    if (e instanceof CertdeskError) return { problem: e.message };
    throw e;
  }
}

/**
 * What renewing `input.id` would give, without generating anything. With `input.plan` the names come
 * from that plan; otherwise a request made from a plan is planned again from its kept topology copy,
 * whose names are used only with `replan` when they differ from the old ones.
 */
export async function previewRenewal(ctx: ServiceContext, input: Omit<RenewInput, 'keySize' | 'force'>): Promise<RenewalPreview> {
  const store = await openStore(ctx, { mustExist: true });
  const id = await store.resolveId(input.id);
  const record = await store.getRequest(id);
  assertRenewable(record);
  const pendingRenewals = pendingRenewalsOf(await store.listRequests(), id);
  const current = { subject: record.subject, sans: record.sans };
  const base = { renews: id, current, pendingRenewals };
  const kept = await replanKept(ctx, record);
  // Reasons for dropped names come from the plan the old request was made from, when it has one.
  const oldReasons = kept && 'names' in kept ? kept.names.reasons : {};
  if (input.plan) {
    return { ...base, planned: compare(record, input.plan.names, input.plan.from, oldReasons), use: 'planned', planDiffers: false };
  }
  if (kept === null) return { ...base, planned: null, use: 'current', planDiffers: false };
  if ('problem' in kept) {
    if (input.replan === true) throw new CertdeskError('INVALID_INPUT', `the topology kept with request ${id} cannot be planned again: ${kept.problem}`);
    return { ...base, planned: null, use: 'current', planDiffers: false, planProblem: kept.problem };
  }
  const planned = compare(record, kept.names, 'request-topology', oldReasons);
  const differs = planned.subject !== record.subject || !setEqual(planned.sans, record.sans);
  return { ...base, planned, use: differs && input.replan !== true ? 'current' : 'planned', planDiffers: differs && input.replan !== true };
}

/** The renewal's request: the old one's fields with new names when a plan decides them. */
function renewalInput(record: RequestRecord, preview: RenewalPreview, names: PlanForRequest | null, keySize: KeySize | undefined): NewRequestInput {
  const planned = preview.use === 'planned' && names !== null;
  return {
    // The old subject's O/OU/L/ST/C stay; a plan decides only the CN and the SANs.
    subject: { ...record.subjectFields, commonName: planned ? names.commonName : record.subject },
    sans: planned ? names.sans : record.sans,
    // Unchanged, even when empty: bindings by friendly name on the proxies keep working.
    friendlyName: record.friendlyName,
    description: record.description,
    keySize: keySize ?? record.keySize,
    exportable: record.exportable,
    windowsAttributes: record.windowsAttributes,
    // The renewal keeps the topology only when its names are that plan's.
    ...(planned ? { fromTopology: names.fromTopology } : {}),
  };
}

/**
 * Renews a request: a new key pair and CSR with the same subject fields, SANs, friendly name,
 * description, key type, exportability and Windows attributes (names from a plan when `plan` is given
 * or `replan` is asked). The new record carries `renews`, the old one gets a `renewed-by` event.
 * CONFLICT, naming it, when a renewal of the request is still pending, unless `force`.
 */
export async function renewRequest(ctx: ServiceContext, input: RenewInput): Promise<{ record: RequestRecord; preview: RenewalPreview }> {
  const preview = await previewRenewal(ctx, input);
  const conflict = (pending: string[]): void => {
    if (pending.length > 0 && input.force !== true) {
      throw new CertdeskError('CONFLICT', `request ${preview.renews} is already being renewed by pending request ${pending.join(', ')}; finish or delete that one, or renew again anyway (force)`);
    }
  };
  conflict(preview.pendingRenewals);
  const store = await openStore(ctx, { mustExist: true });
  const record = await store.getRequest(preview.renews);
  const names = input.plan ? input.plan.names : preview.planned && preview.use === 'planned' ? await keptNames(ctx, record) : null;
  const changed = preview.use === 'planned' && preview.planned ? `${preview.planned.added.length} name(s) added, ${preview.planned.removed.length} removed by the plan` : 'same names';
  const detail = `new key, ${changed}, same friendly name${record.origin === 'adopted' ? '; the renewed certificate was adopted from a PFX' : ''}`;
  const created = await createRequest(ctx, renewalInput(record, preview, names, input.keySize), {
    renews: preview.renews,
    detail,
    check: async (s: Store) => conflict(pendingRenewalsOf(await s.listRequests(), preview.renews)),
  });
  return { record: created, preview };
}

async function keptNames(ctx: ServiceContext, record: RequestRecord): Promise<PlanForRequest | null> {
  const kept = await replanKept(ctx, record);
  return kept && 'names' in kept ? kept.names : null;
}
