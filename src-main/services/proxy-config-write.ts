import { lstat, rmdir, stat } from 'node:fs/promises';
import { CertdeskError } from '../common/errors.js';
import type { ExportRecord, PfxProfile } from '../common/exports.js';
import type { ProxyConfigResult, ProxyFile, ProxyFileRole } from '../common/proxy.js';
import type { RequestRecord } from '../common/requests.js';
import { renderHaproxyInstallScript } from '../planning/proxy/haproxy-script.js';
import { proxyFileNames } from '../planning/proxy/input.js';
import { sha256Hex } from '../pki/fingerprint.js';
import { toPem } from '../pki/pem.js';
import { assertStrongPassword, generatePfxPassword } from '../pki/pfx-password.js';
import { createPfx, resolveIterations } from '../pki/pkcs12.js';
import { encryptPrivateKeyPem } from '../pki/pkcs8-encrypted.js';
import { ensureDir, FILE_MODE, removeDurable, writeFileDurable } from '../store/durable.js';
import { ioReason } from '../store/io-error.js';
import { assertOutsideStore } from '../store/paths.js';
import { dirOfUserPath, isAbsoluteUserPath, joinUserPath, sameUserPath, showPath, storePath, type UserPath } from '../store/user-path.js';
import type { Store } from '../store/store.js';
import { nowOf, openStore, type ServiceContext } from './context.js';
import { pfxPasswordAccount } from './export.js';
import { loadExportChain } from './export-chain.js';
import { prepareProxyConfig, type PreparedProxyConfig, type ProxyConfigOptions } from './proxy-config.js';

/** Where and how to write a proxy configuration. */
export interface WriteProxyConfigOptions extends ProxyConfigOptions {
  /** Absolute folder to write into (created when missing); existing files are never overwritten. A Buffer when the name is not valid UTF-8. */
  out: UserPath;
  /** Protects the key material; default: generated and kept in the OS keychain. */
  password?: string;
}

/** One file of a proxy configuration, before it is written. */
export interface PendingFile {
  name: string;
  role: ProxyFileRole;
  data: Uint8Array | string;
  mode?: number;
}

/** The OpenSSL 3 default PBKDF2 iteration count of an encrypted PKCS#8 PEM (node:crypto's export). */
const PKCS8_ITERATIONS = 2048;

/**
 * The key material a proxy kind needs, under one password: nginx reads a PEM certificate chain and
 * an encrypted PKCS#8 key; HAProxy a PFX it converts on the node (plus the script doing that);
 * IIS ARR and TMG import a PFX (legacy profile: TMG's Windows Server 2008 R2 reads nothing newer).
 */
export async function proxyKeyMaterial(store: Store, prepared: PreparedProxyConfig, record: RequestRecord, password: string, now: Date): Promise<{ files: PendingFile[]; profile: PfxProfile; iterations: number; format: 'pfx' | 'pkcs8-pem'; main: string }> {
  const f = proxyFileNames(prepared.result.subject);
  const { leaf, cas } = await loadExportChain(store, record, { includeRoot: false, allowIncompleteChain: false }, now);
  const privateKeyPem = await store.readPrivateKey(record.id);
  if (prepared.result.kind === 'nginx') {
    const chain = [leaf.der, ...cas].map((d) => toPem(d, 'CERTIFICATE')).join('');
    return {
      files: [
        { name: f.certificate, role: 'certificate', data: chain },
        { name: f.key, role: 'key', data: encryptPrivateKeyPem(privateKeyPem, password) },
      ],
      profile: 'modern',
      iterations: PKCS8_ITERATIONS,
      format: 'pkcs8-pem',
      main: f.key,
    };
  }
  // HAProxy nodes run OpenSSL, which reads the AES profile; Windows kinds may be Server 2008 R2.
  const profile: PfxProfile = prepared.result.kind === 'haproxy' ? 'modern' : 'legacy';
  const iterations = resolveIterations(profile, undefined);
  const pfx = await createPfx({ privateKeyPem, certificate: leaf.der, caCertificates: cas, friendlyName: record.friendlyName || record.subject }, { profile, password, iterations });
  const files: PendingFile[] = [{ name: f.pfx, role: 'pfx', data: pfx }];
  if (prepared.result.kind === 'haproxy') files.push({ name: f.haproxyScript, role: 'script', data: renderHaproxyInstallScript(prepared.input), mode: 0o700 });
  return { files, profile, iterations, format: 'pfx', main: f.pfx };
}

/** The folders that writing into `dir` would create, outermost first (none when it exists). */
async function missingFolders(dir: UserPath): Promise<UserPath[]> {
  const missing: UserPath[] = [];
  for (let p = dir; !(await stat(p).then(() => true, () => false)); p = dirOfUserPath(p)) {
    missing.unshift(p);
    if (sameUserPath(dirOfUserPath(p), p)) break;
  }
  return missing;
}

async function refuseExisting(path: UserPath): Promise<void> {
  try {
    // lstat: a symbolic link (dangling or not) is something there too, never renamed over.
    await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new CertdeskError('IO_ERROR', `cannot write ${showPath(path)}: ${ioReason(e)}`);
  }
  throw new CertdeskError('CONFLICT', `${showPath(path)} already exists; choose another folder (existing files are never overwritten)`);
}

/** `path` as JSON fields: the text, plus the exact bytes (base64) for a name that is not valid UTF-8. */
function pathFields<K extends string>(key: K, path: UserPath): Record<K, string> & Partial<Record<`${K}Bytes`, string>> {
  const p = storePath(path);
  return { [key]: p.text, ...(p.bytes !== undefined ? { [`${key}Bytes`]: p.bytes } : {}) } as Record<K, string> & Partial<Record<`${K}Bytes`, string>>;
}

function describe(file: PendingFile, dir: UserPath): ProxyFile {
  const bytes = typeof file.data === 'string' ? new TextEncoder().encode(file.data) : file.data;
  return { name: file.name, role: file.role, sha256: sha256Hex(bytes), size: bytes.length, ...pathFields('path', joinUserPath(dir, file.name)) };
}

/**
 * Writes a proxy configuration into a folder: the main file, the internal CA when known, and with a
 * request its key material under a password (supplied, or generated and kept in the OS keychain as
 * an export of the request, `certdesk password ID --export N`). All or nothing: any failure removes
 * what was written and the keychain entry, and records nothing; with key material the write runs under
 * an intent (store/intents.ts), so even kill -9 is finished or rolled back by the next lock.
 */
export async function writeProxyConfig(ctx: ServiceContext, opts: WriteProxyConfigOptions): Promise<ProxyConfigResult> {
  if (!isAbsoluteUserPath(opts.out)) throw new CertdeskError('INVALID_INPUT', 'the output folder must be an absolute path');
  if (opts.password !== undefined) assertStrongPassword(opts.password);
  const prepared = await prepareProxyConfig(ctx, opts);
  const { result, record } = prepared;
  const f = proxyFileNames(result.subject);
  const pending: PendingFile[] = [{ name: result.fileName, role: result.kind === 'tmg' ? 'checklist' : result.kind === 'iis-arr' ? 'script' : 'config', data: result.text }];
  if (prepared.trustedCaPem !== null) pending.push({ name: f.trustedCa, role: 'trusted-ca', data: prepared.trustedCaPem });
  const now = nowOf(ctx);

  // Without a request there is no key material and no password: the files are written one by one
  // (each atomically) and removed again on failure; only key material needs an intent.
  const write = async (store: Store | null): Promise<ProxyFile[]> => {
    const all = pending;
    if (store) await assertOutsideStore(store.dir, opts.out);
    for (const p of all) await refuseExisting(joinUserPath(opts.out, p.name));
    const written: UserPath[] = [];
    const folderExisted = await stat(opts.out).then(() => true, () => false);
    try {
      await ensureDir(opts.out);
      for (const p of all) {
        const path = joinUserPath(opts.out, p.name);
        await writeFileDurable(path, p.data, p.mode);
        written.push(path);
      }
    } catch (e) {
      for (const path of written) await removeDurable(path).catch(() => undefined);
      if (!folderExisted) await rmdir(opts.out).catch(() => undefined);
      if (e instanceof CertdeskError) throw e;
      throw new CertdeskError('IO_ERROR', `cannot write into ${showPath(opts.out)}: ${ioReason(e)}`);
    }
    return all.map((p) => describe(p, opts.out));
  };

  if (!record) {
    const store = await openStore(ctx, { mustExist: true }).catch(() => null);
    return { ...result, files: await write(store), ...pathFields('dir', opts.out) };
  }
  const store = await openStore(ctx);
  const password = opts.password ?? generatePfxPassword();
  return store.withLock(async () => {
    const fresh = await store.getRequest(record.id);
    const material = await proxyKeyMaterial(store, prepared, fresh, password, now);
    const all = [...pending, ...material.files];
    await assertOutsideStore(store.dir, opts.out);
    for (const p of all) await refuseExisting(joinUserPath(opts.out, p.name));
    const files = all.map((p) => describe(p, opts.out));
    const n = Math.max(0, ...(fresh.exports ?? []).map((e) => e.n)) + 1;
    const mainFile = files.find((x) => x.name === material.main);
    const entry: ExportRecord = {
      n,
      at: now.toISOString(),
      profile: material.profile,
      iterations: material.iterations,
      includeRoot: false,
      ...pathFields('path', joinUserPath(opts.out, material.main)),
      sha256: mainFile?.sha256 ?? '',
      thumbprint: result.thumbprint ?? '',
      passwordSource: opts.password === undefined ? 'generated' : 'supplied',
      format: material.format,
      proxyKind: result.kind,
    };
    const detail = `${result.kind} configuration for ${result.subject} written to ${showPath(opts.out)} (${files.map((x) => x.name).join(', ')}); key material #${n} (${material.format === 'pfx' ? `${material.profile} PFX` : 'encrypted PKCS#8 PEM key'}); password in the OS keychain`;
    // Recorded before anything is written (store/intents.ts): killed at any moment, the next command
    // that locks the store finishes this write or removes its files, the folders it made and the password.
    const intent = await store.beginIntent({
      kind: 'proxy-config',
      requestId: fresh.id,
      exports: [n],
      accounts: [pfxPasswordAccount(store.storeId, fresh.id, n)],
      targets: files.map((x) => ({ path: joinUserPath(opts.out, x.name), sha256: x.sha256 })),
      createdDirs: await missingFolders(opts.out),
      audit: { event: 'proxy-config-written', requestId: fresh.id, detail },
    });
    await intent.run({
      // The password goes to the keychain first: key material on disk whose generated password is lost is useless.
      secret: password,
      stage: async () => {
        try {
          await ensureDir(opts.out);
        } catch (e) {
          throw new CertdeskError('IO_ERROR', `cannot write into ${showPath(opts.out)}: ${ioReason(e)}`);
        }
        for (const [i, p] of all.entries()) await intent.writeTemp(i, p.data, p.mode ?? FILE_MODE);
      },
      record: async () => {
        await store.updateRequest(fresh.id, (r) => ({
          ...r,
          status: r.status === 'issued' ? 'exported' : r.status,
          exports: [...(r.exports ?? []), entry],
          history: [...r.history, { at: entry.at, event: 'proxy-config-written', detail }],
        }));
        // Under the same lock nothing else changed the record meanwhile: put back exactly what was there.
        return async () => {
          await store.updateRequest(fresh.id, () => fresh);
        };
      },
    });
    return { ...result, files, ...pathFields('dir', opts.out), passwordExport: n, passwordGenerated: opts.password === undefined };
  });
}
