import { CertdeskError } from '../../common/errors.js';
import type { NameChange, RenewalPreview } from '../../services/renew.js';
import { type Command, flag, UsageError } from '../command.js';
import { cliServiceContext } from '../context.js';
import { creationSummary } from './request-format.js';
import { CSR_OPTIONS, formatOf, keySizeOf, loadPlanChoice, outFileOf, PLAN_OPTIONS, planChoiceOf } from './request-options.js';
import { deliverNewCsr } from './request.js';

function changeLines(sign: '+' | '-', changes: NameChange[]): string[] {
  return changes.map((c) => `  ${sign} ${c.name}${c.reasons.length > 0 ? `  (${c.reasons.join('; ')})` : ''}`);
}

/** What the renewal does with its names, before the creation summary. */
export function renewalNameLines(p: RenewalPreview): string[] {
  const lines: string[] = [];
  const planned = p.planned;
  if (p.planProblem !== undefined) lines.push(`Note: the topology kept with request ${p.renews} could not be planned again (${p.planProblem}); the old names are kept.`);
  if (!planned) return [...lines, 'Names: the same as the renewed request.'];
  const from = planned.from === 'request-topology' ? `the topology kept with request ${p.renews} (${planned.source})` : planned.from === 'stored' ? `stored topology ${planned.source}` : `topology file ${planned.source}`;
  const changed = planned.added.length + planned.removed.length > 0 || planned.subject !== p.current.subject;
  if (!changed) return [...lines, `Names: the same as the renewed request (the plan of ${from} agrees).`];
  if (p.planDiffers) lines.push(`The plan of ${from} now gives other names than the renewed request has; they are NOT used (run again with --replan to use them):`);
  else lines.push(`Names from the plan of ${from}:`);
  if (planned.subject !== p.current.subject) lines.push(`  subject: ${p.current.subject} -> ${planned.subject}`);
  lines.push(...changeLines('+', planned.added), ...changeLines('-', planned.removed));
  return lines;
}

const requestRenew: Command = {
  path: ['request', 'renew'],
  summary: 'renew a request: a new key and CSR with the same subject, SANs, friendly name and key options (names from a plan on demand)',
  usage:
    'request renew ID [--plan FILE [--certificate N] | --topology NAME [--certificate N]] [--replan] [--key-size 2048|3072|4096] [--format base64|der] [--out FILE] [--force]\n' +
    '  Without --plan/--topology, a request made from a plan is planned again from the topology it keeps; when that gives\n' +
    '  other names, they are used only with --replan. --force renews even while another renewal is pending (and overwrites --out).',
  options: { ...PLAN_OPTIONS, replan: { type: 'boolean' }, ...CSR_OPTIONS },
  positionals: [1, 1],
  async run(ctx, args, values) {
    const format = formatOf(values);
    const keySize = keySizeOf(values);
    const { source, certificate } = planChoiceOf(values, (s) => [
      s !== null && flag(values, 'replan') && '--replan re-plans the topology the request keeps; with --plan or --topology the names come from that plan anyway',
    ]);
    const out = await outFileOf(ctx, values);
    if (format === 'der' && !out) throw new UsageError('--format der writes binary: add --out FILE (or get it later with certdesk request csr ID --format der)');
    // The keychain helper starts while the services load (see request new).
    const svc = cliServiceContext(ctx, { warmKeychain: true });
    const { renewRequest } = await import('../../services/renew.js');
    const plan = source === null ? undefined : { names: await loadPlanChoice(ctx, source, certificate), from: source.kind };
    const { record, preview } = await renewRequest(svc, {
      id: args[0] as string,
      ...(plan ? { plan } : {}),
      replan: flag(values, 'replan'),
      ...(keySize !== undefined ? { keySize } : {}),
      force: flag(values, 'force'),
    }).catch((e: unknown) => {
      if (e instanceof CertdeskError && e.code === 'CONFLICT') e.message = e.message.replace(/, or renew again anyway \(force\)$/, ', or add --force to renew it anyway');
      throw e;
    });
    return deliverNewCsr(ctx, svc, record, format, out, 'renewal', () => [
      ...renewalNameLines(preview),
      ...creationSummary(record),
      `  renews:   ${preview.renews}`,
      ...(preview.pendingRenewals.length > 0 ? [`Note: request ${preview.pendingRenewals.join(', ')} was renewing it too and is still pending.`] : []),
    ]);
  },
};

/** `certdesk request renew`. */
export const REQUEST_RENEW_COMMANDS: Command[] = [requestRenew];
