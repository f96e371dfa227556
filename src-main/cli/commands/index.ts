import type { Command } from '../command.js';

/** Every sub-command, in the order `certdesk --help` lists them. */
export const COMMANDS: Command[] = [];
