import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { renderCsrText } from '../../common/csr.js';
import { CertdeskError } from '../../common/errors.js';
import { ioReason } from '../../store/io-error.js';
import type { Command } from '../command.js';

// Far above any CSR; the decoder gives the precise "too large" error, this only avoids reading a
// multi-gigabyte file into memory first.
const MAX_READ_BYTES = 64 * 1024 * 1024;

async function readInput(cwd: string, file: string): Promise<Uint8Array> {
  const path = resolve(cwd, file);
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new CertdeskError('INVALID_INPUT', `${path} is a folder, not a CSR file`);
    if (s.size > MAX_READ_BYTES) throw new CertdeskError('PARSE_ERROR', `${path} is ${Math.round(s.size / 1024 / 1024)} MiB: far too large for a certificate request`);
    return await readFile(path);
  } catch (e) {
    if (e instanceof CertdeskError) throw e;
    throw new CertdeskError('INVALID_INPUT', `cannot read ${path}: ${ioReason(e)}`);
  }
}

const csrDecode: Command = {
  path: ['csr', 'decode'],
  summary: 'decode any CSR file (PEM, bare base64 or DER; Windows and OpenSSL) and check it',
  usage: 'csr decode FILE',
  options: {},
  positionals: [1, 1],
  async run(ctx, args) {
    const { parseCsr } = await import('../../pki/csr-decode.js');
    const csr = parseCsr(await readInput(ctx.cwd, args[0] as string));
    if (ctx.json) ctx.printJson(csr);
    else ctx.writeRaw(renderCsrText(csr));
    return 0;
  },
};

/** `certdesk csr decode`. */
export const CSR_COMMANDS: Command[] = [csrDecode];
