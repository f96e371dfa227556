import { dirname, join } from 'node:path';
import { app, type BrowserWindow, ipcMain, Menu, type MenuItemConstructorOptions, session } from 'electron';
import { createDispatcher } from '../ipc/dispatcher.js';
import { bindIpc } from '../ipc/electron-binding.js';
import { FileAccess } from '../ipc/file-access.js';
import { createHandlers } from '../ipc/handlers/index.js';
import { warmRequestSummaries } from '../services/request-summaries.js';
import { createHelperSecretStore } from '../keychain/helper-client.js';
import { forkUtilityHelper } from './keychain-utility.js';
import { listDrives } from '../services/drives.js';
import { EXAMPLES_DIR, PACKAGE_ROOT, RENDERER_DIR } from '../web/paths.js';
import { createElectronShell } from './electron-shell.js';
import { guardWebContents, hardenSession } from './guards.js';
import { APP_ORIGIN, handleAppProtocol, registerAppScheme } from './protocol.js';
import { createMainWindow, preloadPathFrom } from './window.js';

/*
 * Electron main: lifecycle, single instance, the app:// protocol, session hardening, the one IPC
 * site. Everything Certdesk does goes through the same dispatcher and services as browser mode.
 */

// Devtools only in development; a packaged build has none (and the fuses forbid --inspect).
const devtools = !app.isPackaged && process.env.CERTDESK_DEVTOOLS !== '0';

// The store lives in userData (shared with the CLI); Chromium's own session files go beside it so
// the store folder holds only Certdesk's data.
const storeDir = process.env.CERTDESK_HOME ?? app.getPath('userData');
app.setPath('sessionData', join(dirname(app.getPath('userData')), `${app.getName()}-session`));

registerAppScheme();

let mainWindow: BrowserWindow | null = null;
const shell = createElectronShell(() => mainWindow);

function focusMainWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

function applicationMenu(): Menu {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }, ...(devtools ? [{ role: 'toggleDevTools' as const }] : [])] },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession(session.defaultSession, devtools);
  handleAppProtocol(RENDERER_DIR);
  Menu.setApplicationMenu(applicationMenu());

  // Keychain calls run in a utility process: a hung keychain cannot stall the main process.
  const secrets = createHelperSecretStore({ spawn: forkUtilityHelper, failFast: false });
  secrets.warm();
  const ctx = { storeDir, secrets };
  const files = new FileAccess(shell, () => listDrives());
  const dispatch = createDispatcher(createHandlers({ ctx, shell, files, version: app.getVersion(), examplesDir: EXAMPLES_DIR }));
  bindIpc(ipcMain, dispatch, APP_ORIGIN, (wc) => mainWindow !== null && wc === mainWindow.webContents);

  const openWindow = (): void => {
    mainWindow = createMainWindow({ preloadPath: preloadPathFrom(__dirname), devtools, iconPath: join(PACKAGE_ROOT, 'build', 'icon.png') });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  };
  openWindow();
  // While the window loads, the Requests view's rows are read from disk.
  void warmRequestSummaries(ctx);
  app.on('activate', () => {
    if (!mainWindow) openWindow();
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another Certdesk is running: it gets focus (second-instance below), this one leaves.
  app.quit();
} else {
  app.on('second-instance', focusMainWindow);
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let forgotten = false;
  app.on('will-quit', (event) => {
    // A copied PFX password must not outlive the app on the clipboard: clear it, then quit for real.
    if (forgotten) return;
    event.preventDefault();
    forgotten = true;
    void shell.forgetCopiedSecret().finally(() => app.quit());
  });
  start().catch((e: unknown) => {
    console.error(`certdesk: could not start: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    app.exit(1);
  });
}
