import { CertdeskError } from '../common/errors.js';
import type { Finding } from '../common/findings.js';
import { KEY_SIZES, type KeySize, type RequestRecord } from '../common/requests.js';
import { checkIssuedCertificate } from '../pki/certificate-check.js';
import { subjectFieldsOf } from '../pki/certificate-subject.js';
import { buildChain } from '../pki/chain.js';
import { toPem } from '../pki/pem.js';
import { openPfx } from '../pki/pfx-read.js';
import { CaStore } from '../store/ca-store.js';
import { type InputFile, storedCaCandidates } from './ca.js';
import { nowOf, openStore, type ServiceContext } from './context.js';
import { CERTIFICATE_FILE, CHAIN_FILE, summarizeCertificate } from './import.js';
import { freshId } from './request-create.js';

/** How to adopt a PFX. */
export interface AdoptPfxInput {
  file: InputFile;
  /** '' is the empty password. Used to open the file only: never stored, never logged. */
  password: string;
  /** Overrides the friendly name of the file's bag attributes. */
  friendlyName?: string;
}

function friendlyNameOf(input: AdoptPfxInput, fromFile: string | null): string {
  const v = (input.friendlyName ?? fromFile ?? '').trim();
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f-\u009f]/.test(v) || [...v].length > 256) {
    if (input.friendlyName !== undefined) throw new CertdeskError('INVALID_INPUT', 'the friendly name must be one line of at most 256 characters');
    return ''; // the file's own name is unusable: leave it empty rather than refuse the certificate
  }
  return v;
}

/**
 * Adopts a certificate and its key from a PFX made elsewhere (Windows, IIS, OpenSSL 1.x/3.x): opens it
 * with the forge-based reader, checks the certificate as an import does (validity, key usage, the
 * chain completed from the stored CA certificates), and stores it as an `issued` request with
 * `origin: "adopted"`: the key encrypted under the store key like every key, certificate.pem and
 * chain.pem beside it, the chain's CA certificates in the CA store. The PFX itself is not kept.
 * Nothing is stored when anything is wrong. Audits `pfx-adopted`.
 */
export async function adoptPfx(ctx: ServiceContext, input: AdoptPfxInput): Promise<RequestRecord> {
  const opened = await openPfx(input.file.data, input.password);
  const { leaf } = opened;
  const name = input.file.name;
  if (opened.keyType !== 'rsa') throw new CertdeskError('INVALID_INPUT', `${name}: the key is ${opened.keyType.toUpperCase()}, not RSA; Lync and Skype for Business reverse proxies need an RSA key`);
  if (!(KEY_SIZES as readonly (number | null)[]).includes(opened.rsaBits)) {
    throw new CertdeskError('INVALID_INPUT', `${name}: the RSA key has ${String(opened.rsaBits)} bits; Certdesk keeps ${KEY_SIZES.join(', ')}-bit keys (renew the certificate with a new key instead)`);
  }
  const friendlyName = friendlyNameOf(input, opened.keyAttributes.friendlyName ?? opened.leafAttributes.friendlyName);
  const now = nowOf(ctx);
  const store = await openStore(ctx);
  await store.ensureStoreKey();

  return store.withLock(async () => {
    const existing = (await store.listRequests()).find((r) => r.publicKeySha256 === opened.publicKeySha256);
    if (existing) throw new CertdeskError('CONFLICT', `${name}: its key is already in the store as request ${existing.id} (${existing.subject}, status ${existing.status})`);

    const fromFile = opened.others.map((certificate) => ({ certificate, source: 'answer' as const }));
    const known = new Set(opened.others.map((c) => c.sha256));
    const chain = buildChain(leaf, [...fromFile, ...(await storedCaCandidates(store)).filter((c) => !known.has(c.certificate.sha256))], now);
    const subject = subjectFieldsOf(leaf);
    const cnFirst = [...leaf.dnsNames].sort((a, b) => Number(b === subject.commonName) - Number(a === subject.commonName));
    const check = checkIssuedCertificate(leaf, { commonName: subject.commonName, sans: cnFirst }, now);
    const findings: Finding[] = [...check.findings, ...chain.findings];
    if (check.expired) throw new CertdeskError('INVALID_INPUT', `${name}: the certificate for ${leaf.subject} expired on ${leaf.notAfter.toISOString().slice(0, 10)}; to renew it, start from its names: certdesk request new --from-certificate FILE`);
    const chainError = chain.findings.find((f) => f.severity === 'error');
    if (chainError) throw new CertdeskError('MISMATCH', `${name}: the certificate chain is not trustworthy: ${chainError.message}`);
    if (subject.commonName === '') throw new CertdeskError('INVALID_INPUT', `${name}: the certificate has neither a CN nor a DNS name; it cannot serve a reverse proxy`);

    const caLinks = chain.links.filter((l) => l.role !== 'leaf');
    const summary = summarizeCertificate(leaf, now);
    const at = now.toISOString();
    const detail =
      `certificate ${summary.thumbprint} for ${leaf.subject} adopted from a PFX made elsewhere (issuer ${leaf.issuer}, valid to ${summary.notAfter.slice(0, 10)}, ` +
      `${leaf.dnsNames.length} DNS names); RSA ${String(opened.rsaBits)}-bit key now encrypted under the store key, public key SHA-256 ${opened.publicKeySha256}; ` +
      `chain ${chain.complete ? 'complete to a root' : 'incomplete'}; the PFX file is not kept`;
    const record: RequestRecord = {
      schemaVersion: 1,
      id: await freshId(store, now),
      friendlyName,
      description: '',
      subject: subject.commonName,
      subjectFields: subject,
      distinguishedName: leaf.subject,
      sans: cnFirst,
      keyAlgorithm: 'RSA',
      keySize: opened.rsaBits as KeySize,
      // A key that came out of a PFX was exportable by definition.
      exportable: true,
      keySpec: 'exchange',
      // The request profile's default, for its renewals' CSRs and the CSP attribute of exports.
      windowsAttributes: true,
      status: 'issued',
      createdAt: at,
      updatedAt: at,
      publicKeySha256: opened.publicKeySha256,
      origin: 'adopted',
      findings,
      history: [{ at, event: 'pfx-adopted', detail }],
      certificate: summary,
    };
    await store.createRequest(record, {
      privateKeyPem: opened.privateKeyPem,
      extra: [
        { name: CERTIFICATE_FILE, data: toPem(leaf.der, 'CERTIFICATE') },
        { name: CHAIN_FILE, data: caLinks.map((l) => toPem(l.certificate.der, 'CERTIFICATE')).join('') },
      ],
    });
    // After the request is in place: a failed adoption leaves no CA certificates behind either.
    const caStore = new CaStore(store);
    for (const l of caLinks) if (l.source === 'answer') await caStore.add(l.certificate.der);
    await store.appendAudit({ event: 'pfx-adopted', requestId: record.id, detail });
    return record;
  });
}
