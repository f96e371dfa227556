import { type Command, flag, str, UsageError } from '../command.js';
import { cliServiceContext } from '../context.js';
import { table } from '../table.js';
import { renewalText, stateText } from './farm-format.js';

const deploy: Command = {
  path: ['deploy'],
  summary: "record that a request's certificate is on a farm node (verified when its thumbprint is confirmed)",
  usage: `deploy ID --node HOST [--verified-thumbprint HEX] [--farm NAME] [--operator NAME]
       deploy ID --node HOST --undo [--farm NAME]
  --verified-thumbprint: the thumbprint the node shows (Install-Certificate.ps1 prints it); must equal the certificate's SHA-1 thumbprint
  --farm: needed only when the node is in several farms
  --undo: remove the node's deployed/verified mark (recorded in the history as deployment-undone)`,
  options: { node: { type: 'string' }, 'verified-thumbprint': { type: 'string' }, farm: { type: 'string' }, operator: { type: 'string' }, undo: { type: 'boolean' } },
  positionals: [1, 1],
  async run(ctx, args, values) {
    const node = str(values, 'node');
    if (node === undefined) throw new UsageError('deploy needs --node HOST');
    const thumb = str(values, 'verified-thumbprint');
    const farm = str(values, 'farm');
    const operator = str(values, 'operator');
    if (flag(values, 'undo')) {
      if (thumb !== undefined || operator !== undefined) throw new UsageError('--undo takes only --node and --farm');
      const { undoDeployment } = await import('../../services/deployments.js');
      const u = await undoDeployment(cliServiceContext(ctx), { id: args[0] as string, node, ...(farm !== undefined ? { farm } : {}) });
      ctx.printJson(u);
      ctx.print(`Undone: the ${u.removed.state} mark of certificate ${u.removed.thumbprint} on ${u.host} (farm ${u.farm}); request ${u.requestId} is ${u.status}`);
      return 0;
    }
    const { markDeployment } = await import('../../services/deployments.js');
    const d = await markDeployment(cliServiceContext(ctx), {
      id: args[0] as string,
      node,
      ...(thumb !== undefined ? { verifiedThumbprint: thumb } : {}),
      ...(farm !== undefined ? { farm } : {}),
      ...(operator !== undefined ? { operator } : {}),
    });
    ctx.printJson(d);
    ctx.print(`${d.state === 'verified' ? 'Verified' : 'Deployed'}: certificate ${d.thumbprint} of request ${d.requestId} on ${d.host}`);
    return 0;
  },
};

const deployments: Command = {
  path: ['deployments'],
  summary: "where a request's certificate stands on each node of its farms",
  usage: 'deployments ID',
  options: {},
  positionals: [1, 1],
  async run(ctx, args) {
    const { listDeployments } = await import('../../services/deployments.js');
    const views = await listDeployments(cliServiceContext(ctx, { readOnly: true }), args[0] as string);
    ctx.printJson(views);
    if (views.length === 0) ctx.print('The request is not linked to any farm yet (certdesk bundle ID --farm NAME or certdesk farm link NAME ID).');
    else if (!views.some((v) => v.renewal)) for (const line of table(['FARM', 'NODE', 'PROFILE', 'STATE'], views.map((v) => [v.farm, v.host, v.profile, stateText(v)]))) ctx.print(line);
    else {
      // A request of a renewal chain: which certificate of the chain each node has, next to this one's state.
      const rows = views.map((v) => [v.farm, v.host, v.profile, stateText(v), v.renewal ? `${renewalText(v.renewal.has)}${v.renewal.requestId !== undefined ? ` (${v.renewal.requestId})` : ''}` : '-']);
      for (const line of table(['FARM', 'NODE', 'PROFILE', 'STATE', 'RENEWAL CHAIN'], rows)) ctx.print(line);
    }
    return 0;
  },
};

/** `certdesk deploy` and `certdesk deployments`. */
export const DEPLOY_COMMANDS: Command[] = [deploy, deployments];
