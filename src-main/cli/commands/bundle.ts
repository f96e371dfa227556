import { PFX_PROFILE_INFO } from '../../common/exports.js';
import { CertdeskError } from '../../common/errors.js';
import { readUserFile } from '../../store/user-file.js';
import { type CliContext, type Command, flag, str, UsageError } from '../command.js';
import { cliServiceContext } from '../context.js';
import { readHiddenLine } from '../prompt.js';
import { cliPath } from '../raw-args.js';
import { readPasswordFile } from './export.js';
import { table } from '../table.js';

/**
 * The code-signing PFX and its password. The password comes from a file or the terminal, never from
 * argv (other users see it in the process list); neither is stored, and errors never quote it.
 */
async function codeSigningPfx(ctx: CliContext, file: string, passwordFile: string | undefined): Promise<{ pfx: Uint8Array; password: string }> {
  const pfx = new Uint8Array(
    await readUserFile(cliPath(ctx, file), 'code-signing PFX', {
      notFound: (shown) => new CertdeskError('NOT_FOUND', `cannot read the code-signing PFX ${shown}: no such file`),
    }),
  );
  const password =
    passwordFile !== undefined
      ? await readPasswordFile(ctx, passwordFile)
      : await readHiddenLine('Password of the code-signing PFX: ', 'no terminal to ask for the code-signing PFX password: give --sign-password-file F');
  return { pfx, password };
}

const bundle: Command = {
  path: ['bundle'],
  summary: "write a farm's USB bundle: PFX per profile, internal CA certificates, each proxy node's configuration, manifest, README, Install-Certificate.ps1 (verified, all or nothing)",
  usage: `bundle ID --farm NAME --to DIR [--password-file F | --generate-password] [--include-public-root] [--allow-incomplete-chain] [--sign-with CODESIGN.pfx [--sign-password-file F]]
  DIR: a drive's mount point (certdesk drives lists them) or any folder; the bundle goes into DIR/Certdesk-<subject>-<yyyymmdd-hhmm>/
  The PFX password is kept in the OS keychain and never written to the drive; without --password-file one is generated.
  --sign-with signs Install-Certificate.ps1 (Authenticode, SHA-256, RSA key with the Code Signing EKU, no timestamp);
  its password comes from --sign-password-file or is asked on the terminal, and is never stored.
  Refuses an expired or not yet valid certificate or CA, and a chain with no known path to a root unless --allow-incomplete-chain.`,
  options: {
    farm: { type: 'string' },
    to: { type: 'string' },
    'password-file': { type: 'string' },
    'generate-password': { type: 'boolean' },
    'include-public-root': { type: 'boolean' },
    'allow-incomplete-chain': { type: 'boolean' },
    'sign-with': { type: 'string' },
    'sign-password-file': { type: 'string' },
  },
  positionals: [1, 1],
  async run(ctx, args, values) {
    const farm = str(values, 'farm');
    const to = str(values, 'to');
    if (farm === undefined || farm.trim() === '') throw new UsageError('--farm NAME is required');
    if (to === undefined || to.trim() === '') throw new UsageError('--to DIR is required (a drive from certdesk drives, or any folder)');
    const passwordFile = str(values, 'password-file');
    if (passwordFile !== undefined && flag(values, 'generate-password')) throw new UsageError('use --password-file F or --generate-password, not both');
    const signWithFile = str(values, 'sign-with');
    const signPasswordFile = str(values, 'sign-password-file');
    if (signPasswordFile !== undefined && signWithFile === undefined) throw new UsageError('--sign-password-file is the password of the --sign-with PFX: give --sign-with FILE.pfx too');
    if (signWithFile !== undefined && signWithFile.trim() === '') throw new UsageError('--sign-with needs the code-signing PFX file');
    // A Buffer when the name is not valid UTF-8, so the bundle goes exactly there (cli/raw-args.ts).
    const toDir = cliPath(ctx, to);
    const { writeBundle } = await import('../../services/bundles.js');
    const password = passwordFile !== undefined ? await readPasswordFile(ctx, passwordFile) : undefined;
    const signWith = signWithFile !== undefined ? await codeSigningPfx(ctx, signWithFile, signPasswordFile) : undefined;
    const result = await writeBundle(cliServiceContext(ctx), {
      id: args[0] as string,
      farm,
      toDir,
      ...(password !== undefined ? { password } : { generatePassword: true }),
      includePublicRoot: flag(values, 'include-public-root'),
      allowIncompleteChain: flag(values, 'allow-incomplete-chain'),
      ...(signWith !== undefined ? { signWith } : {}),
    });
    ctx.printJson(result);
    ctx.print(`Bundle for farm ${result.farm} written and verified (every file read back, SHA-256 matched):`);
    ctx.print(`  ${result.dir}`);
    for (const line of table(['  FILE', 'KIND', 'SHA-256'], result.files.map((f) => [`  ${f.path}`, f.profile ? `${f.kind} ${f.profile}` : f.kind, f.sha256]))) ctx.print(line);
    for (const p of result.profiles) ctx.print(`  ${p} PFX: for ${PFX_PROFILE_INFO[p].serves}`);
    ctx.print(`  thumbprint: ${result.thumbprint}`);
    if (result.scriptSignedBy) ctx.print(`  script:     signed by ${result.scriptSignedBy.subject} (thumbprint ${result.scriptSignedBy.thumbprint}, valid until ${result.scriptSignedBy.notAfter})`);
    for (const w of result.warnings ?? []) ctx.print(`  WARNING:    ${w}`);
    if (result.proxyConfigMissing !== undefined) ctx.print(`  proxies:    no configuration in the bundle: ${result.proxyConfigMissing}`);
    ctx.print(
      result.passwordGenerated
        ? `  password:   generated, kept in the OS keychain, NOT on the drive; deliver it separately. Show it with: certdesk password ${result.requestId} --export ${result.passwordExport}`
        : '  password:   the one from the password file (also kept in the OS keychain), NOT on the drive; deliver it separately',
    );
    return 0;
  },
};

/** `certdesk bundle`. */
export const BUNDLE_COMMANDS: Command[] = [bundle];
