import { type BrowserWindow, clipboard, dialog, type FileFilter } from 'electron';
import type { OpenPurpose, SavePurpose } from '../common/api.js';
import { ELECTRON_CAPABILITIES, type ShellPort } from '../ipc/shell.js';

const OPEN: Record<OpenPurpose, { title: string; filters: FileFilter[] }> = {
  topology: { title: 'Open a topology', filters: [{ name: 'Topology (JSON, Lync XML)', extensions: ['json', 'xml', 'tbxml'] }, { name: 'All files', extensions: ['*'] }] },
  csr: { title: 'Open a certificate request', filters: [{ name: 'Certificate requests', extensions: ['req', 'csr', 'txt', 'pem', 'der', 'p10'] }, { name: 'All files', extensions: ['*'] }] },
  certificate: {
    title: "Open the CA's answer or CA certificates",
    filters: [{ name: 'Certificates', extensions: ['cer', 'crt', 'pem', 'der', 'p7b', 'p7c'] }, { name: 'All files', extensions: ['*'] }],
  },
  backup: { title: 'Restore from a backup', filters: [{ name: 'Certdesk backup (age)', extensions: ['age'] }, { name: 'All files', extensions: ['*'] }] },
  any: {
    title: 'Open a request or certificate',
    filters: [{ name: 'Requests and certificates', extensions: ['req', 'csr', 'txt', 'pem', 'der', 'cer', 'crt', 'p7b', 'p7c'] }, { name: 'All files', extensions: ['*'] }],
  },
};

const SAVE: Record<SavePurpose, { title: string; filters: FileFilter[] }> = {
  csr: { title: 'Save the certificate request', filters: [{ name: 'Certificate request', extensions: ['req', 'csr', 'txt', 'der'] }] },
  pfx: { title: 'Export the certificate with its private key', filters: [{ name: 'Personal Information Exchange', extensions: ['pfx', 'p12'] }] },
  backup: { title: 'Back up the store', filters: [{ name: 'Certdesk backup (age)', extensions: ['age'] }] },
  certificate: { title: 'Save the certificate', filters: [{ name: 'Certificate (DER)', extensions: ['cer', 'crt', 'der'] }] },
  topology: { title: 'Save the topology', filters: [{ name: 'Topology (JSON)', extensions: ['json'] }] },
};

/**
 * The Electron ShellPort: native dialogs parented to the window, and the system clipboard, which
 * forgets a copied password after a while (only if it still holds that password, so something the
 * user copied since is left alone).
 */
export function createElectronShell(window: () => BrowserWindow | null): ShellPort & { forgetCopiedSecret(): Promise<void> } {
  let copied: string | null = null;
  const forget = async (): Promise<void> => {
    const secret = copied;
    copied = null;
    if (secret !== null && (await clipboard.readText()) === secret) clipboard.clear();
  };
  return {
    /** Clears a still-pending copied password now (the app is quitting). */
    forgetCopiedSecret: forget,
    mode: 'electron',
    capabilities: ELECTRON_CAPABILITIES,
    showOpenDialog: async ({ purpose, multiple }) => {
      const spec = OPEN[purpose];
      const opts = { title: spec.title, filters: spec.filters, properties: multiple ? (['openFile', 'multiSelections'] as const) : (['openFile'] as const) };
      const win = window();
      const r = win ? await dialog.showOpenDialog(win, { ...opts, properties: [...opts.properties] }) : await dialog.showOpenDialog({ ...opts, properties: [...opts.properties] });
      return r.canceled ? [] : r.filePaths;
    },
    showSaveDialog: async ({ purpose, suggestedName }) => {
      const spec = SAVE[purpose];
      const opts = { title: spec.title, filters: spec.filters, defaultPath: suggestedName, properties: ['createDirectory', 'showOverwriteConfirmation'] as ('createDirectory' | 'showOverwriteConfirmation')[] };
      const win = window();
      const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    showFolderDialog: async () => {
      const opts = { title: 'Choose the folder for the farm bundle', properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
      const win = window();
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    copyToClipboard: async (text, clearAfterMs) => {
      await clipboard.writeText(text);
      copied = text;
      setTimeout(() => {
        if (copied === text) void forget();
      }, clearAfterMs).unref();
    },
  };
}
