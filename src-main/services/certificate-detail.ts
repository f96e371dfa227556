import type { CertificateDetail, ChainLinkStatus } from '../common/certificates.js';
import { CertdeskError } from '../common/errors.js';
import { type Certificate, describeCertificate, parseCertificate } from '../pki/certificate.js';
import { buildChain, type ChainLink } from '../pki/chain.js';
import { decodePemBlocks, toPem } from '../pki/pem.js';
import { storedCaCandidates } from './ca.js';
import { nowOf, openStore, type ServiceContext } from './context.js';
import { daysLeft } from '../common/expiry.js';
import { CERTIFICATE_FILE, CHAIN_FILE } from './import.js';

function certificatesIn(bytes: Buffer | null): Certificate[] {
  if (bytes === null || bytes.length === 0) return [];
  return decodePemBlocks(bytes).map((b) => parseCertificate(b.der));
}

function linkStatus(link: ChainLink, now: Date): ChainLinkStatus {
  if (!link.signatureVerified) return 'bad-signature';
  if (link.certificate.notAfter < now) return 'expired';
  if (link.certificate.notBefore > now) return 'not-yet-valid';
  return 'ok';
}

/** The last CN of an RFC 4514 name, or the whole name when it has none. */
export function commonNameOf(dn: string): string {
  const cn = /(?:^|,\s*)CN=((?:\\.|[^,\\])*)/i.exec(dn);
  return cn?.[1]?.replace(/\\(.)/g, '$1') ?? dn;
}

/**
 * The issued certificate of request `id`, read from its folder and checked against the record, with
 * the chain rebuilt today (a CA certificate imported since is found). NOT_FOUND before the import.
 */
export async function certificateDetail(ctx: ServiceContext, id: string): Promise<CertificateDetail> {
  const store = await openStore(ctx, { mustExist: true });
  const record = await store.getRequest(await store.resolveId(id));
  if (!record.certificate) throw new CertdeskError('NOT_FOUND', `request ${record.id} has no certificate yet: import the CA's answer first`);
  let leaf: Certificate | undefined;
  let chainCerts: Certificate[];
  try {
    leaf = certificatesIn(await store.readRequestFile(record.id, CERTIFICATE_FILE))[0];
    chainCerts = certificatesIn(await store.readRequestFile(record.id, CHAIN_FILE));
  } catch (e) {
    if (e instanceof CertdeskError && e.code === 'PARSE_ERROR') throw new CertdeskError('STORE_CORRUPT', `request ${record.id} is damaged: its ${CERTIFICATE_FILE} or ${CHAIN_FILE} cannot be read`);
    throw e;
  }
  if (!leaf || leaf.sha256 !== record.certificate.sha256) throw new CertdeskError('STORE_CORRUPT', `request ${record.id} is damaged: its ${CERTIFICATE_FILE} is missing or does not match the record`);
  const now = nowOf(ctx);
  const chain = buildChain(leaf, [...chainCerts.map((certificate) => ({ certificate, source: 'answer' as const })), ...(await storedCaCandidates(store))], now);
  const top = chain.links[chain.links.length - 1]?.certificate ?? leaf;
  const requested = record.sans.map((s) => s.toLowerCase());
  const issued = leaf.dnsNames.map((s) => s.toLowerCase());
  const sans = [...requested, ...issued.filter((n) => !requested.includes(n))].map((name) => ({ name, requested: requested.includes(name), issued: issued.includes(name) }));
  return {
    requestId: record.id,
    ...describeCertificate(leaf),
    issuerCommonName: commonNameOf(leaf.issuer),
    daysLeft: daysLeft(leaf.notAfter.toISOString(), now),
    keyUsage: leaf.keyUsage ? [...leaf.keyUsage] : null,
    keyUsageCritical: leaf.keyUsageCritical,
    extendedKeyUsage: leaf.extendedKeyUsage ? [...leaf.extendedKeyUsage] : null,
    sans,
    chain: chain.links.map((l) => ({
      role: l.role,
      subject: l.certificate.subject,
      issuer: l.certificate.issuer,
      source: l.source,
      sha256: l.certificate.sha256,
      thumbprint: l.certificate.sha1Thumbprint,
      notBefore: l.certificate.notBefore.toISOString(),
      notAfter: l.certificate.notAfter.toISOString(),
      keyAlgorithm: l.certificate.keyAlgorithm,
      signatureVerified: l.signatureVerified,
      status: linkStatus(l, now),
    })),
    chainComplete: chain.complete,
    missingIssuer: chain.complete ? null : top.issuer,
    pem: toPem(leaf.der, 'CERTIFICATE'),
  };
}
