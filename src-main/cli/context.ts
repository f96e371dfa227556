import { createKeytarSecretStore } from '../keychain/keytar.js';
import type { ServiceContext } from '../services/context.js';
import type { CliContext } from './command.js';

/**
 * The services' view of one CLI invocation: the store folder, the OS keychain (loaded only when a
 * command needs a secret) and warnings as `warning: ...` lines on stderr.
 */
export function cliServiceContext(ctx: CliContext): ServiceContext {
  return {
    storeDir: ctx.storeDir,
    secrets: createKeytarSecretStore({ timeoutMs: 10_000 }),
    warn: (message) => ctx.note(`warning: ${message}`),
  };
}
