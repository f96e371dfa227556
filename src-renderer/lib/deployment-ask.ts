import type { NodeDeploymentView } from '../../src-main/common/farms.js';

/** What a deployment checklist or rollout cell asks the shared dialogs for (components/DeploymentDialogs). */
export interface DeploymentAsk {
  view: NodeDeploymentView;
  action: 'deploy' | 'verify' | 'undo';
}
