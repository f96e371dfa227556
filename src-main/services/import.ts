import type { CertificateSummary, ChainEntry, ImportReport, ImportResult } from '../common/certificates.js';
import { CertdeskError } from '../common/errors.js';
import type { Finding } from '../common/findings.js';
import type { RequestRecord } from '../common/requests.js';
import { type Certificate, describeCertificate, namesIssuer, parseCertificate } from '../pki/certificate.js';
import { checkIssuedCertificate } from '../pki/certificate-check.js';
import { parseCertificateFile } from '../pki/certificate-file.js';
import { type BuiltChain, type ChainLink, buildChain } from '../pki/chain.js';
import { decodePemBlocks, toPem } from '../pki/pem.js';
import { CaStore } from '../store/ca-store.js';
import type { Store } from '../store/store.js';
import { type InputFile, storedCaCandidates } from './ca.js';
import { nowOf, openStore, type ServiceContext } from './context.js';

/** Files written into the request folder on import. */
export const CERTIFICATE_FILE = 'certificate.pem';
/** The CA certificates above the leaf, issuer first (root last when known). */
export const CHAIN_FILE = 'chain.pem';

/** Options of an import. */
export interface ImportOptions {
  /** Insist on this request (id or unique prefix) instead of finding it by public key. */
  requestId?: string;
  /** Import even when requested SANs or serverAuth are missing; the record says it was accepted. */
  acceptMismatch?: boolean;
}

/** The record's view of a certificate. */
export function summarizeCertificate(c: Certificate, importedAt: Date): CertificateSummary {
  return { ...describeCertificate(c), sans: c.dnsNames, importedAt: importedAt.toISOString() };
}

function chainEntry(l: ChainLink): ChainEntry {
  const c = l.certificate;
  return {
    role: l.role,
    subject: c.subject,
    issuer: c.issuer,
    source: l.source,
    sha256: c.sha256,
    thumbprint: c.sha1Thumbprint,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    keyAlgorithm: c.keyAlgorithm,
    signatureVerified: l.signatureVerified,
  };
}

/** The end-entity of an answer: not a CA and not the issuer of anything else in it. */
function endEntityOf(certs: readonly Certificate[]): Certificate | undefined {
  return certs.find((c) => c.isCa !== true && !certs.some((o) => o !== c && namesIssuer(o, c)));
}

/** Picks the request and its certificate out of the answer: by public key, or the one insisted on. */
async function matchRequest(store: Store, certs: readonly Certificate[], ctx: ServiceContext, requestId: string | undefined): Promise<{ record: RequestRecord; leaf: Certificate }> {
  if (requestId !== undefined) {
    const id = await store.resolveId(requestId);
    const record = await store.getRequest(id);
    const leaf = certs.find((c) => c.publicKeySha256 === record.publicKeySha256);
    if (!leaf) {
      const other = endEntityOf(certs) ?? certs[0];
      throw new CertdeskError(
        'MISMATCH',
        `the answer is not for request ${id}: ${other ? `its certificate for ${other.subject} has public key SHA-256 ${other.publicKeySha256}, the request's is ${record.publicKeySha256}` : 'it holds no certificate for that key'}`,
      );
    }
    return { record, leaf };
  }
  const { records, problems } = await store.scanRequests();
  for (const p of problems) ctx.warn?.(`skipped request ${p.id}: ${p.message}`);
  const byKey = new Map(records.map((r) => [r.publicKeySha256, r]));
  const matches = certs.flatMap((c) => {
    const r = byKey.get(c.publicKeySha256);
    return r ? [{ record: r, leaf: c }] : [];
  });
  if (matches.length === 0) {
    const leaf = endEntityOf(certs);
    if (!leaf) {
      throw new CertdeskError('INVALID_INPUT', `the file holds only CA certificates (${certs.map((c) => c.subject).join('; ')}); import those with: certdesk ca import FILE`);
    }
    throw new CertdeskError('NOT_FOUND', `the certificate for ${leaf.subject} (public key SHA-256 ${leaf.publicKeySha256}) matches no request in this store`);
  }
  const ids = [...new Set(matches.map((m) => m.record.id))];
  if (ids.length > 1) {
    throw new CertdeskError('CONFLICT', `the files hold certificates for several requests (${ids.join(', ')}); import them one at a time`);
  }
  return matches[0] as { record: RequestRecord; leaf: Certificate };
}

/** True when the answer's chain certificates were not given leaf first, issuer next, and so on. */
function wasReordered(chain: BuiltChain, fileOrder: readonly Certificate[]): boolean {
  const positions = chain.links.filter((l) => l.source === 'answer').map((l) => fileOrder.indexOf(l.certificate));
  return positions.some((p, i) => i > 0 && p < (positions[i - 1] as number));
}

function buildReport(record: RequestRecord, leaf: Certificate, chain: BuiltChain, answer: readonly Certificate[], now: Date): ImportReport {
  const check = checkIssuedCertificate(leaf, { commonName: record.subject, sans: record.sans }, now);
  const inChain = new Set(chain.links.map((l) => l.certificate.sha256));
  const unused: Finding[] = answer
    .filter((c) => !inChain.has(c.sha256))
    .map((c) => ({ code: 'CHAIN_UNUSED', severity: 'warning' as const, message: `ignored ${c.subject}: it is not part of this certificate's chain`, subject: c.subject }));
  const findings = [...check.findings, ...chain.findings, ...unused];
  return {
    keyMatches: leaf.publicKeySha256 === record.publicKeySha256,
    subject: leaf.subject,
    requestedSubject: record.distinguishedName,
    sansRequested: record.sans,
    sansIssued: leaf.dnsNames,
    sansMissing: check.sansMissing,
    sansExtra: check.sansExtra,
    keyUsage: leaf.keyUsage,
    keyUsageCritical: leaf.keyUsageCritical,
    extendedKeyUsage: leaf.extendedKeyUsage,
    notBefore: leaf.notBefore.toISOString(),
    notAfter: leaf.notAfter.toISOString(),
    validityDays: check.validityDays,
    chain: chain.links.map(chainEntry),
    chainComplete: chain.complete && chain.links.every((l) => l.signatureVerified),
    chainReordered: wasReordered(chain, answer),
    mismatches: check.mismatches,
    findings,
    warnings: findings.filter((f) => f.severity === 'warning').map((f) => f.message),
  };
}

/** Refusals no flag overrides: an expired certificate, a chain whose signatures or CA flags are wrong. */
function refuseBroken(leaf: Certificate, report: ImportReport): void {
  const expired = report.findings.find((f) => f.code === 'CERT_EXPIRED');
  if (expired) throw new CertdeskError('INVALID_INPUT', `${expired.message} (${leaf.subject}); ask the CA for a new one`);
  const chainError = report.findings.find((f) => f.severity === 'error' && f.code.startsWith('CHAIN_'));
  if (chainError) throw new CertdeskError('MISMATCH', `the answer's chain is not trustworthy: ${chainError.message}`);
}

/** Orders chains by how far they reach: complete to a root first, then by number of links. */
function reachesFurther(a: BuiltChain, b: BuiltChain): boolean {
  return Number(a.complete) - Number(b.complete) > 0 || (a.complete === b.complete && a.links.length > b.links.length);
}

/**
 * The same certificate again: a harmless no-op, unless the answer brings what the first import lacked
 * (an intermediate or root). Those CA certificates go to the CA store and chain.pem is rewritten when
 * the chain now reaches further, so a later export does not silently leave the intermediate out.
 */
async function completeStoredChain(
  store: Store,
  record: RequestRecord,
  certificate: CertificateSummary,
  leaf: Certificate,
  chain: BuiltChain,
  report: ImportReport,
  now: Date,
): Promise<ImportResult> {
  const unchanged: ImportResult = { requestId: record.id, status: record.status, alreadyImported: true, mismatchAccepted: false, certificate, report, caCertificatesAdded: [], chainUpdated: false };
  const stored = await store.readRequestFile(record.id, CHAIN_FILE);
  let storedCerts: Certificate[];
  try {
    storedCerts = stored === null || stored.length === 0 ? [] : decodePemBlocks(stored).map((b) => parseCertificate(b.der));
  } catch {
    // A damaged chain.pem is replaced by a readable chain below, never kept in preference to it.
    storedCerts = [];
  }
  const storedChain = buildChain(leaf, storedCerts.map((c) => ({ certificate: c, source: 'answer' as const })), now);
  const caLinks = chain.links.filter((l) => l.role !== 'leaf');
  const caStore = new CaStore(store);
  const known = new Set((await caStore.list()).map((c) => c.sha256));
  const newCas = caLinks.filter((l) => l.source === 'answer' && !known.has(l.certificate.sha256));
  const rewrite = reachesFurther(chain, storedChain);
  if (newCas.length === 0 && !rewrite) return unchanged;
  refuseBroken(leaf, report);

  const caAdded: string[] = [];
  for (const l of newCas) if (await caStore.add(l.certificate.der)) caAdded.push(l.certificate.sha256);
  if (rewrite) await store.writeRequestFile(record.id, CHAIN_FILE, caLinks.map((l) => toPem(l.certificate.der, 'CERTIFICATE')).join(''));
  const detail =
    `certificate ${certificate.thumbprint} imported again` +
    (caAdded.length > 0 ? `; CA certificates added: ${caLinks.filter((l) => caAdded.includes(l.certificate.sha256)).map((l) => l.certificate.subject).join('; ')}` : '') +
    (rewrite ? `; stored chain now ${caLinks.map((l) => l.certificate.subject).join(' <- ') || '(none)'} (${report.chainComplete ? 'complete to a root' : 'incomplete'})` : '');
  const updated = await store.updateRequest(record.id, (r) => ({ ...r, history: [...r.history, { at: now.toISOString(), event: 'certificate-chain-updated', detail }] }));
  await store.appendAudit({ event: 'certificate-chain-updated', requestId: record.id, detail });
  return { ...unchanged, status: updated.status, caCertificatesAdded: caAdded, chainUpdated: rewrite };
}

/**
 * Imports a CA's answer (certificate, PEM bundle or PKCS#7 in any of the files): finds the request by
 * public key, verifies and reports (SANs, subject, KU/EKU, validity, chain with every signature), then
 * stores certificate.pem and chain.pem, the CA certificates of the chain, and marks the request
 * `issued`. Re-importing the same certificate changes nothing, unless the answer completes the stored
 * chain (see completeStoredChain). Audits `certificate-imported`.
 */
export async function importCertificate(ctx: ServiceContext, files: readonly InputFile[], opts: ImportOptions = {}): Promise<ImportResult> {
  if (files.length === 0) throw new CertdeskError('INVALID_INPUT', 'no certificate file given');
  const answer = new Map<string, Certificate>();
  for (const f of files) for (const c of parseCertificateFile(f.data, f.name)) if (!answer.has(c.sha256)) answer.set(c.sha256, c);
  const certs = [...answer.values()];
  const now = nowOf(ctx);
  const store = await openStore(ctx);

  return store.withLock(async () => {
    const { record, leaf } = await matchRequest(store, certs, ctx, opts.requestId);
    const fromStore = (await storedCaCandidates(store)).filter((c) => !answer.has(c.certificate.sha256));
    const candidates = [...certs.filter((c) => c !== leaf).map((certificate) => ({ certificate, source: 'answer' as const })), ...fromStore];
    const chain = buildChain(leaf, candidates, now);
    const report = buildReport(record, leaf, chain, certs, now);
    const summary = summarizeCertificate(leaf, now);

    if (record.certificate?.sha256 === leaf.sha256) return completeStoredChain(store, record, record.certificate, leaf, chain, report, now);
    refuseBroken(leaf, report);
    if (report.mismatches.length > 0 && opts.acceptMismatch !== true) {
      throw new CertdeskError('MISMATCH', `the certificate differs from request ${record.id}: ${report.mismatches.join('; ')}; import it anyway only by accepting the mismatch explicitly (--accept-mismatch)`);
    }
    if (record.status === 'revoked') throw new CertdeskError('CONFLICT', `request ${record.id} is revoked; create a new request`);
    if (record.certificate && record.status !== 'issued') {
      throw new CertdeskError(
        'CONFLICT',
        `request ${record.id} already has certificate ${record.certificate.thumbprint}, which was exported (status ${record.status}); create a new request for a new certificate`,
      );
    }

    const caLinks = chain.links.filter((l) => l.role !== 'leaf');
    const caStore = new CaStore(store);
    const caAdded: string[] = [];
    for (const l of caLinks) if (l.source === 'answer' && (await caStore.add(l.certificate.der))) caAdded.push(l.certificate.sha256);
    await store.writeRequestFile(record.id, CERTIFICATE_FILE, toPem(leaf.der, 'CERTIFICATE'));
    await store.writeRequestFile(record.id, CHAIN_FILE, caLinks.map((l) => toPem(l.certificate.der, 'CERTIFICATE')).join(''));

    const accepted = report.mismatches.length > 0;
    const replaced = record.certificate?.thumbprint;
    const detail =
      `certificate ${summary.thumbprint} from ${leaf.issuer}, valid ${summary.notBefore.slice(0, 10)} to ${summary.notAfter.slice(0, 10)}, ` +
      `${leaf.dnsNames.length} DNS names; chain ${report.chainComplete ? 'complete to a root' : 'incomplete'}` +
      (accepted ? `; mismatch accepted: ${report.mismatches.join('; ')}` : '') +
      (replaced ? `; replaces certificate ${replaced}` : '');
    const updated = await store.updateRequest(record.id, (r) => ({
      ...r,
      status: 'issued',
      certificate: summary,
      history: [...r.history, { at: now.toISOString(), event: 'certificate-imported', detail }],
    }));
    await store.appendAudit({ event: 'certificate-imported', requestId: record.id, detail });
    return { requestId: record.id, status: updated.status, alreadyImported: false, mismatchAccepted: accepted, certificate: summary, report, caCertificatesAdded: caAdded };
  });
}
