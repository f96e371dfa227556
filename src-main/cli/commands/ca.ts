import type { CaCertificateInfo } from '../../common/certificates.js';
import type { Command } from '../command.js';
import { cliPath } from '../raw-args.js';
import { cliServiceContext } from '../context.js';
import { findingLine } from './request-format.js';

function caLines(c: CaCertificateInfo): string[] {
  return [
    `${c.root ? 'root' : 'intermediate'}: ${c.subject}`,
    `  issuer:     ${c.issuer}${c.root ? ' (self-signed)' : ''}`,
    `  valid:      ${c.notBefore.slice(0, 10)} to ${c.notAfter.slice(0, 10)}${c.expired ? '  EXPIRED' : ''}; key ${c.keyAlgorithm}`,
    `  thumbprint: ${c.thumbprint}`,
    `  SHA-256:    ${c.sha256}`,
  ];
}

const caImport: Command = {
  path: ['ca', 'import'],
  summary: 'import root and intermediate CA certificates (the proxies must trust the internal root)',
  usage: 'ca import FILE...',
  options: {},
  positionals: [1, Infinity],
  async run(ctx, args) {
    const { importCaCertificates, readInputFiles } = await import('../../services/ca.js');
    const result = await importCaCertificates(cliServiceContext(ctx), await readInputFiles(args.map((a) => cliPath(ctx, a)), ctx.cwd));
    if (ctx.json) {
      ctx.printJson(result);
      return 0;
    }
    for (const c of result.added) ctx.print(`Added ${c.root ? 'root' : 'intermediate'} ${c.subject} (thumbprint ${c.thumbprint})`);
    for (const c of result.existing) ctx.print(`Already stored: ${c.subject}`);
    for (const f of result.findings) ctx.print(findingLine(f));
    return 0;
  },
};

const caList: Command = {
  path: ['ca', 'list'],
  summary: 'list the stored CA certificates: subject, issuer, root or not, expiry, thumbprints',
  usage: 'ca list',
  options: {},
  positionals: [0, 0],
  async run(ctx) {
    const { listCaCertificates } = await import('../../services/ca.js');
    const list = await listCaCertificates(cliServiceContext(ctx, { readOnly: true }));
    if (ctx.json) ctx.printJson(list);
    else if (list.length === 0) ctx.print('No CA certificates stored; add the root with: certdesk ca import ROOT.cer');
    else ctx.print(list.map((c) => caLines(c).join('\n')).join('\n\n'));
    return 0;
  },
};

/** `certdesk ca import|list`. */
export const CA_COMMANDS: Command[] = [caImport, caList];
