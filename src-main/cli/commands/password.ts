import { CertdeskError } from '../../common/errors.js';
import { type Command, str } from '../command.js';
import { cliServiceContext } from '../context.js';

const passwordCommand: Command = {
  path: ['password'],
  summary: "print the password of a request's PFX export (the latest, or --export N) from the OS keychain",
  usage: 'password ID [--export N]',
  options: { export: { type: 'string' } },
  positionals: [1, 1],
  async run(ctx, args, values) {
    const n = str(values, 'export');
    if (n !== undefined && !/^[1-9][0-9]{0,5}$/.test(n)) throw new CertdeskError('INVALID_INPUT', `--export must be an export number (1, 2, ...), not "${n}"`);
    const { getPfxPassword } = await import('../../services/export.js');
    const result = await getPfxPassword(cliServiceContext(ctx, { readOnly: true }), args[0] as string, n === undefined ? undefined : Number(n));
    if (ctx.json) ctx.printJson(result);
    else ctx.print(result.password);
    return 0;
  },
};

/** `certdesk password`. */
export const PASSWORD_COMMANDS: Command[] = [passwordCommand];
