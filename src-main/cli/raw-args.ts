import { readFileSync } from 'node:fs';
import { resolveUserPath, type UserPath } from '../store/user-path.js';
import type { CliContext } from './command.js';

/**
 * Command-line arguments as bytes. Node decodes argv as UTF-8 and turns bytes that are not UTF-8 into
 * U+FFFD, so a file name such as `caf\xe9.csr` (Latin-1, common on old Samba shares) can no longer be
 * opened: the process would look for `caf\ufffd.csr`. On Linux the original bytes are in
 * /proc/self/cmdline; an argument that lost bytes is mapped back to them and opened as a Buffer path.
 * macOS and Windows file names are always Unicode, so there is nothing to recover.
 */
const rawByText = new Map<string, Buffer>();

/** Records the raw bytes of the arguments that did not decode (call once with process.argv.slice(2)). */
export function captureRawArgs(args: readonly string[]): void {
  if (process.platform !== 'linux' || !args.some((a) => a.includes('\ufffd'))) return;
  let cmdline: Buffer;
  try {
    cmdline = readFileSync('/proc/self/cmdline');
  } catch {
    return;
  }
  const parts: Buffer[] = [];
  for (let start = 0; start < cmdline.length; ) {
    const end = cmdline.indexOf(0, start);
    parts.push(cmdline.subarray(start, end < 0 ? cmdline.length : end));
    start = end < 0 ? cmdline.length : end + 1;
  }
  const tail = parts.slice(parts.length - args.length);
  // Only when every argument lines up: never guess which bytes belong to which argument.
  if (tail.length !== args.length || tail.some((b, i) => b.toString('utf8') !== args[i])) return;
  args.forEach((text, i) => {
    const raw = tail[i] as Buffer;
    if (!text.includes('\ufffd')) return;
    rawByText.set(text, raw);
    // --out=NAME: the value after the first '=' (ASCII, so the same offset in bytes and text).
    const eq = text.indexOf('=');
    if (text.startsWith('--') && eq > 0) rawByText.set(text.slice(eq + 1), raw.subarray(raw.indexOf(0x3d) + 1));
  });
}

/** An argument naming a file, as bytes when its name is not UTF-8, made absolute against the CLI's cwd. */
export function cliPath(ctx: Pick<CliContext, 'cwd'>, arg: string): UserPath {
  return resolveUserPath(ctx.cwd, rawByText.get(arg) ?? arg);
}
