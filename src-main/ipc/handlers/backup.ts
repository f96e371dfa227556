import type { ApiHandlers } from '../../common/api.js';
import { CertdeskError } from '../../common/errors.js';
import { createBackup, createBackupForDownload, getBackupStatus, restoreBackup } from '../../services/backup.js';
import type { HandlerDeps } from './deps.js';

type Area = 'backup.status' | 'backup.create' | 'backup.restore';

/** backup.*: Settings' "Back up the store" and "Restore from a backup", with the CLI's rules. */
export function backupHandlers(d: HandlerDeps): Pick<ApiHandlers, Area> {
  return {
    'backup.status': () => getBackupStatus(d.ctx),
    'backup.create': async (p) => {
      const passphrase = p.passphrase.kind === 'supplied' ? { passphrase: p.passphrase.password } : {};
      if (p.target.kind === 'download') {
        const made = await createBackupForDownload(d.ctx, passphrase);
        return { ...made.result, download: { fileName: made.fileName, mediaType: 'application/octet-stream', base64: Buffer.from(made.bytes).toString('base64') } };
      }
      const target = d.files.resolveSave(p.target, false);
      if (target.kind !== 'file') throw new CertdeskError('INVALID_INPUT', 'choose where to write the backup file');
      return createBackup(d.ctx, { out: target.path, ...passphrase });
    },
    'backup.restore': async (p) => {
      // A picked file is read by path (backups can be larger than an upload); dropped bytes as they are.
      if (p.source.kind === 'handle') return restoreBackup(d.ctx, { file: d.files.openedPath(p.source.handle), passphrase: p.passphrase });
      return restoreBackup(d.ctx, { data: (await d.files.readSource(p.source)).bytes, passphrase: p.passphrase });
    },
  };
}
