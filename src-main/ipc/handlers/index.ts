import type { ApiHandlers } from '../../common/api.js';
import { RepairNotes } from '../../services/repair-notes.js';
import { keepRequestIndexInMemory } from '../../store/request-index.js';
import { appHandlers } from './app.js';
import { backupHandlers } from './backup.js';
import { certificateHandlers } from './certificates.js';
import type { HandlerDeps } from './deps.js';
import { farmHandlers } from './farms.js';
import { proxyConfigHandlers } from './proxy-config.js';
import { requestHandlers } from './requests.js';
import { topologyHandlers } from './topologies.js';

export type { HandlerDeps } from './deps.js';

/** Every contract method, bound to the real services for one shell. */
export function createHandlers(d: HandlerDeps): ApiHandlers {
  // Handlers live in long-running processes (Electron main, the browser-mode server) that list the
  // requests again and again: keep the request index in memory between listings there.
  keepRequestIndexInMemory();
  // Repairs of interrupted writes found at a store lock wait here for the page (app.repairNotes),
  // besides going wherever the shell's notes go (browser mode: its terminal).
  const repairs = d.repairs ?? new RepairNotes(d.ctx.now);
  d = { ...d, ctx: { ...d.ctx, note: repairs.noteWith(d.ctx.note) }, repairs };
  return {
    ...appHandlers(d),
    ...requestHandlers(d),
    ...farmHandlers(d),
    ...certificateHandlers(d),
    ...backupHandlers(d),
    ...topologyHandlers(d),
    ...proxyConfigHandlers(d),
  };
}
