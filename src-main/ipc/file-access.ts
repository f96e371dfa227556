import { randomBytes } from 'node:crypto';
import { basename, isAbsolute, resolve } from 'node:path';
import { type FileHandle, type FileSource, type FolderTarget, MAX_UPLOAD_BYTES, type OpenPurpose, type SavePurpose, type SaveTarget } from '../common/api.js';
import { CertdeskError } from '../common/errors.js';
import type { DriveInfo } from '../common/farms.js';
import { readUserFile } from '../store/user-file.js';
import type { ShellPort } from './shell.js';

/** A file the renderer named, read by main. */
export interface SourceFile {
  name: string;
  bytes: Uint8Array;
}

/** Where a save goes once its target is resolved. */
export type ResolvedSave = { kind: 'file'; path: string; userConfirmedReplace: boolean } | { kind: 'download' };

type HandleKind = 'open' | 'save' | 'folder';

/** Handles outlive nothing but the session; a bound keeps a chatty renderer from growing the map forever. */
const MAX_HANDLES = 1000;
const MiB = 1024 * 1024;

/**
 * The renderer's only way to files. Electron: a path exists here only because the user picked it in
 * a native dialog, and the renderer holds an opaque handle to it, so a compromised page can read or
 * write nothing else. Browser mode: no dialogs; the page uploads bytes and may type absolute paths
 * (its token-holder is the local user, and the browser itself offers no save-to-path).
 */
export class FileAccess {
  private readonly handles = new Map<string, { path: string; kind: HandleKind }>();

  constructor(
    private readonly shell: ShellPort,
    private readonly listDrives: () => Promise<DriveInfo[]>,
  ) {}

  private issue(path: string, kind: HandleKind): FileHandle {
    if (this.handles.size >= MAX_HANDLES) {
      const oldest = this.handles.keys().next();
      if (!oldest.done) this.handles.delete(oldest.value);
    }
    const handle = `h-${randomBytes(16).toString('hex')}`;
    this.handles.set(handle, { path, kind });
    return { handle, name: basename(path), path };
  }

  private take(handle: string, kind: HandleKind, consume: boolean): string {
    const entry = this.handles.get(handle);
    if (!entry || entry.kind !== kind) {
      throw new CertdeskError('INVALID_INPUT', 'that file choice has expired or is unknown: choose the file again');
    }
    if (consume) this.handles.delete(handle);
    return entry.path;
  }

  private needDialogs(): Required<Pick<ShellPort, 'showOpenDialog' | 'showSaveDialog' | 'showFolderDialog'>> {
    const { showOpenDialog, showSaveDialog, showFolderDialog } = this.shell;
    if (!showOpenDialog || !showSaveDialog || !showFolderDialog) {
      throw new CertdeskError('INVALID_INPUT', 'this shell has no native file dialogs: pick or drop the file in the page, or type a path');
    }
    return { showOpenDialog, showSaveDialog, showFolderDialog };
  }

  /** Native open dialog; [] when cancelled. */
  async openFile(purpose: OpenPurpose, multiple: boolean): Promise<FileHandle[]> {
    const paths = await this.needDialogs().showOpenDialog({ purpose, multiple });
    return paths.map((p) => this.issue(p, 'open'));
  }

  /** Native save dialog; null when cancelled. Only the base name of the suggestion is used. */
  async saveFile(purpose: SavePurpose, suggestedName: string): Promise<FileHandle | null> {
    const path = await this.needDialogs().showSaveDialog({ purpose, suggestedName: basename(suggestedName.replace(/\\/g, '/')) });
    return path === null ? null : this.issue(path, 'save');
  }

  /** Native folder picker; null when cancelled. */
  async chooseFolder(): Promise<FileHandle | null> {
    const path = await this.needDialogs().showFolderDialog();
    return path === null ? null : this.issue(path, 'folder');
  }

  /** Reads what a FileSource names, capped at MAX_UPLOAD_BYTES. */
  async readSource(source: FileSource): Promise<SourceFile> {
    if (source.kind === 'text') return { name: 'pasted text', bytes: checkSize('the pasted text', new TextEncoder().encode(source.text)) };
    if (source.kind === 'bytes') return { name: basename(source.name.replace(/\\/g, '/')) || 'dropped file', bytes: checkSize(source.name, Buffer.from(source.base64, 'base64')) };
    const path = this.take(source.handle, 'open', false);
    const name = basename(path);
    const tooLarge = (): CertdeskError => checkSizeError(name);
    return { name, bytes: await readUserFile(path, 'CSR, certificate or topology file', { maxBytes: MAX_UPLOAD_BYTES, tooLarge }) };
  }

  /** The path behind an open-dialog handle, for files too large to pass as bytes (backups). */
  openedPath(handle: string): string {
    return this.take(handle, 'open', false);
  }

  /** Reads several sources in order. */
  async readSources(sources: readonly FileSource[]): Promise<SourceFile[]> {
    const out: SourceFile[] = [];
    for (const s of sources) out.push(await this.readSource(s));
    return out;
  }

  /** Resolves a save target; `allowDownload` says whether the method can hand its content back instead. */
  resolveSave(target: SaveTarget, allowDownload: boolean): ResolvedSave {
    if (target.kind === 'handle') return { kind: 'file', path: this.take(target.handle, 'save', true), userConfirmedReplace: true };
    if (target.kind === 'path') return { kind: 'file', path: this.typedPath(target.path), userConfirmedReplace: false };
    if (!this.shell.capabilities.downloads) throw new CertdeskError('INVALID_INPUT', 'this shell saves through the save dialog, not as a download');
    if (!allowDownload) throw new CertdeskError('INVALID_INPUT', 'this file is written to a folder, not downloaded: enter where to save it');
    return { kind: 'download' };
  }

  /** Resolves a folder target: a drive still attached, a picked folder, or (browser mode) a typed path. */
  async resolveFolder(target: FolderTarget): Promise<string> {
    if (target.kind === 'handle') return this.take(target.handle, 'folder', false);
    if (target.kind === 'path') return this.typedPath(target.path);
    const drives = await this.listDrives();
    const drive = drives.find((d) => d.mountPoint === target.mountPoint);
    if (!drive) throw new CertdeskError('INVALID_INPUT', `no removable drive is mounted at ${target.mountPoint} any more: refresh the drive list`);
    return drive.mountPoint;
  }

  private typedPath(p: string): string {
    if (!this.shell.capabilities.typedPaths) throw new CertdeskError('INVALID_INPUT', 'choose the location with the dialog');
    if (p.includes('\0')) throw new CertdeskError('INVALID_INPUT', 'the path contains a NUL character');
    if (!isAbsolute(p)) throw new CertdeskError('INVALID_INPUT', `enter a full path (starting at the root), not "${p.slice(0, 200)}"`);
    return resolve(p);
  }
}

function checkSizeError(name: string): CertdeskError {
  return new CertdeskError('INVALID_INPUT', `${name} is larger than ${MAX_UPLOAD_BYTES / MiB} MiB: that is no CSR, certificate or topology file`);
}

function checkSize<T extends { length: number }>(name: string, data: T): T {
  if (data.length > MAX_UPLOAD_BYTES) throw checkSizeError(name);
  return data;
}
