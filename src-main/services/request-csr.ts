import { CertdeskError } from '../common/errors.js';
import type { CsrFormat, RequestRecord } from '../common/requests.js';
import { CSR_PEM_LABEL } from '../pki/csr-create.js';
import { sha256Hex } from '../pki/fingerprint.js';
import { decodePemBlocks, toPem } from '../pki/pem.js';
import type { Store } from '../store/store.js';
import { openStore, type ServiceContext } from './context.js';

// Reading a request's stored CSR, apart from services/requests.ts so that `request new` and
// `request renew` hand out the CSR they just stored without loading the listing, export and CSR
// decoding code.

/** The request's CSR DER, checked against the record's hash; null for an adopted certificate (no CSR). */
export async function readCsrDerIfAny(store: Store, id: string, record: RequestRecord): Promise<Uint8Array | null> {
  if (record.csrSha256 === undefined) return null;
  return readCsrDer(store, id, record);
}

/** The request's CSR DER, checked against the record's hash. */
async function readCsrDer(store: Store, id: string, record: RequestRecord): Promise<Uint8Array> {
  if (record.csrSha256 === undefined) {
    throw new CertdeskError('NOT_FOUND', `request ${id} was adopted from a PFX and has no CSR; renew it for a new one (certdesk request renew ${id})`);
  }
  const bytes = await store.readRequestFile(id, 'request.csr');
  if (bytes === null) throw new CertdeskError('STORE_CORRUPT', `request ${id} is damaged: its request.csr is missing`);
  let der: Uint8Array | undefined;
  try {
    der = decodePemBlocks(bytes)[0]?.der;
  } catch {
    der = undefined;
  }
  if (!der || sha256Hex(der) !== record.csrSha256) {
    throw new CertdeskError('STORE_CORRUPT', `request ${id} is damaged: its request.csr does not match the record`);
  }
  return der;
}

/** The CSR as the procedure's Base64 (PEM text) or Binary (DER bytes). */
export async function getCsr(ctx: ServiceContext, id: string, format: CsrFormat): Promise<Uint8Array | string> {
  if (format !== 'base64' && format !== 'der') throw new CertdeskError('INVALID_INPUT', `unknown CSR format "${String(format)}"; use base64 or der`);
  const store = await openStore(ctx, { mustExist: true });
  const realId = await store.resolveId(id);
  return csrInFormat(await readCsrDer(store, realId, await store.getRequest(realId)), format);
}

/** A CSR's DER as the procedure's Base64 (PEM text) or Binary (the DER bytes). */
export function csrInFormat(der: Uint8Array, format: CsrFormat): Uint8Array | string {
  return format === 'der' ? der : toPem(der, CSR_PEM_LABEL);
}
