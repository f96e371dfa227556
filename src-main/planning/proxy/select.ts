import { isIP } from 'node:net';
import { posix } from 'node:path';
import { CertdeskError } from '../../common/errors.js';
import type { PlanResult, PublishingRule } from '../../common/plan.js';
import { wildcardCovers } from '../normalize.js';

/**
 * The rules one certificate's configuration implements: the HTTPS rules whose listener uses that
 * certificate, and the HTTP rules of the same names (a name only published on 80, such as
 * lyncdiscover with mobility on port 80, goes with certificate 1, the subject pool's listener).
 */
export function rulesForCertificate(plan: PlanResult, certificate: number): PublishingRule[] {
  const certOfName = new Map<string, number>();
  for (const r of plan.publishingRules) if (r.protocol === 'https' && r.certificate !== null && !certOfName.has(r.externalName)) certOfName.set(r.externalName, r.certificate);
  return plan.publishingRules.filter((r) => (r.protocol === 'https' ? r.certificate === certificate : (certOfName.get(r.externalName) ?? 1) === certificate));
}

/** Names of HTTPS rules `sans` does not cover (exactly or by a one-label wildcard). */
export function uncoveredNames(rules: readonly PublishingRule[], sans: readonly string[]): string[] {
  const lower = sans.map((s) => s.toLowerCase());
  return [...new Set(rules.filter((r) => r.protocol === 'https').map((r) => r.externalName))].filter(
    (n) => !lower.includes(n) && !lower.some((s) => s.startsWith('*.') && wildcardCovers(s, n)),
  );
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * An address the configuration may contain: an IP literal or a DNS host name (letters, digits,
 * hyphens, dots). Anything else could break out of the configuration's syntax, so it is refused.
 */
export function checkAddress(value: string, what: string): string {
  const v = value.trim().replace(/^\[(.*)\]$/, '$1');
  if (isIP(v) !== 0 || HOST_NAME.test(v)) return v.toLowerCase();
  throw new CertdeskError('INVALID_INPUT', `${what} "${value.slice(0, 80)}" is not an IP address or host name`);
}

/** The listen address: an IP literal only (a proxy listens on its own addresses). */
export function checkListen(value: string): string {
  const v = value.trim().replace(/^\[(.*)\]$/, '$1');
  if (isIP(v) === 0) throw new CertdeskError('INVALID_INPUT', `the listen address "${value.slice(0, 80)}" is not an IP address`);
  return v;
}

/**
 * `NAME=ADDR` upstream mappings: NAME must be an internal target of the rules (a typo would
 * otherwise leave the real name silently in place).
 */
export function parseUpstreams(specs: readonly string[], rules: readonly PublishingRule[]): Map<string, string> {
  const targets = new Set(rules.map((r) => r.internalTarget));
  const out = new Map<string, string>();
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new CertdeskError('INVALID_INPUT', `upstream "${spec.slice(0, 80)}" must be NAME=ADDRESS, e.g. pool01=10.0.0.5`);
    const name = spec.slice(0, eq).trim().toLowerCase();
    if (!targets.has(name)) {
      throw new CertdeskError('INVALID_INPUT', `upstream ${name.slice(0, 80)}: no rule forwards to it; the internal targets are ${[...targets].join(', ')}`);
    }
    if (out.has(name)) throw new CertdeskError('INVALID_INPUT', `upstream ${name} is given twice`);
    out.set(name, checkAddress(spec.slice(eq + 1), `the address of upstream ${name}`));
  }
  return out;
}

/** The install folder on a Linux proxy: absolute, and plain characters only (it is written into the configuration unquoted). */
export function checkInstallDir(value: string): string {
  if (!posix.isAbsolute(value) || !/^[A-Za-z0-9._/-]+$/.test(value) || value.split('/').includes('..')) {
    throw new CertdeskError('INVALID_INPUT', `the install folder "${value.slice(0, 80)}" must be an absolute path of letters, digits, ".", "_", "-" and "/"`);
  }
  return posix.normalize(value).replace(/\/+$/, '') || '/';
}
