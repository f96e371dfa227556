import { readFile } from 'node:fs/promises';
import { CertdeskError } from '../common/errors.js';
import { DEFAULT_PFX_PROFILE, type ExportRecord, type ExportResult, PFX_PROFILE_INFO, PFX_PROFILES, type PfxProfile } from '../common/exports.js';
import type { RequestRecord } from '../common/requests.js';
import { sha256Hex } from '../pki/fingerprint.js';
import { assertStrongPassword, generatePfxPassword } from '../pki/pfx-password.js';
import { verifyPfxReadBack } from '../pki/pfx-read.js';
import { SCHANNEL_CSP, createPfx, resolveIterations } from '../pki/pkcs12.js';
import { existingFileSha } from '../store/intents.js';
import { checkOutputTarget } from '../store/user-file.js';
import { isAbsoluteUserPath, showPath, storePath, type UserPath } from '../store/user-path.js';
import { assertOutsideStore } from '../store/paths.js';
import type { Store } from '../store/store.js';
import { nowOf, openStore, type ServiceContext } from './context.js';
import { loadExportChain } from './export-chain.js';

/** How to build a PFX. */
export interface PfxOptions {
  profile?: PfxProfile;
  /** Checked for strength (WEAK_PASSWORD). */
  password: string;
  /** Add the root CA certificate after the intermediates. */
  includeRoot?: boolean;
  /** Default: the profile's (legacy 2048, modern 10,000); at most 600,000. */
  iterations?: number;
  /** Build even when no path to a root is known (the PFX then lacks CA certificates); reported in `warnings`. */
  allowIncompleteChain?: boolean;
}

/** A built PFX, not yet written anywhere. */
export interface BuiltPfx {
  pfx: Uint8Array;
  /** SHA-256 of the PFX bytes. */
  sha256: string;
  /** The certificate's SHA-1 thumbprint, uppercase hex. */
  thumbprint: string;
  profile: PfxProfile;
  iterations: number;
  /** CA certificates bundled after the leaf. */
  caCertificates: number;
  /** Those CA certificates, DER, in PFX order (as read back). */
  caDer: Uint8Array[];
  /** What was allowed explicitly (an incomplete chain), one line each. */
  warnings: string[];
}

/** How to export a PFX to a file. */
export interface ExportOptions {
  /** Absolute path of the .pfx to write (a Buffer when the name is not valid UTF-8). */
  out: UserPath;
  profile?: PfxProfile;
  /** A supplied password; or `generatePassword: true`. */
  password?: string;
  generatePassword?: boolean;
  includeRoot?: boolean;
  iterations?: number;
  /** Overwrite an existing file. */
  force?: boolean;
  /** Export even when no path to a root is known; the result's `warnings` say so. */
  allowIncompleteChain?: boolean;
}

/** Keychain account of an export's password: per store, request and export number. */
export function pfxPasswordAccount(storeId: string, requestId: string, n: number): string {
  return `pfx-password:${storeId}:${requestId}:${n}`;
}

function profileOf(p: PfxProfile | undefined): PfxProfile {
  const profile = p ?? DEFAULT_PFX_PROFILE;
  if (!(PFX_PROFILES as readonly string[]).includes(profile)) {
    throw new CertdeskError('INVALID_INPUT', `unknown PFX profile "${String(profile)}"; use ${PFX_PROFILES.join(' or ')}`);
  }
  return profile;
}

function refuseUnexportable(record: RequestRecord): void {
  if (!record.exportable) {
    throw new CertdeskError('NOT_EXPORTABLE', `request ${record.id} was made non-exportable: its private key never leaves this store`);
  }
  if (!record.certificate) {
    throw new CertdeskError('NOT_EXPORTABLE', `request ${record.id} has no certificate yet; import the CA's answer first (certdesk import FILE)`);
  }
}

async function build(store: Store, record: RequestRecord, opts: PfxOptions, now: Date): Promise<BuiltPfx> {
  const profile = profileOf(opts.profile);
  const iterations = resolveIterations(profile, opts.iterations);
  assertStrongPassword(opts.password);
  refuseUnexportable(record);
  const { leaf, cas, warnings } = await loadExportChain(store, record, { includeRoot: opts.includeRoot === true, allowIncompleteChain: opts.allowIncompleteChain === true }, now);
  const privateKeyPem = await store.readPrivateKey(record.id);
  const friendlyName = record.friendlyName || record.subject;
  const pfx = await createPfx({ privateKeyPem, certificate: leaf.der, caCertificates: cas, friendlyName, cspName: SCHANNEL_CSP }, { profile, password: opts.password, iterations });
  // Read back with node-forge, not with the code that wrote it, before the file goes anywhere.
  await verifyPfxReadBack(pfx, opts.password, { thumbprint: leaf.sha1Thumbprint, friendlyName, cspName: SCHANNEL_CSP, caSha256: cas.map((c) => sha256Hex(c)) });
  return { pfx, sha256: sha256Hex(pfx), thumbprint: leaf.sha1Thumbprint, profile, iterations, caCertificates: cas.length, caDer: cas, warnings };
}

/**
 * Builds a PFX for a request in memory (nothing written, nothing recorded): for callers that put it
 * somewhere themselves, such as a farm bundle. The PFX has been read back with an independent
 * PKCS#12 reader (key, certificate, friendly name, CSP attribute, chain). NOT_EXPORTABLE without a certificate or for a
 * non-exportable key; WEAK_PASSWORD for a weak password.
 */
export async function buildPfx(ctx: ServiceContext, requestId: string, opts: PfxOptions): Promise<BuiltPfx> {
  const store = await openStore(ctx);
  const id = await store.resolveId(requestId);
  return build(store, await store.getRequest(id), opts, nowOf(ctx));
}

/** Proves the file on disk holds exactly the bytes that were built and read back. */
async function verifyWritten(path: UserPath, expectedSha256: string): Promise<void> {
  const bytes = await readFile(path);
  if (sha256Hex(bytes) !== expectedSha256) throw new CertdeskError('IO_ERROR', `${showPath(path)} reads back different from what was written`);
}

/** The CONFLICT text for an existing --out file without --force. */
function existsMessage(path: UserPath): string {
  return `${showPath(path)} already exists; overwrite it explicitly (--force) or choose another name`;
}

/** Refuses a target that is not a regular file (device, FIFO, symlink, folder) even with force, and an existing file without it. */
async function refuseExisting(path: UserPath, force: boolean): Promise<void> {
  if ((await checkOutputTarget(path)) && !force) throw new CertdeskError('CONFLICT', existsMessage(path));
}

/**
 * Exports a request's PFX to `opts.out`: builds it, stores the password in the OS keychain (account
 * pfx-password:<store>:<request>:<n>), writes the file durably (0600) under a temporary name beside the
 * target, reads it back and checks it, records the export (number, time, profile, path, SHA-256) in the
 * record's `exports` and history, renames the file into place and audits `pfx-exported`, all under an
 * intent (store/intents.ts). Any failure leaves no file, no keychain entry, no record change; after
 * kill -9 the next command that locks the store finishes the export or removes every trace of it.
 */
export async function exportPfx(ctx: ServiceContext, requestId: string, opts: ExportOptions): Promise<ExportResult> {
  if (!isAbsoluteUserPath(opts.out)) throw new CertdeskError('INVALID_INPUT', 'the output path must be absolute');
  if (opts.generatePassword === true && opts.password !== undefined) throw new CertdeskError('INVALID_INPUT', 'give a password or ask for a generated one, not both');
  if (opts.generatePassword !== true && opts.password === undefined) throw new CertdeskError('INVALID_INPUT', 'a PFX password is needed: supply one or ask for a generated one');
  const password = opts.password ?? generatePfxPassword();
  assertStrongPassword(password);
  const now = nowOf(ctx);
  const store = await openStore(ctx);
  const id = await store.resolveId(requestId);

  return store.withLock(async () => {
    const record = await store.getRequest(id);
    await assertOutsideStore(store.dir, opts.out);
    await refuseExisting(opts.out, opts.force === true);
    const built = await build(
      store,
      record,
      {
        password,
        includeRoot: opts.includeRoot === true,
        allowIncompleteChain: opts.allowIncompleteChain === true,
        ...(opts.profile ? { profile: opts.profile } : {}),
        ...(opts.iterations !== undefined ? { iterations: opts.iterations } : {}),
      },
      now,
    );
    const n = Math.max(0, ...(record.exports ?? []).map((e) => e.n)) + 1;
    const account = pfxPasswordAccount(store.storeId, id, n);
    // A name that is not UTF-8 is recorded as display text plus its exact bytes (store/user-path.ts).
    const out = storePath(opts.out);
    const entry: ExportRecord = {
      n,
      at: now.toISOString(),
      profile: built.profile,
      iterations: built.iterations,
      includeRoot: opts.includeRoot === true,
      path: out.text,
      ...(out.bytes !== undefined ? { pathBytes: out.bytes } : {}),
      sha256: built.sha256,
      thumbprint: built.thumbprint,
      passwordSource: opts.password === undefined ? 'generated' : 'supplied',
    };
    const detail =
      `PFX #${n} (${built.profile} profile, ${built.iterations} iterations${entry.includeRoot ? ', root included' : ''}) written to ${showPath(opts.out)}; file SHA-256 ${built.sha256}; password in the OS keychain` +
      built.warnings.map((w) => `; warning: ${w}`).join('');
    // Recorded before anything is written (store/intents.ts): killed at any moment, the next command
    // that locks the store either finishes this export or leaves no file and no password behind.
    const intent = await store.beginIntent({
      kind: 'pfx-export',
      requestId: id,
      exports: [n],
      accounts: [account],
      // --force replaces only the file that is there now, and nothing that takes its place meanwhile.
      targets: [{ path: opts.out, sha256: built.sha256, replaces: opts.force === true ? await existingFileSha(opts.out) : null }],
      audit: { event: 'pfx-exported', requestId: id, detail },
    });
    await intent.run({
      // The password goes to the keychain first: a PFX on disk whose generated password is lost is useless.
      secret: password,
      stage: async () => {
        await intent.writeTemp(0, built.pfx, 0o600);
        await verifyWritten(intent.temp(0), built.sha256);
      },
      record: async () => {
        await store.updateRequest(id, (r) => ({
          ...r,
          status: r.status === 'issued' ? 'exported' : r.status,
          exports: [...(r.exports ?? []), entry],
          history: [...r.history, { at: entry.at, event: 'pfx-exported', detail }],
        }));
        // Under the same lock nothing else changed the record meanwhile: put back exactly what was there.
        return async () => {
          await store.updateRequest(id, () => record);
        };
      },
    });
    return {
      requestId: id,
      exportNumber: n,
      path: out.text,
      ...(out.bytes !== undefined ? { pathBytes: out.bytes } : {}),
      sha256: built.sha256,
      profile: built.profile,
      iterations: built.iterations,
      thumbprint: built.thumbprint,
      includeRoot: entry.includeRoot,
      caCertificates: built.caCertificates,
      passwordGenerated: entry.passwordSource === 'generated',
      serves: PFX_PROFILE_INFO[built.profile].serves,
      ...(built.warnings.length > 0 ? { warnings: built.warnings } : {}),
    };
  });
}

/** Every export of a request, oldest first. */
export async function listExports(ctx: ServiceContext, requestId: string): Promise<ExportRecord[]> {
  const store = await openStore(ctx);
  return (await store.getRequest(await store.resolveId(requestId))).exports ?? [];
}

/**
 * The stored password of export `n` (default: the latest). Only for an explicit reveal or copy by
 * the user; never log it. NOT_FOUND when there is no such export or its keychain entry is gone.
 */
export async function getPfxPassword(ctx: ServiceContext, requestId: string, n?: number): Promise<{ requestId: string; exportNumber: number; password: string }> {
  const store = await openStore(ctx);
  const id = await store.resolveId(requestId);
  const exports = (await store.getRequest(id)).exports ?? [];
  if (exports.length === 0) throw new CertdeskError('NOT_FOUND', `request ${id} has no PFX export yet`);
  const entry = n === undefined ? exports[exports.length - 1] : exports.find((e) => e.n === n);
  if (!entry) throw new CertdeskError('NOT_FOUND', `request ${id} has no export #${String(n)} (exports: ${exports.map((e) => e.n).join(', ')})`);
  const password = await ctx.secrets.get(pfxPasswordAccount(store.storeId, id, entry.n));
  if (password === null) throw new CertdeskError('NOT_FOUND', `the password of export #${entry.n} of request ${id} is not in this keychain`);
  return { requestId: id, exportNumber: entry.n, password };
}
