import type { Command } from '../command.js';
import { driveTable } from './farm-format.js';

const drives: Command = {
  path: ['drives'],
  summary: 'list removable, writable drives (label, mount point, free space, file system) for bundles',
  usage: 'drives',
  options: {},
  positionals: [0, 0],
  async run(ctx) {
    const { listDrives } = await import('../../services/drives.js');
    const list = await listDrives();
    ctx.printJson(list);
    for (const line of driveTable(list)) ctx.print(line);
    return 0;
  },
};

/** `certdesk drives`. */
export const DRIVES_COMMANDS: Command[] = [drives];
