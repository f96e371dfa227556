import type { FileSource, OpenPurpose, SaveOutcome, SavePurpose, SaveTarget } from '../../src-main/common/api.js';
import { call } from './api.js';
import { base64ToBytes, bytesToBase64, downloadBytes, type PickedFile } from './files.js';

/** A file chosen for a call: what to send, and a name to show. */
export interface ChosenFile {
  source: FileSource;
  name: string;
}

/** Dropped or page-picked files as call sources (the bytes travel, base64). */
export function fromPicked(files: readonly PickedFile[]): ChosenFile[] {
  return files.map((f) => ({ source: { kind: 'bytes', name: f.name, base64: bytesToBase64(f.bytes) }, name: f.name }));
}

/** Electron: main's native open dialog; the renderer gets handles, never paths to read. [] when cancelled. */
export async function pickNative(purpose: OpenPurpose, multiple = false): Promise<ChosenFile[]> {
  const handles = await call('dialogs.openFile', { purpose, multiple });
  return handles.map((h) => ({ source: { kind: 'handle', handle: h.handle }, name: h.name }));
}

/**
 * Where a save goes when the user says "save": Electron asks main's save dialog (null = cancelled);
 * browser mode lets the browser download it.
 */
export async function saveTarget(native: boolean, purpose: SavePurpose, suggestedName: string): Promise<SaveTarget | null> {
  if (!native) return { kind: 'download' };
  const h = await call('dialogs.saveFile', { purpose, suggestedName });
  return h ? { kind: 'handle', handle: h.handle } : null;
}

/** Completes a save: a download outcome is handed to the browser; returns where it went, for the status line. */
export function finishSave(outcome: SaveOutcome): string {
  if (outcome.kind === 'saved') return outcome.path;
  downloadBytes(outcome.fileName, base64ToBytes(outcome.base64), outcome.mediaType);
  return outcome.fileName;
}
