import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '../../../src-main/common/api.js';
import type { DriveInfo } from '../../../src-main/common/farms.js';
import { FileAccess } from '../../../src-main/ipc/file-access.js';
import { BROWSER_CAPABILITIES, ELECTRON_CAPABILITIES, type ShellPort } from '../../../src-main/ipc/shell.js';

const dir = mkdtempSync(join(tmpdir(), 'certdesk-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function electronShell(paths: { open?: string[]; save?: string | null; folder?: string | null }): ShellPort {
  return {
    mode: 'electron',
    capabilities: ELECTRON_CAPABILITIES,
    showOpenDialog: () => Promise.resolve(paths.open ?? []),
    showSaveDialog: () => Promise.resolve(paths.save ?? null),
    showFolderDialog: () => Promise.resolve(paths.folder ?? null),
  };
}
const usb: DriveInfo = { device: '/dev/sdb1', label: 'USB', mountPoint: '/media/usb', freeBytes: 1, sizeBytes: 2, fileSystem: 'vfat', windowsReadable: true };

describe('file access for the renderer', () => {
  it('reads a file the user opened in the dialog, by its handle only', async () => {
    const path = join(dir, 'a.req');
    writeFileSync(path, 'hello');
    const files = new FileAccess(electronShell({ open: [path] }), () => Promise.resolve([]));
    const [h] = await files.openFile('csr', false);
    expect(h?.handle).toMatch(/^h-[0-9a-f]{32}$/);
    expect(await files.readSource({ kind: 'handle', handle: h?.handle ?? '' })).toEqual({ name: 'a.req', bytes: Buffer.from('hello') });
    // Open handles may be read again (decode, then import the same file).
    expect((await files.readSource({ kind: 'handle', handle: h?.handle ?? '' })).name).toBe('a.req');
  });

  it('returns no handle when the dialog is cancelled', async () => {
    const files = new FileAccess(electronShell({}), () => Promise.resolve([]));
    expect(await files.openFile('any', true)).toEqual([]);
    expect(await files.saveFile('pfx', 'x.pfx')).toBeNull();
    expect(await files.chooseFolder()).toBeNull();
  });

  it('refuses an opened file larger than the cap before reading it, and a folder', async () => {
    const big = join(dir, 'big.bin');
    writeFileSync(big, Buffer.alloc(MAX_UPLOAD_BYTES + 1));
    const files = new FileAccess(electronShell({ open: [big, dir] }), () => Promise.resolve([]));
    const [bigHandle, dirHandle] = await files.openFile('any', true);
    await expect(files.readSource({ kind: 'handle', handle: bigHandle?.handle ?? '' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/larger than 1 MiB/) as unknown });
    await expect(files.readSource({ kind: 'handle', handle: dirHandle?.handle ?? '' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('never lets a handle of one kind stand for another (an open handle is no save target)', async () => {
    const path = join(dir, 'b.req');
    writeFileSync(path, 'x');
    const files = new FileAccess(electronShell({ open: [path], save: join(dir, 'out.req') }), () => Promise.resolve([]));
    const [open] = await files.openFile('csr', false);
    expect(() => files.resolveSave({ kind: 'handle', handle: open?.handle ?? '' }, false)).toThrow(/choose the file again/);
    const save = await files.saveFile('csr', 'out.req');
    await expect(files.readSource({ kind: 'handle', handle: save?.handle ?? '' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(files.resolveSave({ kind: 'handle', handle: save?.handle ?? '' }, false)).toEqual({ kind: 'file', path: join(dir, 'out.req'), userConfirmedReplace: true });
    expect(() => files.resolveSave({ kind: 'handle', handle: save?.handle ?? '' }, false)).toThrow(/expired/);
  });

  it('accepts a bundle folder only on a drive that is still attached, or a picked folder', async () => {
    const files = new FileAccess(electronShell({ folder: dir }), () => Promise.resolve([usb]));
    expect(await files.resolveFolder({ kind: 'drive', mountPoint: '/media/usb' })).toBe('/media/usb');
    await expect(files.resolveFolder({ kind: 'drive', mountPoint: '/etc' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const folder = await files.chooseFolder();
    expect(await files.resolveFolder({ kind: 'handle', handle: folder?.handle ?? '' })).toBe(dir);
    await expect(files.resolveFolder({ kind: 'path', path: dir })).rejects.toMatchObject({ message: 'choose the location with the dialog' });
  });

  it('in browser mode takes dropped bytes and absolute typed paths, and offers downloads', async () => {
    const files = new FileAccess({ mode: 'browser', capabilities: BROWSER_CAPABILITIES }, () => Promise.resolve([]));
    expect(await files.readSource({ kind: 'bytes', name: 'C:\\Users\\me\\webext.cer', base64: 'QUJD' })).toEqual({ name: 'webext.cer', bytes: Buffer.from('ABC') });
    expect(await files.resolveFolder({ kind: 'path', path: `${dir}/sub/..` })).toBe(dir);
    expect(files.resolveSave({ kind: 'download' }, true)).toEqual({ kind: 'download' });
    await expect(files.resolveFolder({ kind: 'path', path: 'relative/dir' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(files.openFile('csr', false)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
