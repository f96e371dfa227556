import type { ServiceContext } from '../../services/context.js';
import type { RepairNotes } from '../../services/repair-notes.js';
import type { FileAccess } from '../file-access.js';
import type { ShellPort } from '../shell.js';

/** What the handlers are built from: the services' context and the shell they run in. */
export interface HandlerDeps {
  ctx: ServiceContext;
  shell: ShellPort;
  files: FileAccess;
  /** The app's version (package.json). */
  version: string;
  /** Folder of the bundled example topologies (examples/). */
  examplesDir: string;
  /** Where repairs wait for app.repairNotes (createHandlers makes one when not given). */
  repairs?: RepairNotes;
}
