import { renderCsrText } from '../../common/csr.js';
import { readUserFile } from '../../store/user-file.js';
import type { Command } from '../command.js';
import { cliPath } from '../raw-args.js';

const csrDecode: Command = {
  path: ['csr', 'decode'],
  summary: 'decode any CSR file (PEM, bare base64 or DER; Windows and OpenSSL) and check it',
  usage: 'csr decode FILE',
  options: {},
  positionals: [1, 1],
  async run(ctx, args) {
    const { parseCsr } = await import('../../pki/csr-decode.js');
    const csr = parseCsr(await readUserFile(cliPath(ctx, args[0] as string), 'CSR file'));
    if (ctx.json) ctx.printJson(csr);
    else ctx.writeRaw(renderCsrText(csr));
    return 0;
  },
};

/** `certdesk csr decode`. */
export const CSR_COMMANDS: Command[] = [csrDecode];
