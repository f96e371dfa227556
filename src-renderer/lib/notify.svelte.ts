/**
 * The app's one notification area (rendered by components/Notifications.svelte in the shell):
 * outcomes of actions that are not tied to a dialog. Success notes go away by themselves; errors
 * stay until closed, because an admin may be looking elsewhere when one arrives. Errors raised
 * while a dialog is open belong inside that dialog (its own ErrorBanner), not here: the modal
 * would cover them. Repairs of interrupted writes (app.repairNotes) stay until closed too: they
 * tell of something that happened to files while no one was looking.
 */
import type { RepairNote } from '../../src-main/common/api.js';

/** One entry of the notification area. */
export interface Note {
  id: number;
  kind: 'success' | 'error' | 'repair';
  /** Success: the finished message text (already translated). */
  text?: string;
  /** Error: the thrown value, rendered through describeError + the catalog. */
  error?: unknown;
  /** Repair: what the store did at its lock (the outcome is worded by the catalog, the store's sentence is the detail). */
  repair?: RepairNote;
}

/** How long a success note stays, in milliseconds. */
export const SUCCESS_MS = 6000;
/** At most this many notes are shown; the oldest go first. */
const MAX_NOTES = 4;

export const notes = $state<Note[]>([]);
let nextId = 1;

function push(note: Omit<Note, 'id'>): number {
  const id = nextId++;
  notes.push({ id, ...note });
  while (notes.length > MAX_NOTES) notes.shift();
  return id;
}

/** Removes one note (the close button, or a success note's timer). */
export function dismiss(id: number): void {
  const i = notes.findIndex((n) => n.id === id);
  if (i >= 0) notes.splice(i, 1);
}

/** Removes every note, e.g. when a view is left and its old outcome no longer applies. */
export function clearNotes(): void {
  notes.splice(0, notes.length);
}

/** Announces a finished action; dismissed after SUCCESS_MS. */
export function notifySuccess(text: string): number {
  const id = push({ kind: 'success', text });
  setTimeout(() => dismiss(id), SUCCESS_MS);
  return id;
}

/** Announces a failed action; stays until closed. The same error twice in a row is shown once. */
export function notifyError(error: unknown): number {
  const last = notes.at(-1);
  if (last?.kind === 'error' && sameError(last.error, error)) return last.id;
  return push({ kind: 'error', error });
}

function sameError(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const msg = (e: unknown): string | null => (e && typeof e === 'object' && 'message' in e ? String(e.message) : null);
  return msg(a) !== null && msg(a) === msg(b);
}

/** Tells of a repair of an interrupted write the app made; stays until closed. */
export function notifyRepair(repair: RepairNote): number {
  return push({ kind: 'repair', repair });
}
