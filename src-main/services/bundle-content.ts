import { CertdeskError } from '../common/errors.js';
import type { PfxProfile } from '../common/exports.js';
import { type BundleFile, type Farm, profileForWindowsVersion } from '../common/farms.js';
import type { RequestRecord } from '../common/requests.js';
import type { BundleFileInput } from '../media/bundle-writer.js';
import { BUNDLE_FILES, type BundleCa, type BundlePlan, caFileName, renderManifest, windowsText } from '../media/bundle-plan.js';
import { renderInstallScript } from '../media/install-script.js';
import { renderReadme } from '../media/readme-text.js';
import { type ScriptSigner, signPowerShellScript } from '../pki/authenticode.js';
import { parseCertificate } from '../pki/certificate.js';
import { buildChain } from '../pki/chain.js';
import { sha256Hex } from '../pki/fingerprint.js';
import { decodePemBlocks } from '../pki/pem.js';
import type { Store } from '../store/store.js';
import { storedCaCandidates } from './ca.js';
import { CERTIFICATE_FILE, CHAIN_FILE } from './import.js';

/** The profiles a farm's nodes need, legacy first. */
export function profilesForFarm(farm: Farm): PfxProfile[] {
  const wanted = new Set(farm.nodes.map((n) => profileForWindowsVersion(n.windowsVersion)));
  return (['legacy', 'modern'] as const).filter((p) => wanted.has(p));
}

/**
 * The PFX's CA certificates as `.cer` files for the Intermediate store. Import-PfxCertificate puts
 * them into the Personal store (Windows Server 2012 R2 and later), and the old .NET path used to
 * guess Root by comparing names; shipping them separately lets the script place them itself,
 * each checked against its thumbprint. One already among the farm's own CA files is not repeated.
 */
export function publicIntermediatesOf(cas: readonly Uint8Array[], farmCaFiles: readonly BundleCa[]): BundleCa[] {
  const seen = new Set(farmCaFiles.map((c) => sha256Hex(c.der)));
  const out: BundleCa[] = [];
  for (const der of cas) {
    const c = parseCertificate(der);
    if (seen.has(c.sha256)) continue;
    seen.add(c.sha256);
    out.push({ fileName: caFileName('public-intermediate', out.length + 1, c.subject), subject: c.subject, thumbprint: c.sha1Thumbprint, notAfter: c.notAfter.toISOString(), der: c.der });
  }
  return out;
}

function caFromPem(pem: string, fileName: string): BundleCa {
  const der = decodePemBlocks(new TextEncoder().encode(pem))[0]?.der;
  if (!der) throw new CertdeskError('STORE_CORRUPT', `a trusted CA certificate of the farm cannot be read (${fileName})`);
  const c = parseCertificate(der);
  return { fileName, subject: c.subject, thumbprint: c.sha1Thumbprint, notAfter: c.notAfter.toISOString(), der };
}

/** The farm's internal CA certificates as bundle files: roots for the Trusted Root store, intermediates for the Intermediate store. */
export function farmCas(farm: Farm): { roots: BundleCa[]; intermediates: BundleCa[] } {
  const roots = farm.trustedCas.filter((c) => c.role === 'root');
  const intermediates = farm.trustedCas.filter((c) => c.role === 'intermediate');
  return {
    roots: roots.map((c, i) => caFromPem(c.pem, caFileName('internal-root', i + 1, c.subject))),
    intermediates: intermediates.map((c, i) => caFromPem(c.pem, caFileName('internal-intermediate', i + 1, c.subject))),
  };
}

/** The root of the request's own (public) chain, from its chain.pem and the stored CA certificates. */
export async function publicRootOf(store: Store, record: RequestRecord, now: Date): Promise<BundleCa> {
  const certs = async (name: string) => {
    const bytes = await store.readRequestFile(record.id, name);
    return bytes === null || bytes.length === 0 ? [] : decodePemBlocks(bytes).map((b) => parseCertificate(b.der));
  };
  const leaf = (await certs(CERTIFICATE_FILE))[0];
  if (!leaf || leaf.sha256 !== record.certificate?.sha256) throw new CertdeskError('STORE_CORRUPT', `request ${record.id} is damaged: its ${CERTIFICATE_FILE} is missing or does not match the record`);
  const chain = buildChain(leaf, [...(await certs(CHAIN_FILE)).map((certificate) => ({ certificate, source: 'answer' as const })), ...(await storedCaCandidates(store))], now);
  const root = chain.links.find((l) => l.role === 'root')?.certificate;
  if (!root) {
    throw new CertdeskError('NOT_FOUND', `the root CA certificate of request ${record.id} is not known; import it first (certdesk ca import ROOT.cer) or leave out --include-public-root`);
  }
  return { fileName: caFileName('public-root', 1, root.subject), subject: root.subject, thumbprint: root.sha1Thumbprint, notAfter: root.notAfter.toISOString(), der: root.der };
}

/**
 * Every file of the bundle, manifest last, with what the result reports about each. With `signer`
 * (plan.scriptSigner says who) Install-Certificate.ps1 carries an Authenticode signature, and the
 * manifest, README and read-back all hash the signed file.
 */
export function bundleFiles(plan: BundlePlan, signer?: ScriptSigner): { inputs: BundleFileInput[]; described: BundleFile[] } {
  const inputs: BundleFileInput[] = [];
  const described: BundleFile[] = [];
  const add = (name: string, data: Uint8Array, kind: BundleFile['kind'], extra: Pick<BundleFile, 'profile' | 'node' | 'role'> = {}): void => {
    inputs.push({ name, data });
    described.push({ path: name, sha256: sha256Hex(data), size: data.length, kind, ...extra });
  };
  for (const p of plan.pfx) add(p.fileName, p.data, 'pfx', { profile: p.profile });
  for (const c of plan.roots) add(c.fileName, c.der, 'root-ca');
  for (const c of plan.intermediates) add(c.fileName, c.der, 'intermediate-ca');
  for (const c of plan.publicIntermediates) add(c.fileName, c.der, 'public-intermediate');
  if (plan.publicRoot) add(plan.publicRoot.fileName, plan.publicRoot.der, 'public-root');
  for (const n of plan.proxy?.nodes ?? []) for (const f of n.files) add(`${n.folder}/${f.name}`, f.data, 'proxy', { node: n.host, role: f.role });
  add(BUNDLE_FILES.readme, windowsText(renderReadme(plan)), 'readme');
  const script = windowsText(renderInstallScript(plan));
  add(BUNDLE_FILES.script, signer ? signPowerShellScript(script, signer) : script, 'script');
  // The manifest lists every other file with its hash; its own hash is in the result and the history.
  add(BUNDLE_FILES.manifest, new TextEncoder().encode(renderManifest(plan, described.slice())), 'manifest');
  return { inputs, described };
}
