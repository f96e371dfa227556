/**
 * lastLineOf reads the audit log's last line from the end of the file; it must give exactly what
 * reading the whole file did (the line the hash chain continues from), for every shape of file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastLineOf } from '../../../src-main/store/fs-read.js';
import { tempDir } from './fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('certdesk-last-line-'));
});
afterAll(() => cleanup?.());

/** The whole-file reading lastLineOf replaces. */
function wholeFile(path: string): string | null {
  const text = readFileSync(path).toString('utf8').replace(/\n$/, '');
  return text === '' ? null : text.slice(text.lastIndexOf('\n') + 1);
}

const line = (n: number, fill: string) => `{"n":${n},"detail":"${fill}"}`;
const cases: [string, Buffer | string][] = [
  ['an empty file', ''],
  ['a lone newline', '\n'],
  ['one line without a newline', line(1, 'a')],
  ['one line', `${line(1, 'a')}\n`],
  ['two lines, the last without a newline', `${line(1, 'a')}\n${line(2, 'b')}`],
  ['a blank last line', `${line(1, 'a')}\n\n`],
  ['10,000 lines of an audit log (3.8 MB)', Array.from({ length: 10_000 }, (_, i) => `${line(i, 'x'.repeat(360))}\n`).join('')],
  ['a last line of 100 kB (longer than the first read) with characters of 2, 3 and 4 bytes', `${line(1, 'a')}\n${line(2, 'é描😀'.repeat(10_000))}\n`],
  ['a last line of 1 MB in a file of one line', `${line(1, '描'.repeat(350_000))}\n`],
  ['bytes that are not UTF-8 in the last line', Buffer.concat([Buffer.from(`${line(1, 'a')}\n{"n":2,"detail":"`), Buffer.from([0xff, 0xe6, 0x8f]), Buffer.from('"}\n')])],
  ['a 4-byte character cut by the first read', `${line(1, 'a')}\n${'😀'.repeat(16_385)}\n`],
];

describe('lastLineOf', () => {
  for (const [what, content] of cases) {
    it(`gives what reading the whole file gave: ${what}`, async () => {
      const path = join(dir, 'audit.log');
      writeFileSync(path, content);
      const expected = wholeFile(path);
      expect(await lastLineOf(path)).toBe(expected);
    });
  }

  it('is null for a missing file', async () => {
    expect(await lastLineOf(join(dir, 'missing.log'))).toBeNull();
  });
});
