import type { ApiHandlers } from '../../common/api.js';
import { importTopologyBytes } from '../../services/plans.js';
import { saveTopologyFile } from '../../services/public-files.js';
import { deleteTopology, listTopologies, saveTopology, showTopology } from '../../services/topologies.js';
import type { HandlerDeps } from './deps.js';

type Area = 'topologies.list' | 'topologies.show' | 'topologies.save' | 'topologies.delete' | 'topologies.import' | 'topologies.saveFile';

/** topologies.*: the store's named topologies and the Lync importer, as `certdesk topology ...` offers them. */
export function topologyHandlers(d: HandlerDeps): Pick<ApiHandlers, Area> {
  return {
    'topologies.list': () => listTopologies(d.ctx),
    'topologies.show': (p) => showTopology(d.ctx, p.name),
    'topologies.save': (p) => saveTopology(d.ctx, p.name, p.topology, p.savedFrom ?? 'the Plan view'),
    'topologies.delete': async (p) => ({ name: await deleteTopology(d.ctx, p.name), deleted: true }),
    'topologies.import': async (p) => {
      const file = await d.files.readSource(p.source);
      return importTopologyBytes(file.bytes, file.name);
    },
    'topologies.saveFile': (p) => saveTopologyFile(d.ctx, p.topology, p.fileName, d.files.resolveSave(p.target, true)),
  };
}
