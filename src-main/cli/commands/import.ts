import type { ChainEntry, ImportResult } from '../../common/certificates.js';
import { type Command, flag, str } from '../command.js';
import { cliPath } from '../raw-args.js';
import { cliServiceContext } from '../context.js';
import { findingLine } from './request-format.js';

function chainLine(c: ChainEntry): string {
  const from = c.role === 'leaf' ? '' : c.source === 'answer' ? ' (from the answer)' : ' (from the CA store)';
  return `    ${c.role.padEnd(12)}  ${c.subject}  [${c.keyAlgorithm}, until ${c.notAfter.slice(0, 10)}]${from}${c.signatureVerified ? '' : '  signature NOT verified'}`;
}

/** The human report of an import. */
export function importSummary(r: ImportResult): string[] {
  const rep = r.report;
  const added = r.caCertificatesAdded.length;
  const completed = [added > 0 ? `${added} CA certificate${added > 1 ? 's' : ''} from the answer added to the CA store` : '', r.chainUpdated === true ? 'the stored chain replaced by its more complete one' : '']
    .filter((s) => s !== '')
    .join(', ');
  const head = r.alreadyImported
    ? `Already imported: request ${r.requestId} has this certificate (status ${r.status}); ${completed === '' ? 'nothing changed' : completed}.`
    : `Imported the certificate for request ${r.requestId} (status ${r.status})${r.mismatchAccepted ? ', mismatch accepted' : ''}.`;
  const sans =
    rep.sansMissing.length === 0 && rep.sansExtra.length === 0
      ? `${rep.sansIssued.join(', ')} (exactly as requested)`
      : `${rep.sansIssued.join(', ')}${rep.sansMissing.length ? `; MISSING: ${rep.sansMissing.join(', ')}` : ''}${rep.sansExtra.length ? `; not requested: ${rep.sansExtra.join(', ')}` : ''}`;
  const lines = [
    head,
    `  subject:    ${rep.subject}`,
    `  issuer:     ${r.certificate.issuer}`,
    `  valid:      ${rep.notBefore} to ${rep.notAfter} (${rep.validityDays} days)`,
    `  thumbprint: ${r.certificate.thumbprint} (SHA-1, as Windows shows it)`,
    `  SANs:       ${sans}`,
    `  key usage:  ${rep.keyUsage ? `${rep.keyUsage.join(', ')}${rep.keyUsageCritical ? ' (critical)' : ''}` : '(none)'}; EKU: ${rep.extendedKeyUsage ? rep.extendedKeyUsage.join(', ') : '(none: any purpose)'}`,
    `  public key: matches the request's key`,
    `  chain:      ${rep.chainComplete ? 'complete to a root, every signature verified' : 'incomplete'}${rep.chainReordered ? ' (the file had it out of order; stored leaf first)' : ''}`,
    ...rep.chain.map(chainLine),
  ];
  if (r.caCertificatesAdded.length > 0) lines.push(`  CA store:   ${r.caCertificatesAdded.length} CA certificate(s) from the answer added`);
  for (const f of rep.findings.filter((x) => x.severity !== 'info' || !r.alreadyImported)) lines.push(findingLine(f));
  if (!r.alreadyImported) lines.push(`Next: certdesk export ${r.requestId} --out FILE.pfx`);
  return lines;
}

const importCommand: Command = {
  path: ['import'],
  summary: "import the CA's answer (.cer/.crt/.pem/.der, PEM bundle or .p7b), verify it against its request and chain",
  usage: 'import FILE... [--request ID] [--accept-mismatch]',
  options: { request: { type: 'string' }, 'accept-mismatch': { type: 'boolean' } },
  positionals: [1, Infinity],
  async run(ctx, args, values) {
    const [{ readInputFiles }, { importCertificate }] = await Promise.all([import('../../services/ca.js'), import('../../services/import.js')]);
    const files = await readInputFiles(args.map((a) => cliPath(ctx, a)), ctx.cwd);
    const requestId = str(values, 'request');
    const result = await importCertificate(cliServiceContext(ctx), files, {
      ...(requestId !== undefined ? { requestId } : {}),
      acceptMismatch: flag(values, 'accept-mismatch'),
    });
    if (ctx.json) ctx.printJson(result);
    else for (const line of importSummary(result)) ctx.print(line);
    return 0;
  },
};

/** `certdesk import`. */
export const IMPORT_COMMANDS: Command[] = [importCommand];
