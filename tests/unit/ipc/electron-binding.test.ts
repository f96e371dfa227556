import type { IpcMain } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { IPC_CHANNEL } from '../../../src-main/common/api.js';
import type { Result } from '../../../src-main/common/errors.js';
import { bindIpc, createIpcHandler, isTrustedSender, type SenderEvent } from '../../../src-main/ipc/electron-binding.js';

const ORIGIN = 'app://certdesk';

function topFrame(url: string): NonNullable<SenderEvent['senderFrame']> {
  const frame: { url: string; parent: unknown; top?: unknown } = { url, parent: null };
  frame.top = frame;
  return frame;
}

describe('the Electron IPC binding', () => {
  const ok: Result<unknown> = { ok: true, value: 'called' };

  it('passes a call from our own top-level frame to the dispatcher', async () => {
    const dispatch = vi.fn(() => Promise.resolve(ok));
    const handler = createIpcHandler(dispatch, ORIGIN);
    await expect(handler({ senderFrame: topFrame('app://certdesk/index.html#/requests') }, 'app.info', undefined)).resolves.toEqual(ok);
    expect(dispatch).toHaveBeenCalledWith('app.info', undefined);
  });

  it.each([
    ['a foreign web page', topFrame('https://evil.example/')],
    ['a file: page', topFrame('file:///tmp/evil.html')],
    ['another app:// host', topFrame('app://evil/index.html')],
    ['a look-alike host', topFrame('app://certdesk.evil/index.html')],
    ['userinfo tricks', topFrame('app://user:pw@certdesk/index.html')],
    ['a data: URL', topFrame('data:text/html,<script>1</script>')],
    ['an unparsable URL', topFrame('::::')],
    ['an iframe inside our page', { url: 'app://certdesk/index.html', parent: topFrame('app://certdesk/index.html'), top: {} }],
    ['a destroyed frame', null],
  ])('refuses a call from %s without dispatching it', async (_what, senderFrame) => {
    const dispatch = vi.fn(() => Promise.resolve(ok));
    const handler = createIpcHandler(dispatch, ORIGIN);
    const r = await handler({ senderFrame }, 'requests.list', {});
    expect(r).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: 'calls are accepted only from the Certdesk window' } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('refuses a top-level frame of a webContents that is not one of our windows', () => {
    const ours = { id: 1 };
    const event = (sender: unknown): SenderEvent => ({ senderFrame: topFrame('app://certdesk/index.html'), sender });
    expect(isTrustedSender(event(ours), ORIGIN, (wc) => wc === ours)).toBe(true);
    expect(isTrustedSender(event({ id: 2 }), ORIGIN, (wc) => wc === ours)).toBe(false);
  });

  it('registers exactly one ipcMain.handle on the Certdesk channel, and removes it', async () => {
    const registered: [string, (...a: unknown[]) => Promise<unknown>][] = [];
    const removed: string[] = [];
    const fakeIpcMain = {
      handle: (channel: string, fn: (...a: unknown[]) => Promise<unknown>) => registered.push([channel, fn]),
      removeHandler: (channel: string) => removed.push(channel),
    } as unknown as IpcMain;
    const dispatch = vi.fn(() => Promise.resolve(ok));
    const unbind = bindIpc(fakeIpcMain, dispatch, ORIGIN);
    expect(registered.map(([c]) => c)).toEqual([IPC_CHANNEL]);
    const fn = registered[0]?.[1];
    await expect(fn?.({ senderFrame: topFrame('https://evil.example/') }, 'app.info', undefined)).resolves.toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    await expect(fn?.({ senderFrame: topFrame('app://certdesk/index.html') }, 'app.info', undefined)).resolves.toEqual(ok);
    unbind();
    expect(removed).toEqual([IPC_CHANNEL]);
  });
});
