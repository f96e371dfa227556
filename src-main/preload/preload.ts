import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNEL } from '../common/api.js';
import { buildBridge } from './bridge.js';

// The renderer's only door to main: `window.certdesk`, generated from the contract's method list.
// Raw ipcRenderer never reaches the page (contextIsolation keeps this world separate).
contextBridge.exposeInMainWorld(
  'certdesk',
  buildBridge((method, params) => ipcRenderer.invoke(IPC_CHANNEL, method, params)),
);
