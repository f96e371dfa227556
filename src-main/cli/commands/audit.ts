import { escapeUntrusted } from '../../common/escape.js';
import { type Command, str } from '../command.js';
import { cliServiceContext } from '../context.js';

const verifyCommand: Command = {
  path: ['audit', 'verify'],
  summary: "check the audit log's hash chain and that every request's key events are in it (exit 1 naming the first bad line)",
  usage: 'audit verify',
  options: {},
  positionals: [0, 0],
  async run(ctx) {
    const { verifyAudit } = await import('../../services/audit.js');
    const r = await verifyAudit(cliServiceContext(ctx, { readOnly: true }));
    if (ctx.json) ctx.printJson(r);
    else if (r.ok) ctx.print(`The audit log is intact: ${r.lines} lines${r.chainedFrom !== null && r.chainedFrom > 1 ? ` (chained from line ${r.chainedFrom}; earlier lines predate the chain)` : ''}, every request's key-generated line present.`);
    if (r.firstBadLine !== undefined) ctx.note(`error: audit.log line ${r.firstBadLine} is bad: ${r.reason ?? ''}`);
    else if (r.requestsWithoutKeyEvent.length > 0) ctx.note(`error: no key-generated line in the audit log for request(s) ${r.requestsWithoutKeyEvent.join(', ')}`);
    return r.ok ? 0 : 1;
  },
};

const showCommand: Command = {
  path: ['audit', 'show'],
  summary: 'print the audit log readably (all of it, or one request)',
  usage: 'audit show [--request ID]',
  options: { request: { type: 'string' } },
  positionals: [0, 0],
  async run(ctx, _args, values) {
    const { showAudit } = await import('../../services/audit.js');
    const records = await showAudit(cliServiceContext(ctx, { readOnly: true }), str(values, 'request'));
    if (ctx.json) {
      ctx.printJson(records);
      return 0;
    }
    for (const r of records) {
      ctx.print(escapeUntrusted(`${r.at}  ${r.event.padEnd(20)}  ${(r.requestId ?? '-').padEnd(17)}  ${r.detail}  (${r.user}@${r.host})`));
    }
    return 0;
  },
};

/** `certdesk audit verify|show`. */
export const AUDIT_COMMANDS: Command[] = [verifyCommand, showCommand];
