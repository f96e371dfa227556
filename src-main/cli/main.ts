import { parseArgs } from 'node:util';
import { isCertdeskError } from '../common/errors.js';
import { escapeUntrusted, escapeUntrustedLines } from '../common/escape.js';
import { defaultStoreDir } from '../store/location.js';
import { type CliContext, type Command, UsageError } from './command.js';
import { COMMANDS } from './commands/index.js';
import { captureRawArgs } from './raw-args.js';

const GLOBAL_HELP = `Global options: --store DIR (else CERTDESK_HOME, else the app's data folder), --json (machine output on stdout), --help.
Exit status: 0 ok, 1 an input or user error (one line "error: ..." on stderr), 2 bad usage.`;

function commandList(): string {
  const width = Math.max(...COMMANDS.map((c) => c.path.join(' ').length));
  return COMMANDS.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`).join('\n');
}

/**
 * The leading non-option words select the command; the global options --json and --store DIR may
 * stand before them (`certdesk --json request list`). Returns the words and everything else in order.
 */
function splitCommandWords(argv: string[]): { words: string[]; rest: string[] } {
  const words: string[] = [];
  const rest: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--json' || a.startsWith('--store=')) {
      rest.push(a);
    } else if (a === '--store') {
      rest.push(a, ...argv.slice(i + 1, i + 2));
      i++;
    } else if (a.startsWith('-')) {
      break;
    } else {
      words.push(a);
    }
  }
  return { words, rest: [...rest, ...argv.slice(i)] };
}

/** Longest command path that prefixes the positional words. */
function findCommand(words: string[]): Command | undefined {
  let best: Command | undefined;
  for (const c of COMMANDS) {
    if (c.path.length <= words.length && c.path.every((w, i) => words[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  }
  return best;
}

export interface CliIo {
  stdout: (s: string | Uint8Array) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Runs one `certdesk` invocation and returns its exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const { words, rest } = splitCommandWords(argv);
    const wantsHelp = argv.includes('--help') || argv.includes('-h');
    if (words.length === 0) {
      if (argv.includes('--version')) {
        // From package.json, as the web server reports it: one place to bump.
        const { packageVersion } = await import('../web/paths.js');
        io.stdout(`${packageVersion()}\n`);
        return 0;
      }
      io[wantsHelp ? 'stdout' : 'stderr'](`usage: certdesk <command> [options]\n\nCommands:\n${commandList()}\n\n${GLOBAL_HELP}\n`);
      return wantsHelp ? 0 : 2;
    }
    const command = findCommand(words);
    if (!command) throw new UsageError(`unknown command "${words.join(' ')}"; run certdesk --help`);
    if (wantsHelp) {
      io.stdout(`usage: certdesk ${command.usage}\n\n${command.summary}\n\n${GLOBAL_HELP}\n`);
      return 0;
    }
    let parsed;
    try {
      parsed = parseArgs({
        args: [...words.slice(command.path.length), ...rest],
        options: { ...command.options, store: { type: 'string' }, json: { type: 'boolean' } },
        allowPositionals: true,
        strict: true,
      });
    } catch (e) {
      throw new UsageError(`${e instanceof Error ? e.message.split('\n')[0] : String(e)}; usage: certdesk ${command.usage.split('\n')[0]}`);
    }
    const [min, max] = command.positionals;
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw new UsageError(`wrong number of arguments; usage: certdesk ${command.usage.split('\n')[0]}`);
    }
    const values = parsed.values as Record<string, string | boolean | (string | boolean)[] | undefined>;
    const json = values.json === true;
    const storeOpt = typeof values.store === 'string' ? values.store : undefined;
    const ctx: CliContext = {
      storeDir: storeOpt ?? io.env.CERTDESK_HOME ?? defaultStoreDir(io.env),
      json,
      // Lines often carry names from certificates, CSRs and CA files: escape control and bidi
      // characters so a hostile file cannot drive the admin's terminal.
      print: (line) => {
        if (!json) io.stdout(`${escapeUntrustedLines(line)}\n`);
      },
      printJson: (value) => {
        if (json) io.stdout(`${JSON.stringify(value, null, 2)}\n`);
      },
      note: (line) => io.stderr(`${escapeUntrustedLines(line)}\n`),
      writeRaw: (data) => io.stdout(data),
      env: io.env,
      cwd: io.cwd,
    };
    return await command.run(ctx, parsed.positionals, values);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`usage error: ${escapeUntrustedLines(e.message)}\n`);
      return 2;
    }
    if (isCertdeskError(e)) {
      io.stderr(`error: ${escapeUntrustedLines(e.message)}\n`);
      // Several problems (a topology's fields): one per line after the error line.
      for (const d of e.details) io.stderr(`  ${escapeUntrustedLines(d)}\n`);
      return 1;
    }
    // A bug: one line, no stack trace (it could carry data), and a hint where to look.
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    io.stderr(`error: unexpected failure: ${escapeUntrusted(msg ?? '')}\n`);
    return 1;
  }
}


/** Process entry point used by bin/certdesk.js. */
export async function main(): Promise<void> {
  captureRawArgs(process.argv.slice(2));
  const code = await runCli(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
    cwd: process.cwd(),
  });
  process.exitCode = code;
  // Exit as soon as the command is done: work it abandoned (a key pair still being generated for a
  // request that failed, a keychain call stuck in its helper) must not keep the process running.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  process.exit(code);
}
