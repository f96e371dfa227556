import type { Command } from '../command.js';
import { cliPath } from '../raw-args.js';

const certDecode: Command = {
  path: ['cert', 'decode'],
  summary: 'decode certificates: a .cer/.crt/.pem (PEM or DER), a PKCS#7 .p7b/.p7c (every certificate), or a PFX without its password (its certificates only)',
  usage:
    'cert decode FILE [--json]\n' +
    '  A PFX is read without its password: opened with the empty password when that is its password, else only\n' +
    '  the certificates it keeps unencrypted (its integrity check is then unchecked); its key is never shown. One\n' +
    '  whose certificates are encrypted with a password is an error.',
  options: {},
  positionals: [1, 1],
  async run(ctx, args) {
    const [{ readInputFiles }, { decodeCertificateFile }, { renderCertificatesText }] = await Promise.all([
      import('../../services/ca.js'),
      import('../../services/certificate-decode.js'),
      import('../../services/certificate-text.js'),
    ]);
    const [file] = await readInputFiles([cliPath(ctx, args[0] as string)], ctx.cwd);
    const { name, data } = file as NonNullable<typeof file>;
    const decoded = await decodeCertificateFile(name, data);
    if (ctx.json) {
      ctx.printJson(decoded);
      return 0;
    }
    const n = decoded.certificates.length;
    const what = decoded.container === 'pfx' ? `PFX, read without its password${decoded.integrityChecked ? '' : ': its integrity (MAC) is not checked'}` : `${n} certificate${n === 1 ? '' : 's'}`;
    ctx.print(`${name}: ${what}`);
    ctx.print('');
    ctx.writeRaw(renderCertificatesText(decoded.certificates));
    return 0;
  },
};

/** `certdesk cert decode`. */
export const CERT_COMMANDS: Command[] = [certDecode];
