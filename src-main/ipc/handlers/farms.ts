import type { ApiHandlers } from '../../common/api.js';
import { writeBundle } from '../../services/bundles.js';
import { listDeployments, markDeployment, undoDeployment } from '../../services/deployments.js';
import { listDrives } from '../../services/drives.js';
import { listExpiry } from '../../services/expiry.js';
import { deleteFarm, editFarm } from '../../services/farm-edit.js';
import { addFarm, linkRequest, listFarms, showFarm } from '../../services/farms.js';
import type { HandlerDeps } from './deps.js';

type Area =
  | 'bundles.write'
  | 'farms.add' | 'farms.list' | 'farms.show' | 'farms.linkRequest' | 'farms.update' | 'farms.delete'
  | 'drives.list' | 'deployments.mark' | 'deployments.list' | 'deployments.undo' | 'expiry.list';

/** farms.*, drives.*, deployments.* and expiry.*: rolling out to the farm. */
export function farmHandlers(d: HandlerDeps): Pick<ApiHandlers, Area> {
  return {
    'farms.add': async (p) => {
      const trust = (await d.files.readSources(p.trust ?? [])).map((f) => ({ name: f.name, data: f.bytes }));
      return addFarm(d.ctx, { name: p.name, nodes: p.nodes, trust });
    },
    'farms.list': () => listFarms(d.ctx),
    'farms.show': (p) => showFarm(d.ctx, p.name),
    'farms.linkRequest': (p) => linkRequest(d.ctx, p.name, p.requestId),
    'farms.update': async (p) => {
      const addTrust = (await d.files.readSources(p.addTrust ?? [])).map((f) => ({ name: f.name, data: f.bytes }));
      return editFarm(d.ctx, {
        name: p.name,
        ...(p.nodes !== undefined ? { nodes: p.nodes } : {}),
        ...(addTrust.length ? { addTrust } : {}),
        ...(p.removeTrust !== undefined ? { removeTrust: p.removeTrust } : {}),
      });
    },
    'farms.delete': (p) => deleteFarm(d.ctx, p),
    'drives.list': () => listDrives(),
    'bundles.write': async (p) => {
      const toDir = await d.files.resolveFolder(p.target);
      // The code-signing PFX is read here, main-side; its bytes and password go to the service only.
      const signWith = p.signWith ? { pfx: (await d.files.readSource(p.signWith.source)).bytes, password: p.signWith.password } : undefined;
      return writeBundle(d.ctx, {
        id: p.id,
        farm: p.farm,
        toDir,
        ...(p.password.kind === 'supplied' ? { password: p.password.password } : { generatePassword: true }),
        ...(p.includePublicRoot !== undefined ? { includePublicRoot: p.includePublicRoot } : {}),
        ...(p.allowIncompleteChain !== undefined ? { allowIncompleteChain: p.allowIncompleteChain } : {}),
        ...(signWith ? { signWith } : {}),
      });
    },
    'deployments.mark': (p) => markDeployment(d.ctx, p),
    'deployments.list': (p) => listDeployments(d.ctx, p.id),
    'deployments.undo': (p) => undoDeployment(d.ctx, p),
    'expiry.list': (p) => listExpiry(d.ctx, p),
  };
}
