import { CertdeskError } from '../../common/errors.js';
import { type Command, flag, str } from '../command.js';
import { cliServiceContext } from '../context.js';

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new CertdeskError('INVALID_INPUT', `--port must be a number from 0 to 65535, not "${value.slice(0, 20)}"`);
  return Number(value);
}

/** `certdesk ui`: browser mode, the second shell over the same dispatcher. */
export const UI_COMMANDS: Command[] = [
  {
    path: ['ui'],
    summary: 'open Certdesk in the system browser (loopback only; the first output line is the address with its access token)',
    usage: 'ui [--port N] [--no-open]',
    options: { port: { type: 'string' }, 'no-open': { type: 'boolean' } },
    positionals: [0, 0],
    async run(ctx, _args, values) {
      const port = parsePort(str(values, 'port'));
      const { runUi } = await import('../../web/ui.js');
      await runUi({
        ctx: cliServiceContext(ctx, { longLived: true }),
        port,
        open: !flag(values, 'no-open'),
        // The URL is the result even under --json: scripts and tests read the first stdout line.
        printUrl: (url) => ctx.writeRaw(`${url}\n`),
        note: (line) => ctx.note(line),
      });
      return 0;
    },
  },
];
