import { renderCsrText } from '../../common/csr.js';
import { CertdeskError } from '../../common/errors.js';
import { type CsrFormat, type NewRequestInput, REQUEST_STATUSES, type RequestRecord, type RequestStatus, type SubjectFields, type TopologyForRequest } from '../../common/requests.js';
import { type CliContext, type Command, flag, list, type OptionValues, str, UsageError } from '../command.js';
import type { ServiceContext } from '../../services/context.js';
import { cliServiceContext } from '../context.js';
import { type OutFile, outBytes, writeOutFile } from '../out-file.js';
import { chainLines, creationSummary, recordDetail, requestTable } from './request-format.js';
import { CSR_OPTIONS, formatOf, keySizeOf, loadPlanChoice, outFileOf, PLAN_OPTIONS, planChoiceOf } from './request-options.js';

/** Binary on a terminal helps nobody and can upset it: require --out or a pipe. */
function refuseDerOnTerminal(): void {
  if (process.stdout.isTTY) throw new UsageError('--format der writes binary: add --out FILE or redirect the output to a file');
}

/** Subject and SANs from --subject/--san, or from a plan: a file (--plan) or a stored topology (--topology), with --certificate N. */
async function namesOf(ctx: CliContext, values: OptionValues): Promise<{ commonName: string; sans: string[]; fromTopology?: TopologyForRequest; copied?: SubjectFields }> {
  const subject = str(values, 'subject');
  const sans = list(values, 'san');
  const fromCert = str(values, 'from-certificate');
  const { source, certificate } = planChoiceOf(values, (s) => [
    s !== null && fromCert !== undefined && '--from-certificate and --plan/--topology both give the names: use one',
    s !== null && (subject !== undefined || sans.length > 0) && `${s.kind === 'file' ? '--plan' : '--topology'} fills in the subject and SANs: leave out --subject and --san`,
  ]);
  if (source !== null) return loadPlanChoice(ctx, source, certificate);
  if (fromCert !== undefined) {
    const [{ namesFromCertificate }, { readInputFiles }] = await Promise.all([import('../../services/from-certificate.js'), import('../../services/ca.js')]);
    const [file] = await readInputFiles([fromCert], ctx.cwd);
    const copied = namesFromCertificate(file as NonNullable<typeof file>);
    ctx.print(`Names copied from ${copied.certificate.subject} (issuer ${copied.certificate.issuer}, thumbprint ${copied.certificate.thumbprint})`);
    // --subject replaces the copied CN; --san adds names to the copied ones.
    return { commonName: subject ?? copied.subject.commonName, sans: [...copied.sans, ...sans], copied: copied.subject };
  }
  if (subject === undefined) throw new UsageError('--subject FQDN is required (or --plan FILE, or --topology NAME)');
  return { commonName: subject, sans };
}

const requestNew: Command = {
  path: ['request', 'new'],
  summary: 'generate a key pair and a CSR to the reverse-proxy profile; store the request as pending',
  usage:
    'request new --subject FQDN [--san FQDN]... [--friendly-name S] [--description S] [--org S] [--ou S] [--locality S] [--state S] [--country CC] [--key-size 2048|3072|4096] [--no-exportable] [--no-windows-attributes] [--format base64|der] [--out FILE [--force]]\n' +
    '       certdesk request new --plan FILE [--certificate N] [same options as above]\n' +
    '       certdesk request new --topology NAME [--certificate N] [same options as above]\n' +
    '       certdesk request new --from-certificate FILE [same options as above]\n' +
    '  --from-certificate copies the subject and SANs of an existing certificate (.cer/.crt/.pem/.p7b, or a PFX whose\n' +
    '  certificates are not encrypted: read without its password); --subject replaces the CN, --san adds names.\n' +
    '  From a plan, the friendly name defaults to "Reverse proxy <subject> <yyyy-mm>" and the request keeps a copy of the topology.',
  options: {
    subject: { type: 'string' },
    san: { type: 'string', multiple: true },
    ...PLAN_OPTIONS,
    'from-certificate': { type: 'string' },
    'friendly-name': { type: 'string' },
    description: { type: 'string' },
    org: { type: 'string' },
    ou: { type: 'string' },
    locality: { type: 'string' },
    state: { type: 'string' },
    country: { type: 'string' },
    'no-exportable': { type: 'boolean' },
    'no-windows-attributes': { type: 'boolean' },
    ...CSR_OPTIONS,
  },
  positionals: [0, 0],
  async run(ctx, _args, values) {
    // Everything that can be refused is checked before the request is stored.
    const format = formatOf(values);
    const keySize = keySizeOf(values);
    if (format === 'der' && str(values, 'out') === undefined) throw new UsageError('--format der writes binary: add --out FILE (or get it later with certdesk request csr ID --format der)');
    // The key (native, on the thread pool) and the keychain helper (its own process) start before
    // the services, store and PKI modules load, so that loading overlaps both. The key first: it is
    // what the command waits for last (the helper answers in about 70-110 ms, a 2048-bit key takes
    // 50-300 ms), and forking the helper holds the main thread for a few ms. A request refused below
    // simply drops the key: it was never stored or shown.
    const { generateRsaKeyPair } = await import('../../pki/keys.js');
    const bits = keySize ?? 2048;
    const keyPair = { bits, pair: generateRsaKeyPair(bits) };
    void keyPair.pair.catch(() => undefined); // awaited by createRequest; never an unhandled rejection meanwhile
    const svc = cliServiceContext(ctx, { warmKeychain: true });
    const out = await outFileOf(ctx, values);
    const names = await namesOf(ctx, values);
    const input: NewRequestInput = {
      subject: {
        commonName: names.commonName,
        ...optional('organization', str(values, 'org') ?? names.copied?.organization),
        ...optional('organizationalUnit', str(values, 'ou') ?? names.copied?.organizationalUnit),
        ...optional('locality', str(values, 'locality') ?? names.copied?.locality),
        ...optional('state', str(values, 'state') ?? names.copied?.state),
        ...optional('country', str(values, 'country') ?? names.copied?.country),
      },
      sans: names.sans,
      ...optional('friendlyName', str(values, 'friendly-name')),
      ...optional('description', str(values, 'description')),
      ...optional('keySize', keySize),
      exportable: !flag(values, 'no-exportable'),
      windowsAttributes: !flag(values, 'no-windows-attributes'),
      ...optional('fromTopology', names.fromTopology),
    };
    const { createRequestWithCsr } = await import('../../services/request-create.js');
    const { record, csrDer } = await createRequestWithCsr(svc, input, undefined, { keyPair });
    return deliverNewCsr(ctx, svc, record, format, out, 'request', () => creationSummary(record), csrDer);
  },
};

/**
 * The end of `request new` and `request renew`: the new request's CSR to --out (the record is already
 * stored, so a failed write says how to get the CSR later), then `--json`'s record or the summary
 * lines and the CSR itself. `csrDer` is the CSR the caller just stored, when it has it in hand;
 * otherwise it is read from the store.
 */
export async function deliverNewCsr(ctx: CliContext, svc: ServiceContext, record: RequestRecord, format: CsrFormat, out: OutFile | null, noun: 'request' | 'renewal', summary: () => string[], csrDer?: Uint8Array): Promise<number> {
  const { csrInFormat, getCsr } = await import('../../services/request-csr.js');
  const csr = csrDer ? csrInFormat(csrDer, format) : await getCsr(svc, record.id, format);
  if (out) {
    try {
      await writeOutFile(out, csr);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new CertdeskError('IO_ERROR', `${noun} ${record.id} was stored, but the CSR was not written (${why}); get it with: certdesk request csr ${record.id} --out FILE`);
    }
  }
  if (ctx.json) {
    ctx.printJson(record);
    return 0;
  }
  for (const line of summary()) ctx.print(line);
  if (out) ctx.print(`CSR (${format === 'der' ? 'Binary DER' : 'Base64'}) written to ${out.shown}`);
  else {
    ctx.print('CSR (Base64):');
    ctx.writeRaw(csr);
  }
  return 0;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

const requestList: Command = {
  path: ['request', 'list'],
  summary: 'list stored requests with their renewal links (filter by --status, search id, names and description with --search)',
  usage: `request list [--status ${REQUEST_STATUSES.join('|')}] [--search TEXT]`,
  options: { status: { type: 'string' }, search: { type: 'string' } },
  positionals: [0, 0],
  async run(ctx, _args, values) {
    const status = str(values, 'status');
    const search = str(values, 'search');
    const { listRequestsWithLinks } = await import('../../services/requests.js');
    const { records, renewedBy } = await listRequestsWithLinks(cliServiceContext(ctx, { readOnly: true }), {
      ...(status !== undefined ? { status: status as RequestStatus } : {}),
      ...(search !== undefined ? { search } : {}),
    });
    if (ctx.json) ctx.printJson(records);
    // One write for the whole table: 10,000 separate writes to a pipe cost more than building it.
    else ctx.print(requestTable(records, status !== undefined || search !== undefined, renewedBy).join('\n'));
    return 0;
  },
};

const requestShow: Command = {
  path: ['request', 'show'],
  summary: 'show a request: its record, history and decoded CSR',
  usage: 'request show ID',
  options: {},
  positionals: [1, 1],
  async run(ctx, args) {
    const { showRequest } = await import('../../services/requests.js');
    const detail = await showRequest(cliServiceContext(ctx, { readOnly: true }), args[0] as string);
    if (ctx.json) {
      ctx.printJson(detail);
      return 0;
    }
    for (const line of recordDetail(detail.record)) ctx.print(line);
    for (const line of chainLines(detail.record.id, detail.renewalChain)) ctx.print(line);
    if (detail.csr) {
      ctx.print('');
      ctx.writeRaw(renderCsrText(detail.csr));
    }
    return 0;
  },
};

const requestCsr: Command = {
  path: ['request', 'csr'],
  summary: "write a request's CSR: Base64 (PEM, the default) or Binary (DER), to stdout or --out FILE",
  usage: 'request csr ID [--format base64|der] [--out FILE [--force]]',
  options: { format: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } },
  positionals: [1, 1],
  async run(ctx, args, values) {
    const format = formatOf(values);
    const out = await outFileOf(ctx, values);
    if (!out && format === 'der' && !ctx.json) refuseDerOnTerminal();
    const { getCsr } = await import('../../services/requests.js');
    const csr = await getCsr(cliServiceContext(ctx, { readOnly: true }), args[0] as string, format);
    const bytes = typeof csr === 'string' ? Buffer.from(csr, 'utf8') : Buffer.from(csr);
    if (out) await writeOutFile(out, csr);
    if (ctx.json) {
      ctx.printJson({ format, ...(out ? { out: out.shown, ...outBytes(out) } : {}), ...(typeof csr === 'string' ? { pem: csr } : { derBase64: bytes.toString('base64') }) });
    } else if (out) {
      ctx.print(`CSR (${format === 'der' ? 'Binary DER' : 'Base64'}, ${bytes.length} bytes) written to ${out.shown}`);
    } else {
      ctx.writeRaw(csr);
    }
    return 0;
  },
};

const requestDelete: Command = {
  path: ['request', 'delete'],
  summary: 'delete a request, destroy its private key and its PFX passwords in the keychain (needs the full id and --yes)',
  usage:
    'request delete FULL_ID --yes [--remove-exports] [--force]\n  --remove-exports also deletes the exported PFX files that still hold what was exported; --force deletes even when the OS keychain cannot be reached (its PFX passwords then stay there).',
  options: { yes: { type: 'boolean' }, 'remove-exports': { type: 'boolean' }, force: { type: 'boolean' } },
  positionals: [1, 1],
  async run(ctx, args, values) {
    if (!flag(values, 'yes')) {
      throw new UsageError('deleting a request destroys its private key for good (an issued certificate becomes unusable without it); add --yes to confirm');
    }
    const { deleteRequest } = await import('../../services/requests.js');
    const force = flag(values, 'force');
    const done = await deleteRequest(cliServiceContext(ctx), args[0] as string, { force, removeExports: flag(values, 'remove-exports') }).catch((e: unknown) => {
      const err = e as { code?: unknown; message?: unknown };
      if (!force && typeof err.code === 'string' && err.code.startsWith('KEYCHAIN_') && e instanceof Error) e.message += '; add --force to delete it anyway';
      throw e;
    });
    if (ctx.json) {
      ctx.printJson({ ...done, deleted: true });
      return 0;
    }
    ctx.print(`Deleted request ${done.id}; its private key is destroyed.`);
    if (done.passwordsRemoved > 0) ctx.print(`Removed ${done.passwordsRemoved} PFX password(s) from the OS keychain.`);
    for (const path of done.exportedFilesRemoved) ctx.print(`Removed the exported PFX file ${path}`);
    if (done.exportedFilesPresent.length > 0) {
      ctx.print('PFX files already exported still contain the private key (protected by their password); delete them too if they are no longer needed (or run again with --remove-exports):');
      for (const path of done.exportedFilesPresent) ctx.print(`  ${path}`);
    }
    return 0;
  },
};

/** `certdesk request new|list|show|csr|delete`. */
export const REQUEST_COMMANDS: Command[] = [requestNew, requestList, requestShow, requestCsr, requestDelete];
