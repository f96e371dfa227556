import type { AppInfo, Settings } from '../../src-main/common/api.js';
import { call } from './api.js';
import { setLocale } from './i18n.svelte.js';
import { applyTheme } from './theme.js';

/** What main told us about itself and the user's settings; loaded once at start. */
export const app = $state<{ info: AppInfo | null; settings: Settings | null; startError: unknown }>({
  info: null,
  settings: null,
  startError: null,
});

/** Loads app.info and settings; a failure (e.g. the token is missing) is kept for the shell to show. */
export async function loadApp(): Promise<void> {
  try {
    const [info, settings] = await Promise.all([call('app.info'), call('settings.get')]);
    app.info = info;
    app.settings = settings;
    // The store's choice wins over this browser profile's: it survives browser mode's new port.
    if (settings.language) setLocale(settings.language);
    applyTheme(settings.theme);
    app.startError = null;
    // Read by scripts/bench/renderer.mjs: the app is usable once main has answered.
    performance.mark('certdesk:ready');
  } catch (e) {
    app.startError = e;
  }
}
