import type { ApiHandlers, RenewParams } from '../../common/api.js';
import { renderCsrText } from '../../common/csr.js';
import { checkNameSet } from '../../pki/names.js';
import { decodeTopologyText } from '../../planning/topology-file.js';
import { certificateDetail } from '../../services/certificate-detail.js';
import { decodeAnyFile } from '../../services/certificate-decode.js';
import { listDeployments } from '../../services/deployments.js';
import { createRequestFromPlan } from '../../services/plan-requests.js';
import { loadStoredPlanForRequest, planFromText, readTopologyExamples } from '../../services/plans.js';
import { adoptPfx } from '../../services/adopt.js';
import { previewRenewal, type RenewInput, renewRequest } from '../../services/renew.js';
import { listRequestSummaries, listRequestSummariesSince } from '../../services/request-summaries.js';
import { csrFile, saveCertificate, saveCsr } from '../../services/public-files.js';
import { createRequest, deleteRequest, listRequests, showRequest } from '../../services/requests.js';
import type { HandlerDeps } from './deps.js';

type Area =
  | 'names.check' | 'plans.fromText' | 'plans.openFile' | 'plans.examples' | 'requests.create' | 'requests.list' | 'requests.summaries' | 'requests.summariesSince' | 'requests.show' | 'requests.getCsr' | 'requests.saveCsr'
  | 'requests.certificate' | 'requests.saveCertificate' | 'requests.delete' | 'requests.renewPreview' | 'requests.renew' | 'requests.adoptPfx' | 'decode.file';

/** The renew service's input from the RPC's: a stored topology's plan resolved to its names. */
async function renewInput(d: HandlerDeps, p: RenewParams): Promise<RenewInput> {
  const plan = p.topology !== undefined ? { names: await loadStoredPlanForRequest(d.ctx, p.topology, p.certificate), from: 'stored' as const } : undefined;
  return { id: p.id, ...(plan ? { plan } : {}), ...(p.replan !== undefined ? { replan: p.replan } : {}) };
}

/** names.*, plans.*, requests.* and decode.*. */
export function requestHandlers(d: HandlerDeps): Pick<ApiHandlers, Area> {
  return {
    'names.check': (p) => Promise.resolve(checkNameSet(p.commonName, p.sans, p.publicCa === undefined ? {} : { publicCa: p.publicCa })),
    'plans.fromText': (p) => Promise.resolve(planFromText(p.text, 'the topology')),
    'plans.openFile': async (p) => {
      const file = await d.files.readSource(p.source);
      const text = decodeTopologyText(file.bytes, file.name);
      return { fileName: file.name, text, result: planFromText(text, file.name) };
    },
    'plans.examples': () => readTopologyExamples(d.examplesDir),
    'requests.create': (p) => {
      const { fromTopology, ...input } = p;
      return fromTopology === undefined ? createRequest(d.ctx, input) : createRequestFromPlan(d.ctx, input, fromTopology);
    },
    'requests.list': (p) => listRequests(d.ctx, p),
    'requests.summaries': (p) => listRequestSummaries(d.ctx, p),
    'requests.summariesSince': (p) => listRequestSummariesSince(d.ctx, p.version),
    'requests.show': async (p) => {
      const { record, csr, renewalChain } = await showRequest(d.ctx, p.id);
      return { record, csr, csrText: csr ? renderCsrText(csr) : null, deployments: await listDeployments(d.ctx, record.id), renewalChain };
    },
    'requests.getCsr': async (p) => {
      const { data: _data, ...content } = await csrFile(d.ctx, p.id, p.format);
      return content;
    },
    'requests.saveCsr': (p) => saveCsr(d.ctx, p.id, p.format, d.files.resolveSave(p.target, true)),
    'requests.certificate': (p) => certificateDetail(d.ctx, p.id),
    'requests.saveCertificate': (p) => saveCertificate(d.ctx, p.id, d.files.resolveSave(p.target, true)),
    'requests.delete': async (p) => {
      await deleteRequest(d.ctx, p.id);
    },
    'requests.renewPreview': async (p) => previewRenewal(d.ctx, await renewInput(d, p)),
    'requests.renew': async (p) => {
      const input = await renewInput(d, p);
      return (await renewRequest(d.ctx, { ...input, ...(p.keySize !== undefined ? { keySize: p.keySize } : {}), ...(p.force !== undefined ? { force: p.force } : {}) })).record;
    },
    'requests.adoptPfx': async (p) => {
      const file = await d.files.readSource(p.source);
      return adoptPfx(d.ctx, { file: { name: file.name, data: file.bytes }, password: p.password, ...(p.friendlyName !== undefined ? { friendlyName: p.friendlyName } : {}) });
    },
    'decode.file': async (p) => {
      const file = await d.files.readSource(p.source);
      return decodeAnyFile(file.name, file.bytes);
    },
  };
}
