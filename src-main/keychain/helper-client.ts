import { fork } from 'node:child_process';
import { join } from 'node:path';
import { CertdeskError, ERROR_CODES, type ErrorCode } from '../common/errors.js';
import type { SecretStore } from '../common/secret-store.js';
import type { HelperChannel, HelperReply, HelperRequest } from './helper-protocol.js';
import { keychainUnavailable } from './keytar.js';

/** A keychain that has not answered in this long is unavailable: with process start-up the command still ends within 5 s. */
export const KEYCHAIN_TIMEOUT_MS = 3_500;

/** The helper's script next to this file in the build (dist/main/keychain/helper-child.js). */
export function helperScriptPath(): string {
  return join(__dirname, 'helper-child.js');
}

/**
 * The helper's environment: the command's own, less NODE_EXTRA_CA_CERTS. Node 20 reads and parses
 * that file (with its built-in roots) while it starts, before any script runs: about 35-45 ms of a
 * helper start on a machine that sets it (a distribution's CA bundle), for a process that only
 * talks D-Bus and never TLS. Everything else (DBUS_SESSION_BUS_ADDRESS, XDG_*, HOME) it needs as is.
 */
export function helperEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rest = { ...env };
  delete rest.NODE_EXTRA_CA_CERTS;
  return rest;
}

/**
 * The CLI's helper: a Node child over an IPC channel. Neither the child nor its channel keeps the
 * command alive, so a command exits when its own work is done even while a keychain call is stuck;
 * the child exits when its parent is gone ('disconnect').
 */
export function forkNodeHelper(script = helperScriptPath()): HelperChannel {
  const child = fork(script, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'json', execArgv: [], env: helperEnv(process.env) });
  child.unref();
  (child.channel as { unref?: () => void } | undefined)?.unref?.();
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return {
    send: (m) => {
      child.send(m);
    },
    onMessage: (listener) => child.on('message', (m) => listener(m as HelperReply)),
    onExit: (listener) => {
      child.once('exit', () => {
        process.off('exit', killOnExit);
        listener();
      });
      child.once('error', listener);
    },
    kill: () => {
      child.kill('SIGKILL');
    },
  };
}

function toError(reply: Extract<HelperReply, { ok: false }>): CertdeskError {
  const code = (ERROR_CODES as readonly string[]).includes(reply.code) ? (reply.code as ErrorCode) : 'KEYCHAIN_UNAVAILABLE';
  if (code === 'KEYCHAIN_UNAVAILABLE' && !reply.message.startsWith('the OS keychain is not available')) return keychainUnavailable(reply.message);
  return new CertdeskError(code, reply.message);
}

/**
 * The OS keychain through a helper process started on the first call (or on `warm()`, to overlap its
 * start with other work). Every call has a deadline; when one passes, the helper is killed, the call
 * fails with KEYCHAIN_UNAVAILABLE. In a command (`failFast`, the default) later calls then fail at
 * once with the same error: a keychain that hung once would only make the admin wait again. A
 * long-lived app or server passes failFast false: the next call starts a fresh helper, so an admin
 * who unlocks the keyring can simply retry.
 */
export function createHelperSecretStore(opts: { spawn?: () => HelperChannel; timeoutMs?: number; failFast?: boolean } = {}): SecretStore & { warm(): void } {
  const spawn = opts.spawn ?? (() => forkNodeHelper());
  const timeoutMs = opts.timeoutMs ?? KEYCHAIN_TIMEOUT_MS;
  let channel: HelperChannel | null = null;
  let broken: CertdeskError | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: string | boolean | null) => void; reject: (e: Error) => void }>();

  const failAll = (e: CertdeskError) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  const start = (): HelperChannel => {
    if (channel) return channel;
    let c: HelperChannel;
    try {
      c = spawn();
    } catch (e) {
      throw keychainUnavailable(`its helper process could not start: ${e instanceof Error ? e.message : String(e)}`);
    }
    c.onMessage((reply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.value);
      else p.reject(toError(reply));
    });
    c.onExit(() => {
      if (channel === c) channel = null;
      failAll(keychainUnavailable('its helper process ended unexpectedly'));
    });
    channel = c;
    return c;
  };

  const call = (req: Omit<HelperRequest, 'id'>, what: string): Promise<string | boolean | null> => {
    if (broken) return Promise.reject(broken);
    return new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        const error = keychainUnavailable(`no answer within ${(timeoutMs / 1000).toFixed(1)} s while ${what}; the keyring service may be hanging or waiting for a prompt`);
        if (opts.failFast !== false) broken = error;
        const c = channel;
        channel = null;
        c?.kill();
        failAll(error);
        reject(error);
      }, timeoutMs);
      // This timer, not the helper, keeps the command alive while a call is pending: the helper and
      // its channel are unref'd, so nothing of it holds the process once no call is waiting.
      pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      try {
        start().send({ id, ...req });
      } catch (e) {
        pending.delete(id);
        clearTimeout(timer);
        reject(e instanceof CertdeskError ? e : keychainUnavailable(e instanceof Error ? e.message : String(e)));
      }
    });
  };

  return {
    warm: () => {
      if (broken || channel) return;
      try {
        start();
      } catch {
        // reported by the first real call
      }
    },
    get: async (account) => {
      const v = await call({ op: 'get', account }, 'reading a secret');
      return typeof v === 'string' ? v : null;
    },
    set: async (account, secret) => {
      await call({ op: 'set', account, secret }, 'storing a secret');
    },
    delete: async (account) => (await call({ op: 'delete', account }, 'deleting a secret')) === true,
  };
}
