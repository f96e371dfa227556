import { CertdeskError } from '../common/errors.js';
import type { PlanResult } from '../common/plan.js';
import { DEFAULT_INSTALL_DIRS, isProxyKind, PROXY_KINDS, type ProxyConfigResult, type ProxyKind, type ProxyTextLanguage } from '../common/proxy.js';
import type { RequestRecord } from '../common/requests.js';
import type { ProxyCertificateInfo, ProxyConfigInput } from '../planning/proxy/input.js';
import { renderProxyConfig } from '../planning/proxy/render.js';
import { checkInstallDir, checkListen, parseUpstreams, rulesForCertificate, uncoveredNames } from '../planning/proxy/select.js';
import { FarmStore } from '../store/farm-store.js';
import { nowOf, openStore, type ServiceContext } from './context.js';
import { trustedCasFrom, type TrustFile } from './farms.js';

/** What a proxy configuration is made from (the CLI's flags, the app's form). */
export interface ProxyConfigOptions {
  kind: ProxyKind;
  /** The plan (from a topology file, text or a saved topology); `source` names it in errors. */
  plan: PlanResult;
  source: string;
  /** 1-based plan certificate; default: the request's, else the only one. */
  certificate?: number;
  requestId?: string;
  installDir?: string;
  listen?: string;
  upstreams?: string[];
  /** The internal CA the proxy verifies the back ends with: files, or a farm's trusted CAs. */
  trust?: TrustFile[];
  farm?: string;
  language?: ProxyTextLanguage;
  /** The PFX file the Windows kinds' texts name (a bundle's profile file); default `<subject>.pfx`. */
  pfxFileName?: string;
}

/** A configuration made but not written: its input (for the key material) and what it trusts. */
export interface PreparedProxyConfig {
  result: ProxyConfigResult;
  input: ProxyConfigInput;
  record: RequestRecord | null;
  /** The internal CA certificates (PEM, concatenated), when known. */
  trustedCaPem: string | null;
}

function refusePlanErrors(plan: PlanResult, source: string): void {
  const errors = plan.findings.filter((f) => f.severity === 'error');
  if (errors.length === 0) return;
  throw new CertdeskError('INVALID_INPUT', `the plan from ${source} has ${errors.length} error${errors.length > 1 ? 's' : ''} (${[...new Set(errors.map((f) => f.code))].join(', ')}); fix the topology first`);
}

function chooseCertificate(plan: PlanResult, source: string, record: RequestRecord | null, asked: number | undefined): number {
  const count = plan.plans.length;
  if (asked !== undefined) {
    if (!Number.isInteger(asked) || asked < 1 || asked > count) throw new CertdeskError('INVALID_INPUT', `certificate ${asked} does not exist: the plan from ${source} has ${count} (1-${count})`);
    return asked;
  }
  if (record) {
    const match = plan.plans.find((p) => p.subject === record.subject);
    if (match) return match.certificate;
    throw new CertdeskError('INVALID_INPUT', `request ${record.id} (${record.subject}) is none of the certificates the plan from ${source} needs (${plan.plans.map((p) => p.subject).join(', ')})`);
  }
  if (count !== 1) throw new CertdeskError('INVALID_INPUT', `the plan from ${source} has ${count} certificates; choose one (certificate 1-${count}) or name the request`);
  return 1;
}

async function trustedCaPemOf(ctx: ServiceContext, opts: ProxyConfigOptions): Promise<string | null> {
  if (opts.trust && opts.trust.length > 0 && opts.farm !== undefined) throw new CertdeskError('INVALID_INPUT', 'give the internal CA as files or as a farm, not both');
  if (opts.trust && opts.trust.length > 0) return trustedCasFrom(opts.trust).cas.map((c) => c.pem).join('');
  if (opts.farm === undefined) return null;
  const farm = await new FarmStore(await openStore(ctx, { mustExist: true })).get(opts.farm);
  if (farm.trustedCas.length === 0) throw new CertdeskError('INVALID_INPUT', `farm ${farm.name} has no trusted internal CA certificate; add one to the farm or give the CA file`);
  return farm.trustedCas.map((c) => c.pem).join('');
}

/**
 * Builds one proxy kind's configuration from a plan's publishing rules (nothing written): the rules
 * of one certificate, the request's thumbprint when a request is named (placeholders otherwise),
 * the internal CA from files or a farm. INVALID_INPUT for a plan with errors, a request whose
 * certificate does not cover a published name, and for unusable addresses or folders.
 */
export async function prepareProxyConfig(ctx: ServiceContext, opts: ProxyConfigOptions): Promise<PreparedProxyConfig> {
  if (!isProxyKind(opts.kind)) throw new CertdeskError('INVALID_INPUT', `unknown proxy kind "${String(opts.kind).slice(0, 40)}"; use one of ${PROXY_KINDS.join(', ')}`);
  refusePlanErrors(opts.plan, opts.source);
  let record: RequestRecord | null = null;
  if (opts.requestId !== undefined) {
    const store = await openStore(ctx, { mustExist: true });
    record = await store.getRequest(await store.resolveId(opts.requestId));
    if (!record.certificate) throw new CertdeskError('INVALID_INPUT', `request ${record.id} has no certificate yet; import the CA's answer first (certdesk import FILE)`);
  }
  const certificate = chooseCertificate(opts.plan, opts.source, record, opts.certificate);
  const subject = opts.plan.plans[certificate - 1]?.subject ?? '';
  const rules = rulesForCertificate(opts.plan, certificate);
  const notes: string[] = [];
  const unplanned = opts.plan.publishingRules.filter((r) => r.protocol === 'https' && r.certificate === null).map((r) => r.externalName);
  if (unplanned.length > 0) notes.push(`no planned certificate covers ${unplanned.join(', ')}: not published here`);
  if (record?.certificate) {
    const missing = uncoveredNames(rules, record.certificate.sans);
    if (missing.length > 0) throw new CertdeskError('INVALID_INPUT', `the certificate of request ${record.id} does not cover ${missing.join(', ')}, published on 443 with it`);
  }
  // Windows kinds import into the certificate store and name no folder; a given one is still checked.
  const kind = opts.kind;
  const installDir = opts.installDir !== undefined ? checkInstallDir(opts.installDir) : kind === 'nginx' || kind === 'haproxy' ? DEFAULT_INSTALL_DIRS[kind] : '';
  const cert: ProxyCertificateInfo | null = record?.certificate
    ? { thumbprint: record.certificate.thumbprint, friendlyName: record.friendlyName || record.subject, notAfter: record.certificate.notAfter }
    : null;
  const input: ProxyConfigInput = {
    kind: opts.kind,
    subject,
    rules,
    installDir,
    listen: opts.listen === undefined ? null : checkListen(opts.listen),
    upstreams: parseUpstreams(opts.upstreams ?? [], rules),
    certificate: cert,
    language: opts.language ?? 'en',
    ...(opts.pfxFileName !== undefined ? { pfxFileName: opts.pfxFileName } : {}),
    generatedAt: nowOf(ctx).toISOString(),
  };
  const trustedCaPem = await trustedCaPemOf(ctx, opts);
  if (trustedCaPem === null && (opts.kind === 'nginx' || opts.kind === 'haproxy')) notes.push(`no internal CA given: put the root CA that issued the Lync servers' certificates in ${installDir}/internal-ca.pem`);
  const main = renderProxyConfig(input);
  const result: ProxyConfigResult = {
    kind: opts.kind,
    subject,
    certificate,
    rules,
    fileName: main.fileName,
    text: main.text,
    files: [],
    placeholders: cert === null,
    notes,
    ...(record && cert ? { requestId: record.id, thumbprint: cert.thumbprint } : {}),
  };
  return { result, input, record, trustedCaPem };
}
