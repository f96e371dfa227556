import { renderCsrText } from '../../common/csr.js';
import { readUserFile } from '../../store/user-file.js';
import type { Command } from '../command.js';
import { cliPath } from '../raw-args.js';

const csrDecode: Command = {
  path: ['csr', 'decode'],
  summary: 'decode any CSR file (PEM, bare base64 or DER; Windows and OpenSSL) and check it',
  usage: 'csr decode FILE [--json]\n  Exit 1 when a finding is an error (e.g. the signature does not verify); the decode is still printed.',
  options: {},
  positionals: [1, 1],
  async run(ctx, args) {
    const { parseCsr } = await import('../../pki/csr-decode.js');
    const csr = parseCsr(await readUserFile(cliPath(ctx, args[0] as string), 'CSR file'));
    if (ctx.json) ctx.printJson(csr);
    else ctx.writeRaw(renderCsrText(csr));
    // Like `plan`: the decode is printed in full, and an error finding (a signature that does not
    // verify) makes the exit status 1 with one line on stderr, so scripts cannot miss it.
    const errors = csr.findings.filter((f) => f.severity === 'error');
    if (errors.length === 0) return 0;
    ctx.note(`error: the request has ${errors.length} error finding${errors.length === 1 ? '' : 's'} (${[...new Set(errors.map((f) => f.code))].join(', ')})`);
    return 1;
  },
};

/** `certdesk csr decode`. */
export const CSR_COMMANDS: Command[] = [csrDecode];
