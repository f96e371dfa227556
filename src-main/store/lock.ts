import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, rm } from 'node:fs/promises';
import { hostname, uptime } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { CertdeskError } from '../common/errors.js';
import { tempSibling } from './durable.js';

/** Who holds a store lock, as written into `store.lock`. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** ISO-8601 time the lock was taken. */
  since: string;
  /** Random per acquisition, so a release never removes someone else's lock. */
  token: string;
}

/** How long to wait for a busy lock before giving up with STORE_LOCKED. */
export interface LockOptions {
  timeoutMs: number;
  /** Called when the lock of a holder proven gone (a crashed writer) is taken over. */
  onTakeOver?: () => void;
}

/** Releases a lock taken by acquireLock; safe to call once. */
export type ReleaseLock = () => Promise<void>;

function parseHolder(text: string): LockHolder | null {
  try {
    const v = JSON.parse(text) as Partial<LockHolder> | null;
    if (v && typeof v.pid === 'number' && typeof v.hostname === 'string' && typeof v.since === 'string' && typeof v.token === 'string') {
      return v as LockHolder;
    }
  } catch {
    // fall through: an unreadable lock is reported, never guessed at
  }
  return null;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock is stale only when we can prove its holder is gone: same host and either the pid is dead or
 * the lock predates the last boot (pids are reused after a reboot). A lock from another host (a
 * network share) is never taken over.
 */
function isStale(holder: LockHolder): boolean {
  if (holder.hostname !== hostname()) return false;
  const bootedAt = Date.now() - uptime() * 1000;
  if (Date.parse(holder.since) < bootedAt - 60_000) return true;
  return holder.pid !== process.pid && !processAlive(holder.pid);
}

/** Creates the lock file with its content in one step: a complete temp file hard-linked into place. */
async function tryCreate(lockPath: string, content: string): Promise<boolean> {
  const tmp = tempSibling(lockPath);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await link(tmp, lockPath);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await rm(tmp, { force: true });
  }
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Removes a stale lock whose content is `staleText`. The lock is first renamed aside and compared, so
 * when another process replaced it in between, its fresh lock is put back rather than deleted.
 */
async function takeOver(lockPath: string, staleText: string): Promise<void> {
  const aside = `${lockPath}.stale-${randomBytes(6).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const moved = await readText(aside);
  if (moved !== staleText) {
    try {
      await link(aside, lockPath);
    } catch {
      // Someone else created a lock meanwhile: theirs stands.
    }
  }
  await rm(aside, { force: true });
}

function describe(holder: LockHolder | null, lockPath: string): string {
  if (!holder) return `the store lock ${lockPath} exists but cannot be read; if no Certdesk is running, delete it`;
  return (
    `the store is in use by process ${holder.pid} on ${holder.hostname} (since ${holder.since}); ` +
    `try again when it has finished, or if that process is gone, delete ${lockPath}`
  );
}

/**
 * Takes the store's inter-process lock (`store.lock`, created exclusively with pid, host and time).
 * Waits up to `timeoutMs` for a live holder, then throws STORE_LOCKED naming it.
 */
export async function acquireLock(lockPath: string, opts: LockOptions): Promise<ReleaseLock> {
  const me: LockHolder = { pid: process.pid, hostname: hostname(), since: new Date().toISOString(), token: randomBytes(16).toString('hex') };
  const content = `${JSON.stringify(me)}\n`;
  const deadline = Date.now() + opts.timeoutMs;
  let pause = 20;
  for (;;) {
    if (await tryCreate(lockPath, content)) break;
    const text = await readText(lockPath);
    if (text === null) continue; // released between our attempts
    const holder = parseHolder(text);
    if (holder && isStale(holder)) {
      await takeOver(lockPath, text);
      opts.onTakeOver?.();
      continue;
    }
    if (Date.now() >= deadline) throw new CertdeskError('STORE_LOCKED', describe(holder, lockPath));
    await sleep(Math.min(pause, Math.max(1, deadline - Date.now())));
    pause = Math.min(pause * 2, 200);
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    const text = await readText(lockPath);
    if (text !== null && parseHolder(text)?.token === me.token) await rm(lockPath, { force: true });
  };
}

/** Reads the current holder of a lock, or null when the store is not locked (for diagnostics). */
export async function readLockHolder(lockPath: string): Promise<LockHolder | null> {
  const text = await readText(lockPath);
  return text === null ? null : parseHolder(text);
}
