import { type Command, str, UsageError } from '../command.js';
import { cliServiceContext } from '../context.js';
import { readPasswordFile } from './export.js';
import { findingLine } from './request-format.js';

const pfxImport: Command = {
  path: ['pfx', 'import'],
  summary: 'adopt a certificate and its key from a PFX made elsewhere (Windows, IIS, OpenSSL): stored as an issued request, the PFX not kept',
  usage: 'pfx import FILE --password-file F [--friendly-name TEXT]\n  An empty password file means the empty password.',
  options: { 'password-file': { type: 'string' }, 'friendly-name': { type: 'string' } },
  positionals: [1, 1],
  async run(ctx, args, values) {
    const passwordFile = str(values, 'password-file');
    // Never on the command line: it would sit in the shell history and the process list.
    if (passwordFile === undefined) throw new UsageError('--password-file F is required (an empty file for the empty password)');
    const password = await readPasswordFile(ctx, passwordFile);
    const [{ adoptPfx }, { readInputFiles }] = await Promise.all([import('../../services/adopt.js'), import('../../services/ca.js')]);
    const [file] = await readInputFiles([args[0] as string], ctx.cwd);
    const friendlyName = str(values, 'friendly-name');
    const record = await adoptPfx(cliServiceContext(ctx), { file: file as NonNullable<typeof file>, password, ...(friendlyName !== undefined ? { friendlyName } : {}) });
    if (ctx.json) {
      ctx.printJson(record);
      return 0;
    }
    const cert = record.certificate;
    ctx.print(`Adopted ${args[0] as string} as request ${record.id} (${record.status}); the PFX file is not kept.`);
    ctx.print(`  subject:    ${record.distinguishedName}`);
    ctx.print(`  SANs:       ${record.sans.join(', ')}`);
    if (cert) {
      ctx.print(`  issuer:     ${cert.issuer}`);
      ctx.print(`  valid:      ${cert.notBefore.slice(0, 10)} to ${cert.notAfter.slice(0, 10)}`);
      ctx.print(`  thumbprint: ${cert.thumbprint}`);
    }
    ctx.print(`  key:        RSA ${record.keySize} bits, encrypted under the store key`);
    ctx.print(`  name:       ${record.friendlyName || '(none)'}`);
    for (const f of record.findings) ctx.print(findingLine(f));
    return 0;
  },
};

/** `certdesk pfx import`. */
export const PFX_COMMANDS: Command[] = [pfxImport];
