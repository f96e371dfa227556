import { renderHaproxy } from './haproxy.js';
import { renderIisArr } from './iis-arr.js';
import type { ProxyConfigInput } from './input.js';
import { proxyFileNames } from './input.js';
import { renderNginx } from './nginx.js';
import { renderTmg } from './tmg.js';

/** The main file of a proxy kind: its name and text (never secret: no key, no password). */
export function renderProxyConfig(input: ProxyConfigInput): { fileName: string; text: string } {
  const f = proxyFileNames(input.subject);
  switch (input.kind) {
    case 'nginx':
      return { fileName: f.config, text: renderNginx(input) };
    case 'haproxy':
      return { fileName: 'haproxy.cfg', text: renderHaproxy(input) };
    case 'iis-arr':
      return { fileName: f.iisScript, text: renderIisArr(input) };
    case 'tmg':
      return { fileName: f.tmgChecklist, text: renderTmg(input) };
  }
}
