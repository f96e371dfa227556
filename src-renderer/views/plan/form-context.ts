import { getContext, setContext, tick } from 'svelte';
import type { SvelteSet } from 'svelte/reactivity';
import type { PlanFinding } from '../../../src-main/common/api.js';
import { fieldId, moveItem } from '../../lib/topology-form.js';

/** The plan's findings about one topology field path (the form shows them under that field). */
export type FindingsAt = (path: string) => PlanFinding[];

/** aria-describedby / aria-invalid for a field with findings. */
export function noteAttrs(findings: readonly PlanFinding[], id: string): { 'aria-describedby'?: string; 'aria-invalid'?: 'true' } {
  if (!findings.length) return {};
  return { 'aria-describedby': `${id}-note`, ...(findings.some((f) => f.severity === 'error') ? { 'aria-invalid': 'true' as const } : {}) };
}

/** Moves row i of `list` (at topology path `path`) and keeps the keyboard focus on the moved row's button. */
export async function moveRow<T>(list: T[], path: string, i: number, delta: -1 | 1): Promise<void> {
  const j = moveItem(list, i, delta);
  await tick();
  const base = fieldId(`${path}[${j}]`);
  const button = document.getElementById(`${base}-${delta < 0 ? 'up' : 'down'}`) as HTMLButtonElement | null;
  (button && !button.disabled ? button : document.getElementById(`${base}-${delta < 0 ? 'down' : 'up'}`))?.focus();
}

/** Removes row i and moves the focus to the row now in its place, or the list's Add button. */
export async function removeRow<T>(list: T[], path: string, i: number): Promise<void> {
  list.splice(i, 1);
  await tick();
  const next = Math.min(i, list.length - 1);
  (next >= 0 ? document.getElementById(`${fieldId(`${path}[${next}]`)}-remove`) : document.getElementById(`${fieldId(path)}-add`))?.focus();
}

/** Adds a row and puts the focus in its first field. */
export async function addRow<T>(list: T[], path: string, row: T, first = ''): Promise<void> {
  list.push(row);
  await tick();
  document.getElementById(fieldId(`${path}[${list.length - 1}]${first}`))?.focus();
}

const NOTE_IDS = Symbol('field-note-ids');

/** The Plan view keeps the ids of the field notes the form shows now, to know which problems found their field. */
export function provideNoteIds(ids: SvelteSet<string>): void {
  setContext(NOTE_IDS, ids);
}

/** The set a field note adds its id to while it is shown (undefined outside the Plan view). */
export function noteIds(): SvelteSet<string> | undefined {
  return getContext<SvelteSet<string> | undefined>(NOTE_IDS);
}
