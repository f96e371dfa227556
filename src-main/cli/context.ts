import { createHelperSecretStore } from '../keychain/helper-client.js';
import type { ServiceContext } from '../services/context.js';
import type { CliContext } from './command.js';

/**
 * The services' view of one CLI invocation: the store folder, the OS keychain (loaded only when a
 * command needs a secret), warnings and notes as `warning: ...` / `note: ...` lines on stderr.
 * `readOnly` commands open an existing store only: a mistyped --store must not create one.
 */
export function cliServiceContext(ctx: CliContext, opts: { readOnly?: boolean; longLived?: boolean } = {}): ServiceContext {
  return {
    storeDir: ctx.storeDir,
    // Keychain calls run in a helper process that a hang cannot hold the command hostage through.
    secrets: createHelperSecretStore({ failFast: opts.longLived !== true }),
    warn: (message) => ctx.note(`warning: ${message}`),
    note: (message) => ctx.note(`note: ${message}`),
    ...(opts.readOnly === true ? { existingStoreOnly: true } : {}),
  };
}
