import { CertdeskError } from '../../common/errors.js';
import { PFX_PROFILES, type PfxProfile } from '../../common/exports.js';
import { readUserFile } from '../../store/user-file.js';
import { showPath } from '../../store/user-path.js';
import { type CliContext, type Command, flag, type OptionValues, str, UsageError } from '../command.js';
import { cliServiceContext } from '../context.js';
import { cliPath } from '../raw-args.js';

function profileOf(values: OptionValues): PfxProfile | undefined {
  const p = str(values, 'profile');
  if (p !== undefined && !(PFX_PROFILES as readonly string[]).includes(p)) throw new CertdeskError('INVALID_INPUT', `--profile must be ${PFX_PROFILES.join(' or ')}, not "${p}"`);
  return p as PfxProfile | undefined;
}

function iterationsOf(values: OptionValues): number | undefined {
  const v = str(values, 'iterations');
  if (v === undefined) return undefined;
  if (!/^[1-9][0-9]{0,6}$/.test(v)) throw new CertdeskError('INVALID_INPUT', `--iterations must be a whole number, not "${v}"`);
  return Number(v);
}

/** The password in a --password-file: one line; a trailing line break (LF or CRLF) and a UTF-8 BOM are not part of it. */
export async function readPasswordFile(ctx: CliContext, path: string): Promise<string> {
  const bytes = await readUserFile(cliPath(ctx, path), 'password file', {
    notFound: (shown) => new CertdeskError('NOT_FOUND', `cannot read the password file ${shown}: no such file`),
  });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CertdeskError('INVALID_INPUT', `the password file ${showPath(path)} is not UTF-8 text`);
  }
  const pw = text.replace(/^\uFEFF/, '').replace(/\r?\n$/, '');
  if (/[\r\n]/.test(pw)) throw new CertdeskError('INVALID_INPUT', `the password file ${showPath(path)} must hold the password on one line`);
  return pw;
}

const exportCommand: Command = {
  path: ['export'],
  summary: 'export certificate + private key + chain as a .pfx (legacy profile for TMG 2010 / Server 2008 R2-2016, modern for Server 2019+)',
  usage: 'export ID --out FILE.pfx [--profile legacy|modern] [--password-file F | --generate-password] [--include-root] [--iterations N] [--force] [--allow-incomplete-chain]\n  Refuses an expired or not yet valid certificate or CA, and a chain with no known path to a root unless --allow-incomplete-chain.',
  options: {
    out: { type: 'string' },
    profile: { type: 'string' },
    'password-file': { type: 'string' },
    'generate-password': { type: 'boolean' },
    'include-root': { type: 'boolean' },
    iterations: { type: 'string' },
    force: { type: 'boolean' },
    'allow-incomplete-chain': { type: 'boolean' },
  },
  positionals: [1, 1],
  async run(ctx, args, values) {
    const out = str(values, 'out');
    if (out === undefined || out.trim() === '') throw new UsageError('--out FILE.pfx is required');
    const passwordFile = str(values, 'password-file');
    if (passwordFile !== undefined && flag(values, 'generate-password')) throw new UsageError('use --password-file F or --generate-password, not both');
    const profile = profileOf(values);
    const iterations = iterationsOf(values);
    const password = passwordFile !== undefined ? await readPasswordFile(ctx, passwordFile) : undefined;
    const { exportPfx } = await import('../../services/export.js');
    const result = await exportPfx(cliServiceContext(ctx), args[0] as string, {
      // A Buffer when the name is not valid UTF-8, so exactly that name is written (cli/raw-args.ts).
      out: cliPath(ctx, out),
      ...(password !== undefined ? { password } : { generatePassword: true }),
      ...(profile !== undefined ? { profile } : {}),
      ...(iterations !== undefined ? { iterations } : {}),
      includeRoot: flag(values, 'include-root'),
      force: flag(values, 'force'),
      allowIncompleteChain: flag(values, 'allow-incomplete-chain'),
    });
    if (ctx.json) {
      ctx.printJson(result);
      return 0;
    }
    ctx.print(`Exported request ${result.requestId} as PFX #${result.exportNumber}: ${result.path}`);
    ctx.print(`  profile:    ${result.profile} (${result.iterations} iterations), for ${result.serves}`);
    const cas = result.caCertificates;
    ctx.print(`  contents:   certificate, private key${cas > 0 ? ` and ${cas} CA certificate${cas > 1 ? 's' : ''} (${result.includeRoot ? 'intermediates and root' : 'intermediates, no root'})` : ''}`);
    ctx.print(`  thumbprint: ${result.thumbprint}`);
    ctx.print(`  SHA-256:    ${result.sha256}`);
    for (const w of result.warnings ?? []) ctx.print(`  WARNING:    ${w}`);
    ctx.print(
      result.passwordGenerated
        ? `  password:   generated and kept in the OS keychain; show it with: certdesk password ${result.requestId}${result.exportNumber > 1 ? ` --export ${result.exportNumber}` : ''}`
        : '  password:   the one from the password file (also kept in the OS keychain)',
    );
    return 0;
  },
};

/** `certdesk export`. */
export const EXPORT_COMMANDS: Command[] = [exportCommand];
