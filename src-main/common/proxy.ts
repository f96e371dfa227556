/**
 * Reverse-proxy configuration (`certdesk proxy-config`, farm node kinds, the app's "Proxy
 * configuration" section): the kinds Certdesk writes configuration for and the DTOs the services,
 * the CLI's --json and the renderer share. Names are a public contract: add, never rename.
 */
import type { PublishingRule } from './plan.js';
import type { PlanSource } from './topologies.js';

/** The proxies Certdesk writes configuration for: the procedure's two and the common replacements. */
export const PROXY_KINDS = ['nginx', 'haproxy', 'iis-arr', 'tmg'] as const;
/** One proxy kind. */
export type ProxyKind = (typeof PROXY_KINDS)[number];

/** What a farm node runs: a proxy kind, or `other` (no configuration generated for it). */
export const NODE_KINDS = [...PROXY_KINDS, 'other'] as const;
/** One node kind. */
export type NodeKind = (typeof NODE_KINDS)[number];

/** True when `value` is one of NODE_KINDS. */
export function isNodeKind(value: string): value is NodeKind {
  return (NODE_KINDS as readonly string[]).includes(value);
}

/** True when `value` is one of PROXY_KINDS. */
export function isProxyKind(value: string): value is ProxyKind {
  return (PROXY_KINDS as readonly string[]).includes(value);
}

/**
 * The kind a node gets when none is given, from its OS as bundles always assumed: TMG 2010 runs only
 * on Windows Server 2008 R2, every later Windows publishes Lync through IIS ARR, and an unknown OS
 * gets no configuration (`other`).
 */
export function defaultNodeKind(windowsVersion: string): NodeKind {
  if (windowsVersion === '2008R2') return 'tmg';
  if (windowsVersion === 'other') return 'other';
  return 'iis-arr';
}

/** Folder on the proxy the generated files sit in, when `--install-dir` is not given (Windows kinds: none, they import into the certificate store). */
export const DEFAULT_INSTALL_DIRS: Readonly<Record<'nginx' | 'haproxy', string>> = {
  nginx: '/etc/nginx/certdesk',
  haproxy: '/etc/haproxy/certdesk',
};

/** Language of the TMG checklist (the app shows it in the UI language). */
export type ProxyTextLanguage = 'en' | 'zh-TW';

/** What one generated file is. */
export type ProxyFileRole = 'config' | 'certificate' | 'key' | 'trusted-ca' | 'pfx' | 'script' | 'checklist';

/** One file of a generated proxy configuration. */
export interface ProxyFile {
  /** File name (no folder). */
  name: string;
  role: ProxyFileRole;
  /** SHA-256 of the bytes, lowercase hex. */
  sha256: string;
  size: number;
  /** Absolute path when written to a folder; for a folder name that is not valid UTF-8, its escaped display text. */
  path?: string;
  /** Only when the path is not valid UTF-8: its exact bytes, base64. */
  pathBytes?: string;
}

/** What `certdesk proxy-config --json` and the app's `proxy.generate` report. */
export interface ProxyConfigResult {
  kind: ProxyKind;
  /** The certificate's CN the configuration serves (`certdesk-<subject>.conf`). */
  subject: string;
  /** The 1-based plan certificate it implements. */
  certificate: number;
  /** The publishing rules implemented, in the plan's order. */
  rules: PublishingRule[];
  /** The main file (configuration, script or checklist). */
  fileName: string;
  /** Its text: configuration is never secret (no key, no password in it). */
  text: string;
  files: ProxyFile[];
  /** True when the certificate's files and thumbprint are placeholders (no request given). */
  placeholders: boolean;
  /** The request whose certificate is used, when one was given. */
  requestId?: string;
  /** SHA-1 thumbprint of that certificate, upper-case hex. */
  thumbprint?: string;
  /** Export entry holding the key material's password (`certdesk password ID --export N`). */
  passwordExport?: number;
  passwordGenerated?: boolean;
  /** Folder written, when one was; for a name that is not valid UTF-8, its escaped display text. */
  dir?: string;
  /** Only for a folder name that is not valid UTF-8: its exact bytes, base64. */
  dirBytes?: string;
  /** Things the admin must know (e.g. a rule whose name the certificate does not cover). */
  notes: string[];
}

/**
 * proxyConfig.prepare / proxyConfig.save: what the app's "Proxy configuration" section asks for,
 * as `certdesk proxy-config` takes it on its command line.
 */
export interface ProxyConfigParams {
  kind: ProxyKind;
  /** The plan: a stored topology or the Plan view's; absent: the plan the request was made from. */
  plan?: PlanSource;
  /** The request whose certificate the configuration serves; without it, placeholders. */
  requestId?: string;
  /** 1-based plan certificate; default: the request's, else the only one. */
  certificate?: number;
  /** The farm whose trusted CAs the proxy verifies the back ends with. */
  farm?: string;
  listen?: string;
  /** `NAME=ADDRESS` mappings of internal targets. */
  upstreams?: string[];
  installDir?: string;
  /** The TMG checklist's language: the UI's. */
  language?: ProxyTextLanguage;
}

/** One file of a prepared configuration as the renderer sees it. */
export interface ProxyPreviewFile {
  name: string;
  role: ProxyFileRole;
  /** The text (configuration, script, checklist, PEM certificates); absent for key material, which only saving writes. */
  text?: string;
}

/** proxyConfig.prepare: the configuration, its rules and the files saving would write (nothing written). */
export interface ProxyConfigPreview extends ProxyConfigResult {
  preview: ProxyPreviewFile[];
}
