import type { PlanResult } from '../../common/plan.js';
import { type CliContext, type Command, str, UsageError } from '../command.js';
import { cliServiceContext } from '../context.js';
import { cliPath } from '../raw-args.js';

/** Human rendering of a plan: certificates with reasons per SAN, findings, publishing rules. */
export function renderPlan(result: PlanResult, source: string, requestArg = source): string[] {
  const lines: string[] = [];
  const n = result.plans.length;
  lines.push(`Plan for ${source}: ${n} certificate${n === 1 ? '' : 's'} (strategy ${result.strategy})`);
  for (const p of result.plans) {
    lines.push('', `Certificate ${p.certificate} of ${n}: subject CN=${p.subject} (pool ${p.pool}), ${p.sans.length} SANs`);
    const width = Math.max(...p.sans.map((s) => label(s).length));
    p.sans.forEach((s, i) => lines.push(`  ${String(i + 1).padStart(2)}. ${label(s).padEnd(width)}  ${s.reasons.join('; ')}`));
  }
  lines.push('', 'Findings:');
  if (result.findings.length === 0) lines.push('  none');
  for (const f of result.findings) {
    const where = [f.field, f.certificate !== undefined ? `certificate ${f.certificate}` : undefined].filter(Boolean).join(', ');
    lines.push(`  ${f.severity.padEnd(7)} ${f.code}: ${f.message}${where ? ` [${where}]` : ''}`);
  }
  lines.push('', 'Reverse-proxy publishing rules:');
  if (result.publishingRules.length === 0) lines.push('  none');
  for (const r of result.publishingRules) lines.push(`  ${r.text}`);
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  lines.push(
    '',
    errors === 0
      ? `No errors: create the request with \`certdesk request new ${requestArg.startsWith('--topology') ? requestArg : `--plan ${requestArg}`}${n > 1 ? ' --certificate N' : ''}\`.`
      : `${errors} error${errors === 1 ? '' : 's'}: fix the topology before creating a request.`,
  );
  return lines;
}

function label(s: { name: string; unicode?: string }): string {
  return s.unicode !== undefined ? `${s.name} (${s.unicode})` : s.name;
}

function report(ctx: CliContext, result: PlanResult, source: string, requestArg: string): number {
  if (ctx.json) {
    ctx.printJson({ strategy: result.strategy, ok: result.ok, plans: result.plans, findings: result.findings, publishingRules: result.publishingRules });
  } else {
    for (const line of renderPlan(result, source, requestArg)) ctx.print(line);
  }
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  if (errors === 0) return 0;
  ctx.note(`error: the plan has ${errors} error finding${errors === 1 ? '' : 's'} (${[...new Set(result.findings.filter((f) => f.severity === 'error').map((f) => f.code))].join(', ')})`);
  return 1;
}

/** `certdesk plan FILE`: the reverse-proxy certificate plan of a topology. */
export const planCommand: Command = {
  path: ['plan'],
  summary: 'plan the reverse-proxy certificate(s) of a topology file: subject, SANs with reasons, findings, publishing rules',
  usage: 'plan FILE [--json]\n       certdesk plan --topology NAME [--json]\n  Exit 1 when any finding is an error (the plan is still printed). The JSON is documented in the README (section "plan").',
  options: { topology: { type: 'string' } },
  positionals: [0, 1],
  async run(ctx, args, values) {
    const stored = str(values, 'topology');
    const file = args[0];
    if ((stored === undefined) === (file === undefined)) throw new UsageError('give a topology FILE or --topology NAME (one of them)');
    const { planTopology } = await import('../../planning/planner.js');
    if (stored !== undefined) {
      const { loadStoredTopology } = await import('../../services/topologies.js');
      const t = await loadStoredTopology(cliServiceContext(ctx, { readOnly: true }), stored);
      return report(ctx, planTopology(t.topology), t.name, `--topology ${t.name}`);
    }
    const { readTopologySource } = await import('../../services/plans.js');
    const source = await readTopologySource(cliPath(ctx, file as string));
    // What the importer proposed (a Lync document) is listed with the plan's own findings.
    const planned = planTopology(source.topology);
    return report(ctx, { ...planned, findings: [...planned.findings, ...source.findings] }, source.name, source.name);
  },
};

/** The planning commands, for src-main/cli/commands/index.ts. */
export const PLAN_COMMANDS: Command[] = [planCommand];
