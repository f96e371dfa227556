import { CertdeskError } from '../../common/errors.js';
import { type Command, flag, str } from '../command.js';
import { cliServiceContext } from '../context.js';
import { expiryTable } from './farm-format.js';

const expiry: Command = {
  path: ['expiry'],
  summary: 'issued certificates by days left, with their farms',
  usage: 'expiry [--within DAYS] [--all]\n  --all also lists superseded certificates (their renewal is rolled out).',
  options: { within: { type: 'string' }, all: { type: 'boolean' } },
  positionals: [0, 0],
  async run(ctx, _args, values) {
    const w = str(values, 'within');
    let within: number | undefined;
    if (w !== undefined) {
      if (!/^\d{1,5}$/.test(w.trim())) throw new CertdeskError('INVALID_INPUT', '--within takes a whole number of days from 0 to 36500');
      within = Number(w.trim());
    }
    const { listExpiry } = await import('../../services/expiry.js');
    const entries = await listExpiry(cliServiceContext(ctx, { readOnly: true }), { ...(within !== undefined ? { withinDays: within } : {}), all: flag(values, 'all') });
    ctx.printJson(entries);
    ctx.print(expiryTable(entries, within).join('\n'));
    return 0;
  },
};

/** `certdesk expiry`. */
export const EXPIRY_COMMANDS: Command[] = [expiry];
