/** What an export bundles after the leaf, and what it refuses: an expired or not yet valid certificate or CA, an incomplete chain unless allowed. */
import { CertdeskError } from '../common/errors.js';
import type { RequestRecord } from '../common/requests.js';
import { type Certificate, parseCertificate } from '../pki/certificate.js';
import { buildChain, type ChainLink } from '../pki/chain.js';
import { decodePemBlocks } from '../pki/pem.js';
import type { Store } from '../store/store.js';
import { storedCaCandidates } from './ca.js';
import { CERTIFICATE_FILE, CHAIN_FILE } from './import.js';

function certificatesIn(bytes: Buffer | null): Certificate[] {
  if (bytes === null || bytes.length === 0) return [];
  return decodePemBlocks(bytes).map((b) => parseCertificate(b.der));
}

const day = (d: Date): string => d.toISOString().slice(0, 10);

/** A proxy serving an expired or not yet valid certificate fails every TLS handshake: refused, no override. */
function refuseOutOfValidity(record: RequestRecord, leaf: Certificate, cas: readonly Certificate[], now: Date): void {
  if (leaf.notAfter < now) {
    throw new CertdeskError('INVALID_INPUT', `the certificate of request ${record.id} (${leaf.subject}) expired on ${day(leaf.notAfter)}; ask the CA for a new one (certdesk request new) instead of exporting it`);
  }
  if (leaf.notBefore > now) {
    throw new CertdeskError('INVALID_INPUT', `the certificate of request ${record.id} (${leaf.subject}) is valid only from ${leaf.notBefore.toISOString()}; check this computer's clock or export it once it is valid`);
  }
  for (const ca of cas) {
    if (ca.notAfter < now) {
      throw new CertdeskError('INVALID_INPUT', `the CA certificate ${ca.subject} in the chain of request ${record.id} expired on ${day(ca.notAfter)}; import its renewed certificate (certdesk ca import ISSUER.cer) or ask the CA for a new certificate`);
    }
    if (ca.notBefore > now) {
      throw new CertdeskError('INVALID_INPUT', `the CA certificate ${ca.subject} in the chain of request ${record.id} is valid only from ${ca.notBefore.toISOString()}; check this computer's clock`);
    }
  }
}

/** The stored leaf (checked against the record), the CA certificates to bundle after it, and what was allowed. */
export async function loadExportChain(store: Store, record: RequestRecord, opts: { includeRoot: boolean; allowIncompleteChain: boolean }, now: Date): Promise<{ leaf: Certificate; cas: Uint8Array[]; warnings: string[] }> {
  const damaged = (why: string): CertdeskError => new CertdeskError('STORE_CORRUPT', `request ${record.id} is damaged: ${why}`);
  let leaf: Certificate | undefined;
  let chainCerts: Certificate[];
  try {
    leaf = certificatesIn(await store.readRequestFile(record.id, CERTIFICATE_FILE))[0];
    chainCerts = certificatesIn(await store.readRequestFile(record.id, CHAIN_FILE));
  } catch (e) {
    if (e instanceof CertdeskError && e.code === 'PARSE_ERROR') throw damaged(`its ${CERTIFICATE_FILE} or ${CHAIN_FILE} cannot be read`);
    throw e;
  }
  if (!leaf || leaf.sha256 !== record.certificate?.sha256) throw damaged(`its ${CERTIFICATE_FILE} is missing or does not match the record`);
  if (leaf.publicKeySha256 !== record.publicKeySha256) throw damaged(`its ${CERTIFICATE_FILE} is for another key`);
  // Rebuilt on every export: a root imported after the answer (certdesk ca import) is found too.
  const chain = buildChain(leaf, [...chainCerts.map((certificate) => ({ certificate, source: 'answer' as const })), ...(await storedCaCandidates(store))], now);
  const bad = chain.findings.find((f) => f.severity === 'error');
  if (bad) throw new CertdeskError('MISMATCH', `the certificate chain of request ${record.id} is not trustworthy: ${bad.message}`);
  refuseOutOfValidity(
    record,
    leaf,
    chain.links.filter((l) => l.role !== 'leaf').map((l) => l.certificate),
    now,
  );
  const root = chain.links.find((l) => l.role === 'root');
  if (opts.includeRoot && !root) {
    throw new CertdeskError('NOT_FOUND', `the root CA certificate of request ${record.id} is not known; import it first (certdesk ca import ROOT.cer) or export without the root`);
  }
  const warnings: string[] = [];
  if (!chain.complete) {
    // Without its intermediate a PFX installs fine but the proxy serves a chain clients cannot build.
    const top = (chain.links[chain.links.length - 1] as ChainLink).certificate;
    const missing = `the chain of request ${record.id} is incomplete: the issuer ${top.issuer} of ${top.subject} is not known`;
    if (!opts.allowIncompleteChain) {
      throw new CertdeskError('NOT_FOUND', `${missing}; import it first (certdesk ca import ISSUER.cer) or export anyway with --allow-incomplete-chain`);
    }
    warnings.push(`${missing}: the PFX holds no CA certificate above ${top.subject} (allowed with --allow-incomplete-chain)`);
  }
  const cas = chain.links.filter((l) => l.role === 'intermediate' || (opts.includeRoot && l.role === 'root')).map((l) => l.certificate.der);
  return { leaf, cas, warnings };
}
