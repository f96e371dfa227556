import { CertdeskError } from '../common/errors.js';
import type { ExportRecord } from '../common/exports.js';
import { type BundleResult, nodeKindOf, profileForWindowsVersion } from '../common/farms.js';
import { type BundleFs, nodeBundleFs } from '../media/bundle-fs.js';
import { BUNDLE_FILES, type BundlePfx, type BundlePlan, type BundleProxyPlan, bundleFolderName, pfxFileName } from '../media/bundle-plan.js';
import { type StagedBundle, stageBundleFolder } from '../media/bundle-writer.js';
import { type CodeSigner, openCodeSigningPfx } from '../pki/code-signing-pfx.js';
import { assertStrongPassword, generatePfxPassword } from '../pki/pfx-password.js';
import { FarmStore } from '../store/farm-store.js';
import { assertOutsideStore } from '../store/paths.js';
import { isAbsoluteUserPath, joinUserPath, showPath, storePath, type UserPath } from '../store/user-path.js';
import { bundleProxyPlan } from './bundle-proxy.js';
import { bundleFiles, farmCas, profilesForFarm, publicIntermediatesOf, publicRootOf } from './bundle-content.js';
import { nowOf, openStore, type ServiceContext } from './context.js';
import { buildPfx, pfxPasswordAccount } from './export.js';

/** What `bundle` takes. */
export interface WriteBundleInput {
  id: string;
  farm: string;
  /** Absolute path of the folder (a drive's mount point, or any folder) the bundle folder goes into; a Buffer when the name is not valid UTF-8. */
  toDir: UserPath;
  /** A supplied PFX password; or `generatePassword: true`. */
  password?: string;
  generatePassword?: boolean;
  /** Also put the root of the certificate's own (public) chain on the drive. */
  includePublicRoot?: boolean;
  /** Write the bundle even when no path to a root is known; the result's `warnings` say so. */
  allowIncompleteChain?: boolean;
  /**
   * Sign Install-Certificate.ps1 (Authenticode) with the admin's code-signing PFX. The bytes and the
   * password stay in this process: never stored, logged, audited or returned.
   */
  signWith?: { pfx: Uint8Array; password: string };
}

/**
 * Writes a farm bundle: a PFX per profile the farm's nodes need, the farm's internal CA certificates,
 * the public root when asked, manifest.json, README.txt and Install-Certificate.ps1, into
 * `<toDir>/Certdesk-<subject>-<yyyymmdd-hhmm>/`, all or nothing (see writeBundleFolder). The one PFX
 * password goes to the OS keychain (one entry per PFX export number) and never onto the drive. Only
 * after every file was read back and matched is the export recorded: `exports`, history
 * (`bundle-written`), status `exported`, the request linked to the farm, audit `bundle-written`.
 * Any failure leaves no bundle folder, no keychain entry and no record change.
 */
export async function writeBundle(ctx: ServiceContext, input: WriteBundleInput, fs: BundleFs = nodeBundleFs): Promise<BundleResult> {
  if (!isAbsoluteUserPath(input.toDir)) throw new CertdeskError('INVALID_INPUT', 'the bundle destination must be an absolute path');
  if (input.generatePassword === true && input.password !== undefined) throw new CertdeskError('INVALID_INPUT', 'give a password or ask for a generated one, not both');
  if (input.generatePassword !== true && input.password === undefined) {
    throw new CertdeskError('INVALID_INPUT', 'a PFX password is needed: --password-file FILE or --generate-password');
  }
  const password = input.password ?? generatePfxPassword();
  assertStrongPassword(password);
  const now = nowOf(ctx);
  // Before the store is locked: a wrong password or an unfit certificate stops here, nothing touched.
  const signer: CodeSigner | null = input.signWith ? await openCodeSigningPfx(input.signWith.pfx, input.signWith.password, now) : null;
  const store = await openStore(ctx);
  const farms = new FarmStore(store);

  return store.withLock(async () => {
    // Like exportPfx: nothing is ever written inside the store folder, whichever shell asked.
    await assertOutsideStore(store.dir, input.toDir);
    const id = await store.resolveId(input.id);
    const record = await store.getRequest(id);
    const cert = record.certificate;
    if (!record.exportable) throw new CertdeskError('NOT_EXPORTABLE', `request ${id} was made non-exportable: its private key never leaves this store`);
    if (!cert) throw new CertdeskError('NOT_EXPORTABLE', `request ${id} has no certificate yet; import the CA's answer first (certdesk import FILE)`);
    const farm = await farms.get(input.farm);
    const profiles = profilesForFarm(farm);

    const pfx: BundlePfx[] = [];
    const iterations = new Map<string, number>();
    const warnings = new Set<string>();
    let pfxCas: Uint8Array[] = [];
    for (const profile of profiles) {
      // buildPfx refuses an expired or not yet valid certificate or CA, and an incomplete chain unless
      // allowed; it reads the PFX back with an independent reader before returning it.
      const built = await buildPfx(ctx, id, { profile, password, includeRoot: false, allowIncompleteChain: input.allowIncompleteChain === true });
      for (const w of built.warnings) warnings.add(w);
      pfxCas = built.caDer;
      pfx.push({ fileName: pfxFileName(record.subject, profile), profile, data: built.pfx });
      iterations.set(profile, built.iterations);
    }
    const { roots, intermediates } = farmCas(farm);
    const publicRoot = input.includePublicRoot === true ? await publicRootOf(store, record, now) : null;
    const publicIntermediates = publicIntermediatesOf(pfxCas, [...roots, ...intermediates, ...(publicRoot ? [publicRoot] : [])]);
    const firstExport = Math.max(0, ...(record.exports ?? []).map((e) => e.n)) + 1;
    const proxy = await bundleProxyPlan(ctx, store, record, farm, password, now);
    const plan: BundlePlan = {
      requestId: id,
      friendlyName: record.friendlyName,
      subject: record.subject,
      distinguishedName: cert.subject,
      sans: cert.sans,
      issuer: cert.issuer,
      serialNumber: cert.serialNumber,
      thumbprint: cert.thumbprint,
      certificateSha256: cert.sha256,
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      farm: farm.name,
      nodes: farm.nodes.map((n) => ({ host: n.host, windowsVersion: n.windowsVersion, profile: profileForWindowsVersion(n.windowsVersion), kind: nodeKindOf(n), notes: n.notes })),
      pfx,
      roots,
      intermediates,
      publicIntermediates,
      publicRoot,
      passwordExport: firstExport,
      createdAt: now.toISOString(),
      proxy: proxy.plan,
      ...(signer ? { scriptSigner: { subject: signer.subject, thumbprint: signer.thumbprint, issuer: signer.issuer, notAfter: signer.notAfter.toISOString() } } : {}),
    };
    const { inputs, described } = bundleFiles(plan, signer ?? undefined);
    const folderName = bundleFolderName(record.subject, now);
    // One export entry (and keychain item, same password) per PFX and per node's proxy key file.
    const exportCount = pfx.length + proxy.keyFiles.length;
    const accounts = Array.from({ length: exportCount }, (_, i) => pfxPasswordAccount(store.storeId, id, firstExport + i));
    const dir = joinUserPath(input.toDir, folderName);
    // Recorded as text plus, for a name that is not valid UTF-8, its exact bytes (store/user-path.ts).
    const stored = (path: UserPath): { path: string; pathBytes?: string } => {
      const p = storePath(path);
      return { path: p.text, ...(p.bytes !== undefined ? { pathBytes: p.bytes } : {}) };
    };
    const at = now.toISOString();
    const entries: ExportRecord[] = pfx.map((p, i) => ({
      n: firstExport + i,
      at,
      profile: p.profile,
      iterations: iterations.get(p.profile) ?? 0,
      includeRoot: false,
      ...stored(joinUserPath(dir, p.fileName)),
      sha256: described.find((d) => d.path === p.fileName)?.sha256 ?? '',
      thumbprint: cert.thumbprint,
      passwordSource: input.password === undefined ? 'generated' : 'supplied',
    }));
    proxy.keyFiles.forEach((k, i) =>
      entries.push({
        n: firstExport + pfx.length + i,
        at,
        profile: 'modern',
        iterations: k.iterations,
        includeRoot: false,
        ...stored(joinUserPath(dir, ...k.path.split('/'))),
        sha256: described.find((d) => d.path === k.path)?.sha256 ?? '',
        thumbprint: cert.thumbprint,
        passwordSource: input.password === undefined ? 'generated' : 'supplied',
        format: k.format,
        proxyKind: k.kind,
      }),
    );
    const manifestSha = described.find((d) => d.kind === 'manifest')?.sha256 ?? '';
    const detail =
      `bundle for farm ${farm.name} written to ${showPath(dir)}: ${described.length} files, PFX ${entries.slice(0, pfx.length).map((e) => `#${e.n} ${e.profile}`).join(', ')}; ` +
      proxyDetail(proxy.plan, entries.slice(pfx.length)) +
      (signer ? `${BUNDLE_FILES.script} signed by ${signer.subject} (thumbprint ${signer.thumbprint}); ` : '') +
      `every file read back and its SHA-256 matched (manifest.json ${manifestSha}); password in the OS keychain, not on the drive` +
      [...warnings].map((w) => `; warning: ${w}`).join('');

    // Recorded before anything touches the drive (store/intents.ts): killed at any moment, the next
    // command that locks the store puts the recorded bundle into place or removes the hidden partial
    // folder and the keychain entries of a bundle that was never recorded.
    const intent = await store.beginIntent({
      kind: 'bundle',
      requestId: id,
      exports: entries.map((e) => e.n),
      accounts,
      targets: [{ path: dir, folder: true }],
      audit: { event: 'bundle-written', requestId: id, detail },
    });
    let staged: StagedBundle | null = null;
    await intent.run({
      // The password goes to the keychain before anything touches the drive: a bundle whose generated
      // password was lost would be useless.
      secret: password,
      stage: async () => {
        staged = await stageBundleFolder(fs, input.toDir, folderName, inputs, intent.temp(0));
      },
      record: async () => {
        await store.updateRequest(id, (r) => ({
          ...r,
          status: r.status === 'issued' ? 'exported' : r.status,
          exports: [...(r.exports ?? []), ...entries],
          history: [...r.history, { at, event: 'bundle-written', detail }],
        }));
        return async () => {
          await store.updateRequest(id, () => record);
        };
      },
      // Through the drive port, so a drive pulled at the last moment is said in an admin's words.
      place: async () => {
        await staged?.place();
      },
    });
    // From here on the export is recorded and audited; linking is bookkeeping on top of it.
    if (!farm.requestIds.includes(id)) await farms.update(farm.name, (f) => ({ ...f, requestIds: [...f.requestIds, id] }), () => now);
    const shownDir = storePath(dir);
    return {
      requestId: id,
      farm: farm.name,
      dir: shownDir.text,
      ...(shownDir.bytes !== undefined ? { dirBytes: shownDir.bytes } : {}),
      files: described,
      profiles,
      verified: true,
      thumbprint: cert.thumbprint,
      passwordExport: firstExport,
      passwordGenerated: input.password === undefined,
      ...(warnings.size > 0 ? { warnings: [...warnings] } : {}),
      ...(proxy.plan.missing !== null ? { proxyConfigMissing: proxy.plan.missing } : {}),
      ...(signer ? { scriptSignedBy: { subject: signer.subject, thumbprint: signer.thumbprint, notAfter: signer.notAfter.toISOString() } } : {}),
    };
  });
}

/** The history's words for the nodes' proxy configuration. */
function proxyDetail(plan: BundleProxyPlan, keyEntries: readonly ExportRecord[]): string {
  if (plan.missing !== null) return `no proxy configuration (${plan.missing}); `;
  if (plan.nodes.length === 0) return '';
  const keys = keyEntries.length > 0 ? `, key material ${keyEntries.map((e) => `#${e.n} ${e.proxyKind ?? ''} ${e.format ?? ''}`).join(', ')}` : '';
  return `proxy configuration for ${plan.nodes.map((n) => `${n.host} (${n.kind})`).join(', ')}${keys}; `;
}
