import { createHelperSecretStore } from '../keychain/helper-client.js';
import type { ServiceContext } from '../services/context.js';
import type { CliContext } from './command.js';

/**
 * The services' view of one CLI invocation: the store folder, the OS keychain (loaded only when a
 * command needs a secret), warnings and notes as `warning: ...` / `note: ...` lines on stderr.
 * `readOnly` commands open an existing store only: a mistyped --store must not create one.
 * `warmKeychain` starts the keychain helper at once instead of on the first call.
 */
export function cliServiceContext(ctx: CliContext, opts: { readOnly?: boolean; longLived?: boolean; warmKeychain?: boolean } = {}): ServiceContext {
  // Keychain calls run in a helper process that a hang cannot hold the command hostage through.
  const secrets = createHelperSecretStore({ failFast: opts.longLived !== true });
  // A command that will need the keychain starts its helper now, so the helper's Node start-up and
  // D-Bus connection overlap the loading of the command's own modules.
  if (opts.warmKeychain === true) secrets.warm();
  return {
    storeDir: ctx.storeDir,
    secrets,
    warn: (message) => ctx.note(`warning: ${message}`),
    note: (message) => ctx.note(`note: ${message}`),
    ...(opts.readOnly === true ? { existingStoreOnly: true } : {}),
  };
}
