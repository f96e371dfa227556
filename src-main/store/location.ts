import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The folder Electron's app.getPath('userData') gives for productName "Certdesk", computed without
 * Electron so the CLI and the app share one store.
 */
export function defaultStoreDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Certdesk');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Certdesk');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Certdesk');
}
