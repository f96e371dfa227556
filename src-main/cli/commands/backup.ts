import { CertdeskError } from '../../common/errors.js';
import { showPath } from '../../common/escape.js';
import { type CliContext, type Command, str, UsageError } from '../command.js';
import { cliServiceContext } from '../context.js';
import { readHiddenLine } from '../prompt.js';
import { cliPath } from '../raw-args.js';
import { readPasswordFile } from './export.js';

async function passphraseFrom(ctx: CliContext, file: string | undefined): Promise<string | undefined> {
  if (file === undefined) return undefined;
  const p = await readPasswordFile(ctx, file);
  if (p === '') throw new CertdeskError('INVALID_INPUT', `the passphrase file ${showPath(file)} is empty`);
  return p;
}

const backupCommand: Command = {
  path: ['backup'],
  summary: 'write an encrypted backup of the whole store and its store key (age format, passphrase)',
  usage:
    'backup --out FILE [--passphrase-file F]\n  Without --passphrase-file a strong passphrase is generated and printed once on stderr: keep it apart from the file.',
  options: { out: { type: 'string' }, 'passphrase-file': { type: 'string' } },
  positionals: [0, 0],
  async run(ctx, _args, values) {
    const out = str(values, 'out');
    if (out === undefined || out.trim() === '') throw new UsageError('--out FILE is required');
    const passphrase = await passphraseFrom(ctx, str(values, 'passphrase-file'));
    const { createBackup } = await import('../../services/backup.js');
    const result = await createBackup(cliServiceContext(ctx, { readOnly: true }), { out: cliPath(ctx, out), ...(passphrase !== undefined ? { passphrase } : {}) });
    const { passphrase: generated, ...report } = result;
    if (generated !== undefined) {
      // Once, on stderr only (never in --json or on stdout, which may go to a file next to the backup).
      ctx.note(`Backup passphrase (generated; shown only this once): ${generated}`);
      ctx.note('warning: write it down and keep it apart from the backup file: whoever has both has every private key, and without it the backup cannot be restored');
    }
    if (ctx.json) {
      ctx.printJson(report);
      return 0;
    }
    ctx.print(`Backed up the store (${report.requests} requests, ${report.keys} private keys, ${report.files} files, ${report.keychainEntries} keychain entries) to ${report.out}`);
    ctx.print(`  SHA-256: ${report.sha256}`);
    ctx.print(`  restore: certdesk restore FILE --store NEW-FOLDER; or inspect with: age -d FILE | tar -t`);
    return 0;
  },
};

const restoreCommand: Command = {
  path: ['restore'],
  summary: 'restore a backup into an empty or new store folder and put its store key into the OS keychain',
  usage: 'restore FILE --store DIR [--passphrase-file F]\n  Without --passphrase-file the passphrase is asked for on the terminal.',
  options: { 'passphrase-file': { type: 'string' } },
  positionals: [1, 1],
  async run(ctx, args, values) {
    const passphrase = (await passphraseFrom(ctx, str(values, 'passphrase-file'))) ?? (await readHiddenLine('Backup passphrase: '));
    const { restoreBackup } = await import('../../services/backup.js');
    const result = await restoreBackup(cliServiceContext(ctx), { file: cliPath(ctx, args[0] as string), passphrase });
    if (ctx.json) {
      ctx.printJson(result);
      return 0;
    }
    ctx.print(`Restored ${result.requests} requests into ${result.storeDir} (backup made ${result.backupCreatedAt})`);
    ctx.print(`  every private key decrypted once with the restored store key: ${result.keysVerified} of ${result.keysVerified}`);
    ctx.print(`  OS keychain entries created: ${result.keychainEntriesCreated}`);
    return 0;
  },
};

/** `certdesk backup`, `certdesk restore`. */
export const BACKUP_COMMANDS: Command[] = [backupCommand, restoreCommand];
