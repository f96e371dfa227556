import type { ParseArgsConfig } from 'node:util';

/** Where a command writes: stdout for results, stderr for notes; `json` switches to machine output. */
export interface CliContext {
  /** The store folder (--store, else CERTDESK_HOME, else the app's user-data folder). */
  storeDir: string;
  json: boolean;
  /** Write a line of human output to stdout (suppressed under --json). */
  print(line: string): void;
  /** Write a JSON document to stdout (only under --json). */
  printJson(value: unknown): void;
  /** Notes for humans on stderr (never key material). */
  note(line: string): void;
  /** Raw bytes to stdout (e.g. a DER CSR piped to a file). */
  writeRaw(data: Uint8Array | string): void;
  /** The environment, for defaults such as CERTDESK_HOME. */
  env: NodeJS.ProcessEnv;
  /** The working directory relative paths resolve against. */
  cwd: string;
}

/** Parsed option values, as node:util parseArgs returns them. */
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** One `certdesk` sub-command. Commands and their flags are a public contract: add, never rename. */
export interface Command {
  /** Words that select it, e.g. ['request', 'new']. */
  path: string[];
  /** One line for the command list. */
  summary: string;
  /** Usage line(s) after `certdesk `. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Positional arguments beyond the path: [min, max] (max Infinity for lists). */
  positionals: [number, number];
  /** Returns the exit code (0 ok, 1 a finding-level failure such as a plan with errors). */
  run(ctx: CliContext, args: string[], values: OptionValues): Promise<number>;
}

/** Bad usage (unknown flag, missing argument): exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The string value of an option, or undefined. */
export function str(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** All values of a repeatable string option. */
export function list(values: OptionValues, name: string): string[] {
  const v = values[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

/** A boolean flag. */
export function flag(values: OptionValues, name: string): boolean {
  return values[name] === true;
}
