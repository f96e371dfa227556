import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CertdeskError } from '../common/errors.js';
import { createDispatcher } from '../ipc/dispatcher.js';
import { FileAccess } from '../ipc/file-access.js';
import { createHandlers } from '../ipc/handlers/index.js';
import { warmRequestSummaries } from '../services/request-summaries.js';
import { BROWSER_CAPABILITIES, type ShellPort } from '../ipc/shell.js';
import type { ServiceContext } from '../services/context.js';
import { listDrives } from '../services/drives.js';
import { openInBrowser } from './open-browser.js';
import { EXAMPLES_DIR, packageVersion, RENDERER_DIR } from './paths.js';
import { DEFAULT_IDLE_TIMEOUT_MS, startUiServer, type UiServer } from './server.js';

/** Browser mode has no native dialogs and no clipboard of its own: the page does both. */
export const BROWSER_SHELL: ShellPort = { mode: 'browser', capabilities: BROWSER_CAPABILITIES };

export interface RunUiOptions {
  ctx: ServiceContext;
  /** 0 or absent: a free port. */
  port?: number;
  open: boolean;
  /** The first line: the URL with its token. */
  printUrl: (url: string) => void;
  /** Notes for the human (stderr). */
  note: (line: string) => void;
  rendererDir?: string;
  idleTimeoutMs?: number;
  /** Resolves to stop the server early (tests); Ctrl+C and SIGTERM always stop it. */
  stopSignal?: Promise<void>;
}

/** Starts browser mode and resolves once it has stopped (Ctrl+C, SIGTERM, or the page gone). */
export async function runUi(opts: RunUiOptions): Promise<void> {
  const rendererDir = opts.rendererDir ?? RENDERER_DIR;
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new CertdeskError('NOT_FOUND', `the app is not built (no ${join(rendererDir, 'index.html')}): run npm run build`);
  }
  const files = new FileAccess(BROWSER_SHELL, () => listDrives());
  const dispatch = createDispatcher(createHandlers({ ctx: opts.ctx, shell: BROWSER_SHELL, files, version: packageVersion(), examplesDir: EXAMPLES_DIR }));

  let stop: (why: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => {
    stop = resolve;
  });
  let server: UiServer;
  try {
    server = await startUiServer({
      rendererDir,
      dispatch,
      port: opts.port ?? 0,
      idleTimeoutMs: opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      onIdle: () => stop('the page was closed'),
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CertdeskError('CONFLICT', `port ${opts.port ?? 0} is already in use: choose another with --port, or leave it out`);
    if (code === 'EACCES') throw new CertdeskError('INVALID_INPUT', `port ${opts.port ?? 0} needs privileges: choose one above 1023`);
    throw e;
  }
  const onSignal = (): void => stop('stopped');
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  void opts.stopSignal?.then(() => stop('stopped'));
  try {
    opts.printUrl(server.url);
    // While the browser opens and loads the page, the Requests view's rows are read from disk.
    void warmRequestSummaries(opts.ctx);
    opts.note('Certdesk is running in your browser at the address above (keep it private: it carries the access token).');
    opts.note('Press Ctrl+C to stop; it also stops by itself when the page is closed.');
    if (opts.open && !(await openInBrowser(server.url))) {
      opts.note('could not open a browser: open the address above yourself');
    }
    const why = await stopped;
    opts.note(`Certdesk ${why === 'stopped' ? 'stopped' : `stopped: ${why}`}.`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await server.close();
  }
}
