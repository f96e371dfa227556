import { CertdeskError } from '../common/errors.js';
import type { NewRequestInput, RequestRecord } from '../common/requests.js';
import type { PlanSource } from '../common/topologies.js';
import { validateTopology } from '../planning/topology-schema.js';
import { checkNameSet } from '../pki/names.js';
import type { ServiceContext } from './context.js';
import { loadStoredPlanForRequest, type PlanForRequest, planForRequest } from './plans.js';
import { createRequest } from './request-create.js';

/** The label a form topology gets in the request record when the app gives none. */
const FORM_SOURCE = 'Plan view';

function samePlannedNames(input: Omit<NewRequestInput, 'fromTopology'>, planned: PlanForRequest): boolean {
  // The names as the request would carry them (A-labels, the CN added), compared as sets.
  const given = checkNameSet(input.subject.commonName, input.sans ?? []);
  const a = new Set(given.sans.map((n) => n.toLowerCase()));
  const b = new Set(planned.sans.map((n) => n.toLowerCase()));
  return given.commonName.toLowerCase() === planned.commonName.toLowerCase() && a.size === b.size && [...a].every((n) => b.has(n));
}

/**
 * Creates a request whose names come from a plan (the app's `requests.create` with `fromTopology`):
 * a stored topology by name, or the topology of the Plan view's form. It is planned here again, so
 * the request records exactly the topology its names came from (kind, source, SHA-256, certificate)
 * and keeps a copy, as `certdesk request new --topology NAME` does. The caller may leave the CN and
 * SANs empty (the plan fills them in) or send the plan's names; other names are refused, because a
 * request that records a topology must carry that topology's names.
 */
export async function createRequestFromPlan(ctx: ServiceContext, input: Omit<NewRequestInput, 'fromTopology'>, from: PlanSource): Promise<RequestRecord> {
  let planned: PlanForRequest;
  if (from.kind === 'stored') {
    planned = await loadStoredPlanForRequest(ctx, from.name, from.certificate);
  } else {
    const source = (from.source ?? '').trim() || FORM_SOURCE;
    planned = planForRequest(validateTopology(from.topology, 'the topology'), { kind: 'form', source }, from.certificate);
  }
  const empty = input.subject.commonName.trim() === '' && (input.sans ?? []).length === 0;
  if (!empty && !samePlannedNames(input, planned)) {
    throw new CertdeskError(
      'INVALID_INPUT',
      `the names differ from certificate ${planned.fromTopology.certificate} of the plan (subject ${planned.commonName}, ${planned.sans.length} names): create the request from the plan's names, or without the plan`,
    );
  }
  return createRequest(ctx, { ...input, subject: { ...input.subject, commonName: planned.commonName }, sans: planned.sans, fromTopology: planned.fromTopology });
}
