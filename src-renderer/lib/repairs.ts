import { call } from './api.js';
import { notifyRepair } from './notify.svelte.js';

/**
 * Shows the repairs of interrupted writes main made at a store lock since the last look (each is
 * given once). Called as the app starts and on every view change: a repair happens inside whatever
 * change came first, so it is told on the next view. A failed look is left for the next one; the
 * audit log keeps every repair anyway.
 */
export async function showRepairs(): Promise<void> {
  let found;
  try {
    found = await call('app.repairNotes');
  } catch {
    return;
  }
  for (const r of found) notifyRepair(r);
}
