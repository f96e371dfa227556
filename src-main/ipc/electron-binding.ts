import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { IPC_CHANNEL } from '../common/api.js';
import type { Result } from '../common/errors.js';
import type { Dispatch } from './dispatcher.js';

/** The parts of an invoke event the sender check reads (a fake in tests). */
export interface SenderEvent {
  senderFrame: { url: string; parent: unknown; top?: unknown } | null;
  sender?: unknown;
}

/**
 * True when the call comes from our own top-level frame showing our app origin (`app://certdesk`).
 * A frame inside it (an iframe), a page the window was somehow navigated to, or a destroyed frame
 * is refused. WHATWG gives non-special schemes an opaque origin, so scheme and host are compared.
 */
export function isTrustedSender(event: SenderEvent, appOrigin: string, isOurWebContents: (wc: unknown) => boolean = () => true): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  if (frame.top !== undefined && frame.top !== frame) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  if (`${url.protocol}//${url.host}` !== appOrigin || url.username !== '' || url.password !== '') return false;
  return isOurWebContents(event.sender);
}

/** Builds the IPC handler: sender check, then the shared dispatcher. Exported for tests with fake events. */
export function createIpcHandler(dispatch: Dispatch, appOrigin: string, isOurWebContents?: (wc: unknown) => boolean) {
  return async (event: SenderEvent, method: unknown, params: unknown): Promise<Result<unknown>> => {
    if (!isTrustedSender(event, appOrigin, isOurWebContents)) {
      return { ok: false, error: { code: 'UNAUTHORIZED', message: 'calls are accepted only from the Certdesk window' } };
    }
    return dispatch(method, params);
  };
}

/**
 * The one `ipcMain.handle` site of Certdesk: every renderer call enters here. Returns a function that
 * removes the handler (window teardown, tests).
 */
export function bindIpc(ipcMain: IpcMain, dispatch: Dispatch, appOrigin: string, isOurWebContents?: (wc: unknown) => boolean): () => void {
  const handler = createIpcHandler(dispatch, appOrigin, isOurWebContents);
  ipcMain.handle(IPC_CHANNEL, (event: IpcMainInvokeEvent, method: unknown, params: unknown) => handler(event, method, params));
  return () => ipcMain.removeHandler(IPC_CHANNEL);
}
