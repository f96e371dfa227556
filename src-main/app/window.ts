import { join } from 'node:path';
import { BrowserWindow, type WebPreferences } from 'electron';
import { APP_INDEX_URL } from './protocol.js';

/**
 * The renderer's settings, per Electron's security checklist: sandboxed, isolated context, no Node
 * anywhere (frames, workers), web security on, no <webview>, no insecure content. The preload is a
 * single bundled CommonJS file, as sandboxed preloads must be.
 */
export function secureWebPreferences(preloadPath: string, devtools: boolean): WebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: devtools,
  };
}

/** The main window, loading app://certdesk/index.html; shown once it has painted. */
export function createMainWindow(opts: { preloadPath: string; devtools: boolean; iconPath?: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 840,
    minWidth: 900,
    minHeight: 600,
    title: 'Certdesk',
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    ...(opts.iconPath ? { icon: opts.iconPath } : {}),
    webPreferences: secureWebPreferences(opts.preloadPath, opts.devtools),
  });
  win.once('ready-to-show', () => win.show());
  if (!opts.devtools) win.webContents.on('devtools-opened', () => win.webContents.closeDevTools());
  void win.loadURL(APP_INDEX_URL);
  return win;
}

/** Where the bundled preload sits next to the compiled main code (dist/main/app -> dist/preload). */
export function preloadPathFrom(mainDir: string): string {
  return join(mainDir, '..', '..', 'preload', 'preload.cjs');
}
