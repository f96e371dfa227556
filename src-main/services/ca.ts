import type { CaCertificateInfo, CaImportResult } from '../common/certificates.js';
import { CertdeskError } from '../common/errors.js';
import type { Finding } from '../common/findings.js';
import { type Certificate, namesIssuer, parseCertificate, verifySignedBy } from '../pki/certificate.js';
import { parseCertificateFile } from '../pki/certificate-file.js';
import type { ChainCandidate } from '../pki/chain.js';
import { MAX_INPUT_BYTES } from '../pki/pem.js';
import { CaStore } from '../store/ca-store.js';
import type { Store } from '../store/store.js';
import { readUserFile } from '../store/user-file.js';
import { resolveUserPath, showPath, type UserPath } from '../store/user-path.js';
import { nowOf, openStore, openStoreIfExists, type ServiceContext } from './context.js';

/** A file handed to an import: its name (for messages) and bytes. */
export interface InputFile {
  name: string;
  data: Uint8Array;
}

/**
 * Reads files named on a command line or picked in a dialog (regular files only, at most 1 MiB each);
 * one clear error line each. Paths are relative to `cwd`; a Buffer is a name that is not UTF-8.
 */
export async function readInputFiles(paths: readonly UserPath[], cwd: string): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const p of paths) {
    out.push({ name: showPath(p), data: await readUserFile(resolveUserPath(cwd, p), 'certificate file', { maxBytes: MAX_INPUT_BYTES }) });
  }
  return out;
}

/** True when `c` may issue certificates: basicConstraints cA, or an old v1 self-signed root without it. */
export function isCaCertificate(c: Certificate): boolean {
  return c.isCa === true || (c.isCa === null && c.selfIssued && verifySignedBy(c, c));
}

/** The list view of a CA certificate. */
export function caInfo(c: Certificate, now: Date): CaCertificateInfo {
  return {
    subject: c.subject,
    issuer: c.issuer,
    root: c.selfIssued && verifySignedBy(c, c),
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    expired: c.notAfter < now,
    sha256: c.sha256,
    thumbprint: c.sha1Thumbprint,
    keyAlgorithm: c.keyAlgorithm,
  };
}

/** The stored CA certificates, parsed, as chain candidates. */
export async function storedCaCandidates(store: Store): Promise<ChainCandidate[]> {
  return (await new CaStore(store).list()).map((s) => ({ certificate: parseCertificate(s.der), source: 'ca-store' as const }));
}

/**
 * Imports root and intermediate CA certificates (the procedure's first step). All files are checked
 * before anything is stored: an end-entity certificate or a root whose self-signature fails refuses
 * the whole import. Audits `ca-imported`.
 */
export async function importCaCertificates(ctx: ServiceContext, files: readonly InputFile[]): Promise<CaImportResult> {
  if (files.length === 0) throw new CertdeskError('INVALID_INPUT', 'no CA certificate file given');
  const now = nowOf(ctx);
  const certs = new Map<string, Certificate>();
  for (const f of files) {
    for (const c of parseCertificateFile(f.data, f.name)) {
      if (c.selfIssued && !verifySignedBy(c, c)) {
        throw new CertdeskError('INVALID_INPUT', `${f.name}: the self-signature of ${c.subject} does not verify (damaged or forged)`);
      }
      if (!isCaCertificate(c)) {
        throw new CertdeskError('INVALID_INPUT', `${f.name}: ${c.subject} is not a CA certificate; a CA's answer to a request is imported with: certdesk import FILE`);
      }
      certs.set(c.sha256, c);
    }
  }
  const store = await openStore(ctx);
  return store.withLock(async () => {
    const caStore = new CaStore(store);
    const known = await storedCaCandidates(store);
    const all = [...known.map((k) => k.certificate), ...certs.values()];
    const findings: Finding[] = [];
    const added: CaCertificateInfo[] = [];
    const existing: CaCertificateInfo[] = [];
    for (const c of certs.values()) {
      if (c.notAfter < now) findings.push({ code: 'CA_EXPIRED', severity: 'warning', message: `${c.subject} expired on ${c.notAfter.toISOString().slice(0, 10)}`, subject: c.subject });
      const root = c.selfIssued && verifySignedBy(c, c);
      if (!root && !all.some((i) => i !== c && namesIssuer(c, i) && verifySignedBy(c, i))) {
        findings.push({ code: 'CA_ISSUER_UNKNOWN', severity: 'warning', message: `the issuer of ${c.subject} (${c.issuer}) is not stored yet; import it too`, subject: c.subject });
      }
      (await caStore.add(c.der) ? added : existing).push(caInfo(c, now));
    }
    if (added.length > 0) {
      await store.appendAudit({ event: 'ca-imported', detail: `CA certificates added: ${added.map((a) => `${a.subject} (SHA-256 ${a.sha256})`).join('; ')}` });
    }
    return { added, existing, findings };
  });
}

/** Every stored CA certificate: roots first, then by subject. */
export async function listCaCertificates(ctx: ServiceContext): Promise<CaCertificateInfo[]> {
  const now = nowOf(ctx);
  const store = await openStoreIfExists(ctx);
  if (!store) return [];
  const infos = (await storedCaCandidates(store)).map((c) => caInfo(c.certificate, now));
  return infos.sort((a, b) => Number(b.root) - Number(a.root) || a.subject.localeCompare(b.subject));
}
