import type { ApiHandlers, CsrContent, DecodedCertificate, DecodedFile } from '../../common/api.js';
import { renderCsrText } from '../../common/csr.js';
import { CertdeskError } from '../../common/errors.js';
import type { CsrFormat } from '../../common/requests.js';
import { type Certificate, describeCertificate } from '../../pki/certificate.js';
import { parseCertificateFile } from '../../pki/certificate-file.js';
import { parseCsr } from '../../pki/csr-decode.js';
import { checkNameSet } from '../../pki/names.js';
import { decodePemBlocks } from '../../pki/pem.js';
import { decodeTopologyText } from '../../planning/topology-file.js';
import { certificateDetail, commonNameOf } from '../../services/certificate-detail.js';
import { listDeployments } from '../../services/deployments.js';
import { createRequestFromPlan } from '../../services/plan-requests.js';
import { planFromText, readTopologyExamples } from '../../services/plans.js';
import { createRequest, deleteRequest, getCsr, listRequests, showRequest } from '../../services/requests.js';
import { assertOutsideStore } from '../../store/paths.js';
import { fileNameFor, savePublicFile } from '../save-file.js';
import { renderCertificatesText } from './certificate-text.js';
import type { HandlerDeps } from './deps.js';

type Area =
  | 'names.check' | 'plans.fromText' | 'plans.openFile' | 'plans.examples' | 'requests.create' | 'requests.list' | 'requests.show' | 'requests.getCsr' | 'requests.saveCsr'
  | 'requests.certificate' | 'requests.saveCertificate' | 'requests.delete' | 'decode.file';

async function csrContent(d: HandlerDeps, id: string, format: CsrFormat): Promise<CsrContent & { data: Uint8Array | string }> {
  const { record } = await showRequest(d.ctx, id);
  const data = await getCsr(d.ctx, record.id, format);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  return {
    format,
    fileName: fileNameFor(record.subject, format === 'der' ? '.der' : '.req'),
    mediaType: format === 'der' ? 'application/pkcs10' : 'text/plain',
    base64: bytes.toString('base64'),
    pem: typeof data === 'string' ? data : null,
    data,
  };
}

function toDecodedCertificate(c: Certificate): DecodedCertificate {
  return {
    ...describeCertificate(c),
    publicKeySha256: c.publicKeySha256,
    dnsNames: [...c.dnsNames],
    ipAddresses: [...c.ipAddresses],
    keyUsage: c.keyUsage ? [...c.keyUsage] : null,
    extendedKeyUsage: c.extendedKeyUsage ? [...c.extendedKeyUsage] : null,
    isCa: c.isCa,
    selfIssued: c.selfIssued,
  };
}

/** True when the bytes look like a CSR: a PEM REQUEST block, or DER/base64 that parses as PKCS#10. */
function looksLikeCsr(bytes: Uint8Array): boolean {
  try {
    const blocks = decodePemBlocks(bytes);
    return blocks.some((b) => b.label?.includes('REQUEST') === true);
  } catch {
    return false;
  }
}

/** Any CSR or certificate file, decoded for reading. */
export function decodeAnyFile(fileName: string, bytes: Uint8Array): DecodedFile {
  if (looksLikeCsr(bytes)) {
    const csr = parseCsr(bytes);
    return { kind: 'csr', fileName, csr, text: renderCsrText(csr) };
  }
  let certError: unknown;
  try {
    const certificates = parseCertificateFile(bytes, fileName).map(toDecodedCertificate);
    return { kind: 'certificates', fileName, certificates, text: renderCertificatesText(certificates) };
  } catch (e) {
    certError = e;
  }
  // Unlabelled DER or bare base64 may be a CSR: try that before reporting the certificate error.
  try {
    const csr = parseCsr(bytes);
    return { kind: 'csr', fileName, csr, text: renderCsrText(csr) };
  } catch {
    if (certError instanceof CertdeskError) {
      throw new CertdeskError('PARSE_ERROR', `${fileName} is neither a certificate request nor a certificate: ${certError.message}`);
    }
    throw certError;
  }
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
    'requests.show': async (p) => {
      const { record, csr } = await showRequest(d.ctx, p.id);
      return { record, csr, csrText: csr ? renderCsrText(csr) : null, deployments: await listDeployments(d.ctx, record.id) };
    },
    'requests.getCsr': async (p) => {
      const { data: _data, ...content } = await csrContent(d, p.id, p.format);
      return content;
    },
    'requests.saveCsr': async (p) => {
      const target = d.files.resolveSave(p.target, true);
      // Typed or picked alike: a save may never land among the store's own files.
      if (target.kind === 'file') await assertOutsideStore(d.ctx.storeDir, target.path);
      const c = await csrContent(d, p.id, p.format);
      return savePublicFile(target, { fileName: c.fileName, mediaType: c.mediaType, data: c.data });
    },
    'requests.certificate': (p) => certificateDetail(d.ctx, p.id),
    'requests.saveCertificate': async (p) => {
      const target = d.files.resolveSave(p.target, true);
      if (target.kind === 'file') await assertOutsideStore(d.ctx.storeDir, target.path);
      const c = await certificateDetail(d.ctx, p.id);
      const der = decodePemBlocks(Buffer.from(c.pem, 'utf8'))[0]?.der ?? new Uint8Array();
      return savePublicFile(target, { fileName: fileNameFor(commonNameOf(c.subject), '.cer'), mediaType: 'application/pkix-cert', data: der });
    },
    'requests.delete': async (p) => {
      await deleteRequest(d.ctx, p.id);
    },
    'decode.file': async (p) => {
      const file = await d.files.readSource(p.source);
      return decodeAnyFile(file.name, file.bytes);
    },
  };
}
