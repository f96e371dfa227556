import type { ApiHandlers } from '../../common/api.js';
import { getSettings, updateSettings } from '../../services/settings.js';
import type { HandlerDeps } from './deps.js';

/** app.*, settings.* and dialogs.*: the shell itself. */
export function appHandlers(d: HandlerDeps): Pick<ApiHandlers, 'app.info' | 'app.ping' | 'app.repairNotes' | 'settings.get' | 'settings.update' | 'dialogs.openFile' | 'dialogs.saveFile' | 'dialogs.chooseFolder'> {
  return {
    'app.info': () =>
      Promise.resolve({
        name: 'Certdesk',
        version: d.version,
        mode: d.shell.mode,
        platform: process.platform,
        storeDir: d.ctx.storeDir,
        capabilities: { ...d.shell.capabilities },
      }),
    // Browser mode's server counts every authenticated call as a sign of life; the ping is one.
    'app.ping': () => Promise.resolve(),
    'app.repairNotes': () => Promise.resolve(d.repairs?.take() ?? []),
    'settings.get': () => getSettings(d.ctx),
    'settings.update': (p) => updateSettings(d.ctx, p),
    'dialogs.openFile': (p) => d.files.openFile(p.purpose, p.multiple ?? false),
    'dialogs.saveFile': (p) => d.files.saveFile(p.purpose, p.suggestedName),
    'dialogs.chooseFolder': () => d.files.chooseFolder(),
  };
}
