import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import { acquireLock, readLockHolder } from '../../../src-main/store/lock.js';
import { Store } from '../../../src-main/store/store.js';
import { tempDir } from './fixtures.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function freshDir() {
  const t = await tempDir('certdesk-lock-');
  cleanups.push(t.cleanup);
  return t.dir;
}

/**
 * Another process that takes the lock exactly the way Certdesk does (a complete file hard-linked
 * into place, with pid, host, time and token) and holds it until killed. Plain JavaScript, so the
 * child needs no TypeScript tooling.
 */
function holdLockInChild(lockPath: string): Promise<ChildProcess> {
  const script = `
    const fs = require('node:fs'); const os = require('node:os');
    const tmp = ${JSON.stringify(lockPath)} + '.child.tmp';
    fs.writeFileSync(tmp, JSON.stringify({ pid: process.pid, hostname: os.hostname(), since: new Date().toISOString(), token: 'child' }));
    fs.linkSync(tmp, ${JSON.stringify(lockPath)}); fs.unlinkSync(tmp);
    process.stdout.write('locked\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

describe('store lock', () => {
  it('waits for a live holder in another process, then fails with STORE_LOCKED naming it', async () => {
    const dir = await freshDir();
    const store = await Store.open(dir, createMemorySecretStore(), { lockTimeoutMs: 400 });
    const child = await holdLockInChild(join(dir, 'store.lock'));
    try {
      const started = Date.now();
      let ran = false;
      const err = await store
        .withLock(() => {
          ran = true;
          return Promise.resolve();
        })
        .catch((e: unknown) => e);
      expect(Date.now() - started).toBeGreaterThanOrEqual(380);
      expect(ran).toBe(false);
      expect(err).toMatchObject({ code: 'STORE_LOCKED', message: expect.stringContaining(`process ${child.pid} on ${hostname()}`) as unknown });
    } finally {
      child.kill('SIGKILL');
      await exited(child);
    }
  });

  it('takes over a lock whose process is dead, and releases it afterwards', async () => {
    const dir = await freshDir();
    const store = await Store.open(dir, createMemorySecretStore(), { lockTimeoutMs: 400 });
    const child = await holdLockInChild(join(dir, 'store.lock'));
    child.kill('SIGKILL');
    await exited(child);
    expect((await readLockHolder(join(dir, 'store.lock')))?.pid).toBe(child.pid);
    const holder = await store.withLock(() => readLockHolder(join(dir, 'store.lock')));
    expect(holder?.pid).toBe(process.pid);
    expect(await readLockHolder(join(dir, 'store.lock'))).toBeNull();
    expect((await readdir(dir)).filter((n) => n.startsWith('store.lock'))).toEqual([]);
  });

  it('never takes over a lock held from another host (a network share)', async () => {
    const dir = await freshDir();
    const lockPath = join(dir, 'store.lock');
    const foreign = { pid: 999_999, hostname: 'other-host.example', since: new Date().toISOString(), token: 'x' };
    await writeFile(lockPath, JSON.stringify(foreign));
    await expect(acquireLock(lockPath, { timeoutMs: 150 })).rejects.toMatchObject({
      code: 'STORE_LOCKED',
      message: expect.stringContaining('other-host.example') as unknown,
    });
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toEqual(foreign);
  });

  it('takes over a lock taken before the machine last booted', async () => {
    const dir = await freshDir();
    const lockPath = join(dir, 'store.lock');
    await writeFile(lockPath, JSON.stringify({ pid: process.pid, hostname: hostname(), since: '2001-01-01T00:00:00.000Z', token: 'x' }));
    const release = await acquireLock(lockPath, { timeoutMs: 150 });
    expect((await readLockHolder(lockPath))?.since).not.toBe('2001-01-01T00:00:00.000Z');
    await release();
  });

  it('serializes two store instances in one process and nested withLock calls do not deadlock', async () => {
    const dir = await freshDir();
    const secrets = createMemorySecretStore();
    const a = await Store.open(dir, secrets, { lockTimeoutMs: 5000 });
    const b = await Store.open(dir, secrets, { lockTimeoutMs: 5000 });
    const order: string[] = [];
    const first = a.withLock(async () => {
      order.push('a-start');
      await a.withLock(async () => {
        await new Promise((r) => setTimeout(r, 150));
      });
      order.push('a-end');
    });
    await new Promise((r) => setTimeout(r, 20));
    const second = b.withLock(() => {
      order.push('b');
      return Promise.resolve();
    });
    await Promise.all([first, second]);
    expect(order).toEqual(['a-start', 'a-end', 'b']);
  });

  it('reports an unreadable lock file instead of guessing, and leaves it alone', async () => {
    const dir = await freshDir();
    const lockPath = join(dir, 'store.lock');
    await writeFile(lockPath, 'garbage');
    await expect(acquireLock(lockPath, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'STORE_LOCKED', message: expect.stringMatching(/cannot be read/) as unknown });
    expect(await readFile(lockPath, 'utf8')).toBe('garbage');
  });
});
