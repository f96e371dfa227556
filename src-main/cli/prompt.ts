import { CertdeskError } from '../common/errors.js';

/**
 * Reads one line from the terminal without echoing it (a passphrase or password). Refuses when stdin is
 * not a terminal: a secret piped in would end up in shell history or scripts; each caller has a
 * file flag for that, which `noTerminal` names.
 */
export async function readHiddenLine(prompt: string, noTerminal = 'no terminal to ask for the passphrase: give --passphrase-file F'): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) throw new CertdeskError('INVALID_INPUT', noTerminal);
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.resume();
  let line = '';
  try {
    return await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            input.off('data', onData);
            resolve(line);
            return;
          }
          if (ch === '\u0003') {
            input.off('data', onData);
            reject(new CertdeskError('INVALID_INPUT', 'cancelled'));
            return;
          }
          if (ch === '\u007f' || ch === '\b') line = line.slice(0, -1);
          else line += ch;
        }
      };
      input.on('data', onData);
    });
  } finally {
    input.setRawMode(false);
    input.pause();
    process.stderr.write('\n');
  }
}
