import type { PublishingRule } from '../../common/plan.js';
import type { ProxyKind, ProxyTextLanguage } from '../../common/proxy.js';

/** The certificate a configuration names; absent: placeholders that say what to put there. */
export interface ProxyCertificateInfo {
  /** SHA-1 thumbprint, upper-case hex (what IIS and TMG show). */
  thumbprint: string;
  friendlyName: string;
  /** ISO-8601. */
  notAfter: string;
}

/**
 * Everything a generator needs, as plain data: the rules of one certificate, where the files will
 * sit on the proxy, and how to reach the internal servers. Generators are pure text functions.
 */
export interface ProxyConfigInput {
  kind: ProxyKind;
  /** The certificate's CN: names the files. */
  subject: string;
  rules: PublishingRule[];
  /** Absolute folder on the proxy (POSIX for nginx and HAProxy). */
  installDir: string;
  /** Address the proxy listens on; null: all addresses. */
  listen: string | null;
  /** Internal target -> address to connect to (ports unchanged). */
  upstreams: ReadonlyMap<string, string>;
  certificate: ProxyCertificateInfo | null;
  /** TMG checklist language. */
  language: ProxyTextLanguage;
  /** When the configuration was generated (ISO-8601), for its header. */
  generatedAt: string;
  /** The PFX the IIS ARR script and TMG checklist tell the admin to import; default `<subject>.pfx`. */
  pfxFileName?: string;
}

/** The file names a configuration refers to (in installDir), per subject. */
export function proxyFileNames(subject: string): { config: string; certificate: string; key: string; trustedCa: string; pfx: string; haproxyPem: string; passwordFile: string; haproxyScript: string; iisScript: string; tmgChecklist: string } {
  return {
    config: `certdesk-${subject}.conf`,
    certificate: `${subject}.crt`,
    key: `${subject}.key`,
    trustedCa: 'internal-ca.pem',
    pfx: `${subject}.pfx`,
    haproxyPem: `${subject}.pem`,
    passwordFile: 'ssl-password.txt',
    haproxyScript: 'install-haproxy-cert.sh',
    iisScript: `Configure-IisArr-${subject}.ps1`,
    tmgChecklist: `tmg-checklist-${subject}.txt`,
  };
}

/** The address to connect to for an internal target: the --upstream mapping, else the name itself. */
export function upstreamAddress(input: ProxyConfigInput, target: string): string {
  const a = input.upstreams.get(target) ?? target;
  // An IPv6 literal needs brackets before ":port".
  return a.includes(':') && !a.startsWith('[') ? `[${a}]` : a;
}

/** The listen address as `ADDR:PORT`, or just the port when listening on all addresses. */
export function listenOn(input: ProxyConfigInput, port: number): string {
  if (input.listen === null) return String(port);
  const a = input.listen.includes(':') && !input.listen.startsWith('[') ? `[${input.listen}]` : input.listen;
  return `${a}:${port}`;
}

/** Distinct internal target + port pairs of the rules, in first-seen order. */
export function backendsOf(rules: readonly PublishingRule[]): { target: string; port: number; https: boolean; names: string[] }[] {
  const out: { target: string; port: number; https: boolean; names: string[] }[] = [];
  for (const r of rules) {
    let b = out.find((x) => x.target === r.internalTarget && x.port === r.internalPort && x.https === (r.protocol === 'https'));
    if (!b) {
      b = { target: r.internalTarget, port: r.internalPort, https: r.protocol === 'https', names: [] };
      out.push(b);
    }
    if (!b.names.includes(r.externalName)) b.names.push(r.externalName);
  }
  return out;
}

/**
 * Long-poll web services (UCWA, mobility's MCX, persistent chat web) keep a request open for up to
 * 15 minutes before answering; a proxy that times out sooner cuts every remote client off.
 */
export const LONG_POLL_TIMEOUT_SECONDS = 960;
