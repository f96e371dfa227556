import { resolve } from 'node:path';
import type { RepairOutcome } from '../common/api-dto.js';
import type { SecretStore } from '../common/secret-store.js';
import { Store } from '../store/store.js';

/** What every service call needs: where the store is, the keychain, and (in tests) a clock. */
export interface ServiceContext {
  storeDir: string;
  secrets: SecretStore;
  now?: () => Date;
  /** Non-fatal notes for the user (e.g. a damaged request skipped in a listing); default: dropped. */
  warn?: (message: string) => void;
  /** How long to wait for another process's store lock (default: the store's). */
  lockTimeoutMs?: number;
  /**
   * Information for the user that is no warning (e.g. "no store here yet"); default: dropped. A
   * repair of an interrupted write found at the lock comes with its outcome.
   */
  note?: (message: string, repair?: RepairOutcome) => void;
  /**
   * Open only a store that exists, whatever the service would do otherwise: set by callers that must
   * change nothing (read-only CLI commands), so even a service that would create the store cannot.
   */
  existingStoreOnly?: boolean;
}

/**
 * Opens the store of `ctx`, creating it on first use unless `mustExist` (or ctx.existingStoreOnly):
 * then nothing is created and a missing store is NOT_FOUND naming the folder.
 */
export function openStore(ctx: ServiceContext, opts: { mustExist?: boolean } = {}): Promise<Store> {
  return Store.open(ctx.storeDir, ctx.secrets, {
    ...(ctx.now ? { now: ctx.now } : {}),
    ...(ctx.lockTimeoutMs !== undefined ? { lockTimeoutMs: ctx.lockTimeoutMs } : {}),
    ...(opts.mustExist === true || ctx.existingStoreOnly === true ? { create: false } : {}),
    ...(ctx.note ? { note: ctx.note } : {}),
  });
}

/**
 * The existing store of `ctx` for a listing, or null (after a ctx.note) when there is none yet: an
 * empty list is the true answer there, and listing must not create a store.
 */
export async function openStoreIfExists(ctx: ServiceContext): Promise<Store | null> {
  if (!(await Store.exists(ctx.storeDir))) {
    ctx.note?.(`no Certdesk store at ${resolve(ctx.storeDir)} yet`);
    return null;
  }
  return openStore(ctx, { mustExist: true });
}

/** The context's clock. */
export function nowOf(ctx: ServiceContext): Date {
  return ctx.now ? ctx.now() : new Date();
}
