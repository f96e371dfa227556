import { readFile, unlink } from 'node:fs/promises';
import { domainToASCII } from 'node:url';
import { type DecodedCsr } from '../common/csr.js';
import { CertdeskError } from '../common/errors.js';
import { REQUEST_STATUSES, type RequestRecord, type RenewalChainEntry, type RequestStatus } from '../common/requests.js';
import { parseCsr } from '../pki/csr-decode.js';
import { sha256Hex } from '../pki/fingerprint.js';
import { storeKeyAccount } from '../store/store-key.js';
import { loadPath, type UserPath } from '../store/user-path.js';
import { openStore, openStoreIfExists, type ServiceContext } from './context.js';
import { pfxPasswordAccount } from './export.js';
import { renewalChain } from './renewal-chain.js';

function invalid(message: string): never {
  throw new CertdeskError('INVALID_INPUT', message);
}

import { plural } from './request-create.js';
import { readCsrDerIfAny } from './request-csr.js';

export { createRequest, type CreateRequestOptions, freshId, type RenewalLink } from './request-create.js';
export { getCsr } from './request-csr.js';

/** The id `idOrPrefix` names (an exact id or a unique prefix), for every service taking an id. */
export async function resolveRequestId(ctx: ServiceContext, idOrPrefix: string): Promise<string> {
  return (await openStore(ctx, { mustExist: true })).resolveId(idOrPrefix);
}

function matches(r: RequestRecord, needles: string[]): boolean {
  const hay = [r.id, r.friendlyName, r.description, r.subject, r.distinguishedName, ...r.sans].map((s) => s.toLowerCase());
  return needles.some((n) => hay.some((h) => h.includes(n)));
}

/**
 * Stored requests, oldest first, optionally filtered by status and by a case-insensitive search over
 * id, friendly name, description, subject and SANs (an internationalized name also matches its A-label).
 * Damaged requests are skipped and reported through ctx.warn.
 */
export async function listRequests(ctx: ServiceContext, f: { status?: RequestStatus; search?: string } = {}): Promise<RequestRecord[]> {
  return (await listRequestsWithLinks(ctx, f)).records;
}

/**
 * listRequests plus, for every listed request, the ids of the requests that renew it (found over the
 * whole store, so a filtered listing still shows links to requests it leaves out).
 */
export async function listRequestsWithLinks(ctx: ServiceContext, f: { status?: RequestStatus; search?: string } = {}): Promise<{ records: RequestRecord[]; renewedBy: Record<string, string[]> }> {
  if (f.status !== undefined && !(REQUEST_STATUSES as readonly string[]).includes(f.status)) {
    invalid(`unknown status "${String(f.status)}"; use one of ${REQUEST_STATUSES.join(', ')}`);
  }
  const store = await openStoreIfExists(ctx);
  if (!store) return { records: [], renewedBy: {} };
  const { records, problems } = await store.scanRequests();
  for (const p of problems) ctx.warn?.(`skipped request ${p.id}: ${p.message}`);
  const search = f.search?.trim().toLowerCase() ?? '';
  const needles = search === '' ? [] : [...new Set([search, domainToASCII(search) || search])];
  const listed = records.filter((r) => (f.status === undefined || r.status === f.status) && (needles.length === 0 || matches(r, needles)));
  const renewedBy: Record<string, string[]> = {};
  for (const r of records) if (r.renews !== undefined) (renewedBy[r.renews] ??= []).push(r.id);
  return { records: listed, renewedBy };
}

/**
 * The record, its decoded CSR (null for an adopted certificate, which has none) and its renewal
 * chain, oldest first, this request included (just itself when it was never renewed nor renews).
 */
export async function showRequest(ctx: ServiceContext, id: string): Promise<{ record: RequestRecord; csr: DecodedCsr | null; renewalChain: RenewalChainEntry[] }> {
  const store = await openStore(ctx, { mustExist: true });
  const realId = await store.resolveId(id);
  const record = await store.getRequest(realId);
  const der = await readCsrDerIfAny(store, realId, record);
  // Found through `renews` of every record, so it holds even if a crash cut the old one's `renewed-by` event.
  const chain = renewalChain(await store.listRequests(), realId);
  return { record, csr: der ? parseCsr(der) : null, renewalChain: chain.map(chainEntry) };
}

function chainEntry(r: RequestRecord): RenewalChainEntry {
  return {
    id: r.id,
    status: r.status,
    subject: r.subject,
    createdAt: r.createdAt,
    ...(r.renews !== undefined ? { renews: r.renews } : {}),
    ...(r.certificate ? { thumbprint: r.certificate.thumbprint, notAfter: r.certificate.notAfter } : {}),
  };
}

/** What deleteRequest did. */
export interface DeletedRequest {
  id: string;
  /** Paths of the PFX files exported earlier: they still hold the private key, protected by their password. */
  exportedFiles: string[];
  /** How many PFX passwords were removed from the keychain. */
  passwordsRemoved: number;
  /** Keychain accounts that could not be removed (the keychain failed); reported through ctx.warn too. */
  passwordsLeft: string[];
  /** Of exportedFiles, those still on disk with the content Certdesk wrote (and not removed). */
  exportedFilesPresent: string[];
  /** Exported PFX files removed on request (removeExports), each only after its SHA-256 matched the record. */
  exportedFilesRemoved: string[];
}

/** How deleteRequest may proceed. */
export interface DeleteOptions {
  /** Delete even when the OS keychain cannot be reached (its PFX passwords then stay behind). */
  force?: boolean;
  /** Also remove the exported PFX files that still hold exactly what was exported. */
  removeExports?: boolean;
}

/** The exported files still on disk with the recorded SHA-256: a file someone replaced is not Certdesk's to touch. */
async function presentExports(exports: readonly { path: string; pathBytes?: string; sha256: string }[]): Promise<{ path: UserPath; shown: string }[]> {
  const out: { path: UserPath; shown: string }[] = [];
  for (const e of exports) {
    // The exact name written: its bytes when it is not valid UTF-8 (path then holds display text).
    const path = loadPath(e.path, e.pathBytes);
    const data = await readFile(path).catch(() => null);
    if (data && sha256Hex(data) === e.sha256) out.push({ path, shown: e.path });
  }
  return out;
}

/** A damaged request's exports are unknown; numbers run 1, 2, ... so probe until one is absent. */
const MAX_PROBED_EXPORTS = 10_000;

/**
 * Removes the keychain passwords of a request's PFX exports. Failures do not undo the deletion (the
 * request is gone already): they are returned and warned about, naming the account to remove by hand.
 */
async function deletePfxPasswords(ctx: ServiceContext, storeId: string, id: string, numbers: number[] | null): Promise<{ removed: number; left: string[] }> {
  let removed = 0;
  const left: string[] = [];
  const remove = async (n: number): Promise<boolean> => {
    const account = pfxPasswordAccount(storeId, id, n);
    try {
      const gone = await ctx.secrets.delete(account);
      if (gone) removed++;
      return gone;
    } catch (e) {
      left.push(account);
      ctx.warn?.(`the password of PFX export #${n} could not be removed from the keychain (${e instanceof Error ? e.message : String(e)}); remove the entry "${account}" by hand`);
      return false;
    }
  };
  if (numbers) for (const n of numbers) await remove(n);
  else {
    let n = 1;
    while (n <= MAX_PROBED_EXPORTS && (await remove(n))) n++;
  }
  return { removed, left };
}

/**
 * Deletes the request, destroys its encrypted private key and removes the PFX passwords of its
 * exports from the keychain; audits `key-deleted`. Destructive, so only the full id is accepted:
 * a prefix that happens to be unique today must not pick what gets destroyed.
 */
export async function deleteRequest(ctx: ServiceContext, id: string, opts: DeleteOptions = {}): Promise<DeletedRequest> {
  const store = await openStore(ctx, { mustExist: true });
  const realId = await store.resolveId(id);
  if (realId !== id.trim().toLowerCase()) {
    invalid(`give the full request id to delete (${realId}); a prefix is not enough to destroy a private key`);
  }
  if (opts.force !== true) {
    // Without the keychain the request's PFX passwords would stay behind, orphaned: ask first.
    try {
      await ctx.secrets.get(storeKeyAccount(store.storeId));
    } catch (e) {
      if (e instanceof CertdeskError && e.code.startsWith('KEYCHAIN_')) {
        throw new CertdeskError(e.code, `${e.message}; the request was not deleted, because its PFX passwords in the keychain would be left behind`);
      }
      throw e;
    }
  }
  return store.withLock(async () => {
    const record = await store.getRequest(realId).catch((e: unknown) => {
      // A damaged request may still be deleted: that is how the admin gets rid of it.
      if (e instanceof CertdeskError && e.code === 'STORE_CORRUPT') return null;
      throw e;
    });
    await store.deleteRequest(realId);
    const exports = record?.exports ?? [];
    const present = await presentExports(exports);
    const removedFiles: string[] = [];
    if (opts.removeExports === true) {
      for (const { path, shown } of present) {
        await unlink(path).then(
          () => removedFiles.push(shown),
          (e: unknown) => ctx.warn?.(`could not remove ${shown}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`),
        );
      }
    }
    const passwords = await deletePfxPasswords(ctx, store.storeId, realId, record ? exports.map((e) => e.n) : null);
    const what = record ? `request for ${record.distinguishedName} (status ${record.status})` : 'damaged request';
    const pw =
      (passwords.removed > 0 ? `; ${plural(passwords.removed, 'PFX password')} removed from the keychain` : '') +
      (removedFiles.length > 0 ? `; ${plural(removedFiles.length, 'exported PFX file')} removed` : '');
    await store.appendAudit({ event: 'key-deleted', requestId: realId, detail: `${what} deleted; its encrypted private key was destroyed${pw}` });
    return {
      id: realId,
      exportedFiles: exports.map((e) => e.path),
      passwordsRemoved: passwords.removed,
      passwordsLeft: passwords.left,
      exportedFilesPresent: present.map((p) => p.shown).filter((p) => !removedFiles.includes(p)),
      exportedFilesRemoved: removedFiles,
    };
  });
}
