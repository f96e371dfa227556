import { resolve } from 'node:path';
import { PFX_PROFILE_INFO } from '../../common/exports.js';
import { type Command, flag, str, UsageError } from '../command.js';
import { cliServiceContext } from '../context.js';
import { readPasswordFile } from './export.js';
import { table } from '../table.js';

const bundle: Command = {
  path: ['bundle'],
  summary: "write a farm's USB bundle: PFX per profile, internal CA certificates, each proxy node's configuration, manifest, README, Install-Certificate.ps1 (verified, all or nothing)",
  usage: `bundle ID --farm NAME --to DIR [--password-file F | --generate-password] [--include-public-root] [--allow-incomplete-chain]
  DIR: a drive's mount point (certdesk drives lists them) or any folder; the bundle goes into DIR/Certdesk-<subject>-<yyyymmdd-hhmm>/
  The PFX password is kept in the OS keychain and never written to the drive; without --password-file one is generated.
  Refuses an expired or not yet valid certificate or CA, and a chain with no known path to a root unless --allow-incomplete-chain.`,
  options: {
    farm: { type: 'string' },
    to: { type: 'string' },
    'password-file': { type: 'string' },
    'generate-password': { type: 'boolean' },
    'include-public-root': { type: 'boolean' },
    'allow-incomplete-chain': { type: 'boolean' },
  },
  positionals: [1, 1],
  async run(ctx, args, values) {
    const farm = str(values, 'farm');
    const to = str(values, 'to');
    if (farm === undefined || farm.trim() === '') throw new UsageError('--farm NAME is required');
    if (to === undefined || to.trim() === '') throw new UsageError('--to DIR is required (a drive from certdesk drives, or any folder)');
    const passwordFile = str(values, 'password-file');
    if (passwordFile !== undefined && flag(values, 'generate-password')) throw new UsageError('use --password-file F or --generate-password, not both');
    const toDir = resolve(ctx.cwd, to);
    const { writeBundle } = await import('../../services/bundles.js');
    const password = passwordFile !== undefined ? await readPasswordFile(ctx, passwordFile) : undefined;
    const result = await writeBundle(cliServiceContext(ctx), {
      id: args[0] as string,
      farm,
      toDir,
      ...(password !== undefined ? { password } : { generatePassword: true }),
      includePublicRoot: flag(values, 'include-public-root'),
      allowIncompleteChain: flag(values, 'allow-incomplete-chain'),
    });
    ctx.printJson(result);
    ctx.print(`Bundle for farm ${result.farm} written and verified (every file read back, SHA-256 matched):`);
    ctx.print(`  ${result.dir}`);
    for (const line of table(['  FILE', 'KIND', 'SHA-256'], result.files.map((f) => [`  ${f.path}`, f.profile ? `${f.kind} ${f.profile}` : f.kind, f.sha256]))) ctx.print(line);
    for (const p of result.profiles) ctx.print(`  ${p} PFX: for ${PFX_PROFILE_INFO[p].serves}`);
    ctx.print(`  thumbprint: ${result.thumbprint}`);
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
