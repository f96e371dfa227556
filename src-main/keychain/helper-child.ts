/**
 * The keychain helper process: serves every keychain call of one CLI command or app session, so a
 * call that never returns (a D-Bus that accepts and never answers, a keyring waiting for a prompt)
 * hangs this process, which the client kills, and never the command or the app's main process.
 * Runs under Node's child_process.fork (CLI) or Electron's utilityProcess (app).
 */
import { isCertdeskError } from '../common/errors.js';
import type { HelperReply, HelperRequest } from './helper-protocol.js';
import { createKeytarSecretStore, preloadKeytar } from './keytar.js';
import { defaultCollectionLocked, isLockedMessage } from './locked.js';

// The client enforces the deadline; this one only bounds the process's life if the client vanished.
const secrets = createKeytarSecretStore({ timeoutMs: 60_000 });
// Started early (warm()), the helper would otherwise idle until its first request: load keytar now.
preloadKeytar();
const LOCKED_MESSAGE = 'the OS keychain is locked: unlock the login keyring, then retry';

async function serve(req: HelperRequest): Promise<HelperReply> {
  try {
    if (req.op === 'get') {
      const value = await secrets.get(req.account);
      if (value === null && (await defaultCollectionLocked())) return { id: req.id, ok: false, code: 'KEYCHAIN_LOCKED', message: LOCKED_MESSAGE };
      return { id: req.id, ok: true, value };
    }
    if (req.op === 'set') {
      await secrets.set(req.account, req.secret ?? '');
      return { id: req.id, ok: true, value: null };
    }
    return { id: req.id, ok: true, value: await secrets.delete(req.account) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (isLockedMessage(message)) return { id: req.id, ok: false, code: 'KEYCHAIN_LOCKED', message: LOCKED_MESSAGE };
    return { id: req.id, ok: false, code: isCertdeskError(e) ? e.code : 'KEYCHAIN_UNAVAILABLE', message };
  }
}

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function isRequest(m: unknown): m is HelperRequest {
  const r = m as Partial<HelperRequest> | null;
  return !!r && typeof r.id === 'number' && (r.op === 'get' || r.op === 'set' || r.op === 'delete') && typeof r.account === 'string';
}

if (parentPort) {
  parentPort.on('message', (e) => {
    if (isRequest(e.data)) void serve(e.data).then((reply) => parentPort.postMessage(reply));
  });
} else if (process.send) {
  process.on('message', (m: unknown) => {
    if (isRequest(m)) void serve(m).then((reply) => process.send?.(reply));
  });
  // The command finished (or died): nothing is left to answer.
  process.on('disconnect', () => process.exit(0));
}
