import { CertdeskError } from '../../common/errors.js';
import { type CsrFormat, KEY_SIZES, type KeySize } from '../../common/requests.js';
import type { PlanForRequest } from '../../services/plans.js';
import { type CliContext, flag, type OptionValues, str, UsageError } from '../command.js';
import { cliServiceContext } from '../context.js';
import { checkOutFile, type OutFile } from '../out-file.js';
import { cliPath } from '../raw-args.js';

/*
 * The options `request new` and `request renew` share, read one way for both: the CSR's format and
 * key size, --out, and the plan that names the certificate (--plan FILE or --topology NAME, with
 * --certificate N).
 */

/** The option declarations behind the readers below (a command spreads them into its own `options`). */
export const PLAN_OPTIONS = { plan: { type: 'string' }, topology: { type: 'string' }, certificate: { type: 'string' } } as const;
export const CSR_OPTIONS = { 'key-size': { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } } as const;

export function formatOf(values: OptionValues): CsrFormat {
  const f = str(values, 'format') ?? 'base64';
  if (f !== 'base64' && f !== 'der') throw new CertdeskError('INVALID_INPUT', `--format must be base64 or der, not "${f}"`);
  return f;
}

export function keySizeOf(values: OptionValues): KeySize | undefined {
  const v = str(values, 'key-size');
  if (v === undefined) return undefined;
  const n = /^[0-9]{1,5}$/.test(v) ? Number(v) : NaN;
  if (!(KEY_SIZES as readonly number[]).includes(n)) throw new CertdeskError('INVALID_INPUT', `--key-size must be one of ${KEY_SIZES.join(', ')}, not "${v}"`);
  return n as KeySize;
}

export async function outFileOf(ctx: CliContext, values: OptionValues): Promise<OutFile | null> {
  const out = str(values, 'out');
  return out === undefined ? null : checkOutFile(ctx.cwd, out, flag(values, 'force'), ctx.storeDir);
}

/** Which plan names the certificate: a topology file (--plan) or a stored topology (--topology), and which of its certificates. */
export interface PlanChoice {
  source: { kind: 'file'; file: string } | { kind: 'stored'; name: string } | null;
  /** --certificate N (1-based), when given. */
  certificate: number | undefined;
}

/**
 * Reads --plan / --topology / --certificate. Usage errors (exit 2) come before a bad value: both
 * topologies given, then the command's own `conflicts` (a usage message where the condition holds,
 * checked in order), then --certificate without a plan; last, --certificate that is not a number.
 */
export function planChoiceOf(values: OptionValues, conflicts: (choice: PlanChoice['source']) => readonly (string | false)[] = () => []): PlanChoice {
  const plan = str(values, 'plan');
  const stored = str(values, 'topology');
  const certificate = str(values, 'certificate');
  if (plan !== undefined && stored !== undefined) throw new UsageError('--plan FILE and --topology NAME both name a topology: give one');
  const source: PlanChoice['source'] = plan !== undefined ? { kind: 'file', file: plan } : stored !== undefined ? { kind: 'stored', name: stored } : null;
  const conflict = conflicts(source).find((c): c is string => c !== false);
  if (conflict !== undefined) throw new UsageError(conflict);
  if (certificate !== undefined && source === null) throw new UsageError('--certificate picks a certificate of a plan: use it with --plan FILE or --topology NAME');
  if (certificate !== undefined && !/^[1-9][0-9]{0,3}$/.test(certificate)) {
    throw new CertdeskError('INVALID_INPUT', `--certificate must be a certificate number from the plan (1, 2, ...), not "${certificate}"`);
  }
  return { source, certificate: certificate === undefined ? undefined : Number(certificate) };
}

/** The subject and SANs of the chosen plan's certificate, with the topology to keep with the request. */
export async function loadPlanChoice(ctx: CliContext, source: NonNullable<PlanChoice['source']>, certificate: number | undefined): Promise<PlanForRequest> {
  const { loadPlanForRequest, loadStoredPlanForRequest } = await import('../../services/plans.js');
  if (source.kind === 'stored') return loadStoredPlanForRequest(cliServiceContext(ctx, { readOnly: true }), source.name, certificate);
  return loadPlanForRequest(cliPath(ctx, source.file), certificate);
}
