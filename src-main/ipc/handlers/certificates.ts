import { type ApiHandlers, CLIPBOARD_CLEAR_SECONDS } from '../../common/api.js';
import { CertdeskError } from '../../common/errors.js';
import { importCaCertificates, listCaCertificates } from '../../services/ca.js';
import { exportPfx, getPfxPassword, listExports } from '../../services/export.js';
import { importCertificate } from '../../services/import.js';
import { getSettings } from '../../services/settings.js';
import type { HandlerDeps } from './deps.js';

type Area = 'certificates.importAnswer' | 'certificates.importCa' | 'certificates.listCa' | 'exports.create' | 'exports.list' | 'exports.revealPassword' | 'exports.copyPassword';

/** certificates.* and exports.*: the CA's answer in, the PFX out. */
export function certificateHandlers(d: HandlerDeps): Pick<ApiHandlers, Area> {
  const inputFiles = async (sources: Parameters<typeof d.files.readSources>[0]) => (await d.files.readSources(sources)).map((f) => ({ name: f.name, data: f.bytes }));
  return {
    'certificates.importAnswer': async (p) =>
      importCertificate(d.ctx, await inputFiles(p.sources), {
        ...(p.requestId !== undefined ? { requestId: p.requestId } : {}),
        ...(p.acceptMismatch !== undefined ? { acceptMismatch: p.acceptMismatch } : {}),
      }),
    'certificates.importCa': async (p) => importCaCertificates(d.ctx, await inputFiles(p.sources)),
    'certificates.listCa': () => listCaCertificates(d.ctx),
    'exports.create': async (p) => {
      // A PFX is recorded with the path it was written to, so it is never handed back as a download.
      const target = d.files.resolveSave(p.target, false);
      if (target.kind !== 'file') throw new CertdeskError('INVALID_INPUT', 'choose where to write the PFX file');
      const profile = p.profile ?? (await getSettings(d.ctx)).defaultPfxProfile;
      return exportPfx(d.ctx, p.id, {
        out: target.path,
        profile,
        ...(p.password.kind === 'supplied' ? { password: p.password.password } : { generatePassword: true }),
        ...(p.includeRoot !== undefined ? { includeRoot: p.includeRoot } : {}),
        ...(p.iterations !== undefined ? { iterations: p.iterations } : {}),
        ...(p.allowIncompleteChain !== undefined ? { allowIncompleteChain: p.allowIncompleteChain } : {}),
        // The native save dialog already asked before replacing; a typed path replaces only with the Overwrite box.
        force: target.userConfirmedReplace || p.overwrite === true,
      });
    },
    'exports.list': (p) => listExports(d.ctx, p.id),
    'exports.revealPassword': async (p) => {
      const r = await getPfxPassword(d.ctx, p.id, p.exportNumber);
      return { exportNumber: r.exportNumber, password: r.password };
    },
    'exports.copyPassword': async (p) => {
      const r = await getPfxPassword(d.ctx, p.id, p.exportNumber);
      if (d.shell.copyToClipboard) {
        await d.shell.copyToClipboard(r.password, CLIPBOARD_CLEAR_SECONDS * 1000);
        return { by: 'main', exportNumber: r.exportNumber, clearAfterSeconds: CLIPBOARD_CLEAR_SECONDS };
      }
      // Browser mode: main has no clipboard the user's browser can see; the page writes it and clears it.
      return { by: 'renderer', exportNumber: r.exportNumber, password: r.password, clearAfterSeconds: CLIPBOARD_CLEAR_SECONDS };
    },
  };
}
