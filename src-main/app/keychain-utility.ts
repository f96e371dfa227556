import { utilityProcess } from 'electron';
import { helperScriptPath } from '../keychain/helper-client.js';
import type { HelperChannel, HelperReply } from '../keychain/helper-protocol.js';

/**
 * The app's keychain helper: an Electron utility process (a Node child Electron manages, allowed
 * even with the RunAsNode fuse off). A hung keychain call then occupies that process, which the
 * client kills, never a thread of the main process's pool.
 */
export function forkUtilityHelper(): HelperChannel {
  const child = utilityProcess.fork(helperScriptPath(), [], { serviceName: 'Certdesk keychain', stdio: 'ignore' });
  return {
    send: (m) => child.postMessage(m),
    onMessage: (listener) => child.on('message', (m: unknown) => listener(m as HelperReply)),
    onExit: (listener) => child.once('exit', () => listener()),
    kill: () => {
      child.kill();
    },
  };
}
