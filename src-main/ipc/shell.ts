import type { OpenPurpose, SavePurpose, ShellCapabilities, ShellMode } from '../common/api.js';

/**
 * What the handlers need from the shell they run in. Electron provides native dialogs and its
 * clipboard; browser mode has neither (its page uploads bytes, types paths and writes its own
 * clipboard). Kept free of electron so the dispatcher runs under plain Node.
 */
export interface ShellPort {
  readonly mode: ShellMode;
  readonly capabilities: ShellCapabilities;
  /** Native open dialog: chosen paths, [] when cancelled. */
  showOpenDialog?: (opts: { purpose: OpenPurpose; multiple: boolean }) => Promise<string[]>;
  /** Native save dialog (it asks before replacing a file): the path, or null when cancelled. */
  showSaveDialog?: (opts: { purpose: SavePurpose; suggestedName: string }) => Promise<string | null>;
  /** Native folder picker: the path, or null when cancelled. */
  showFolderDialog?: () => Promise<string | null>;
  /** Writes the system clipboard and clears it after `clearAfterMs` if it still holds `text`. */
  copyToClipboard?: (text: string, clearAfterMs: number) => Promise<void>;
}

/** Capabilities of the Electron shell. */
export const ELECTRON_CAPABILITIES: ShellCapabilities = { nativeDialogs: true, typedPaths: false, downloads: false, clipboard: 'main' };

/** Capabilities of browser mode. */
export const BROWSER_CAPABILITIES: ShellCapabilities = { nativeDialogs: false, typedPaths: true, downloads: true, clipboard: 'renderer' };
