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
}

/** Opens the store of `ctx` (creating it on first use). */
export function openStore(ctx: ServiceContext): Promise<Store> {
  return Store.open(ctx.storeDir, ctx.secrets, {
    ...(ctx.now ? { now: ctx.now } : {}),
    ...(ctx.lockTimeoutMs !== undefined ? { lockTimeoutMs: ctx.lockTimeoutMs } : {}),
  });
}

/** The context's clock. */
export function nowOf(ctx: ServiceContext): Date {
  return ctx.now ? ctx.now() : new Date();
}
