import type { ApiHandlers } from '../../common/api.js';
import { previewProxyConfig, saveProxyConfig } from '../../services/proxy-config-app.js';
import type { HandlerDeps } from './deps.js';

type Area = 'proxyConfig.prepare' | 'proxyConfig.save';

/** proxyConfig.*: the app's "Proxy configuration" section, as `certdesk proxy-config` offers it. */
export function proxyConfigHandlers(d: HandlerDeps): Pick<ApiHandlers, Area> {
  return {
    'proxyConfig.prepare': (p) => previewProxyConfig(d.ctx, p),
    'proxyConfig.save': async ({ target, password, ...params }) => {
      const out = await d.files.resolveFolder(target);
      return saveProxyConfig(d.ctx, params, out, password.kind === 'supplied' ? password.password : undefined);
    },
  };
}
