import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isCertdeskError } from '../../../src-main/common/errors.js';
import { planFromFile, planFromText } from '../../../src-main/services/plans.js';
import { contoso } from './topologies.js';

const dir = mkdtempSync(join(tmpdir(), 'certdesk-topology-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, data: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

async function errorOf(path: string): Promise<{ code: string; message: string }> {
  try {
    await planFromFile(path);
  } catch (e) {
    if (isCertdeskError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error(`expected ${path} to be refused`);
}

const good = JSON.stringify(contoso(), null, 2);

describe('topology files', () => {
  it('plans a UTF-8 file, with or without a BOM, with CRLF line ends', async () => {
    expect((await planFromFile(file('plain.json', good))).ok).toBe(true);
    expect((await planFromFile(file('bom.json', `\uFEFF${good.replace(/\n/g, '\r\n')}`))).ok).toBe(true);
  });

  it('plans a UTF-16LE file as Notepad saves "Unicode"', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good, 'utf16le')]);
    const r = await planFromFile(file('utf16.json', bytes));
    expect(r.plans[0]?.subject).toBe('webext.contoso.com');
  });

  const BAD: [string, string | Uint8Array, string, RegExp][] = [
    ['an empty file', '', 'INVALID_INPUT', /^empty\.json is empty; expected a topology JSON object$/],
    ['a file of blanks', ' \n\t\n', 'INVALID_INPUT', /^blank\.json is empty/],
    ['text that is not JSON', 'pools: [webext]', 'PARSE_ERROR', /^notjson\.json is not valid JSON: Unexpected token 'p'$/],
    ['JSON cut short', '{"version": 1,', 'PARSE_ERROR', /^cut\.json is not valid JSON: Expected double-quoted property name \(line 1, column 15\)$/],
    ['a syntax error on line 3', '{\n  "version": 1,\n  sipDomains: []\n}', 'PARSE_ERROR', /^line3\.json is not valid JSON: .*\(line 3, column 3\)$/],
    ['binary garbage', new Uint8Array([0x00, 0xc3, 0x28, 0xff, 0x80, 0x81]), 'PARSE_ERROR', /^garbage\.json is not a text file/],
    ['JSON of the wrong type', '"webext.contoso.com"', 'INVALID_INPUT', /^string\.json: topology: expected a JSON object, got the string "webext\.contoso\.com"$/],
    ['an unknown field', JSON.stringify({ ...contoso(), strategie: 'shared' }), 'INVALID_INPUT', /^unknown\.json: strategie: unknown field \(did you mean "strategy"\?\)$/],
    ['a huge file', `{"description": "${'x'.repeat(1024 * 1024 + 10)}"}`, 'INVALID_INPUT', /^huge\.json is too large \(1048\d+ bytes\); a topology file is at most 1 MiB$/],
  ];
  const names = ['empty', 'blank', 'notjson', 'cut', 'line3', 'garbage', 'string', 'unknown', 'huge'];
  BAD.forEach(([what, content, code, message], i) => {
    it(`refuses ${what} with one clear error`, async () => {
      const e = await errorOf(file(`${names[i] ?? 'x'}.json`, content));
      expect(e.code).toBe(code);
      expect(e.message).toMatch(message);
      expect(e.message).not.toContain('\n');
    });
  });

  it('refuses a 10 MB file quickly, without reading it all', async () => {
    const p = file('ten.json', Buffer.alloc(10 * 1024 * 1024, 0x20));
    const start = performance.now();
    const e = await errorOf(p);
    expect(e.message).toMatch(/^ten\.json is too large \(10\.0 MiB\)/);
    // A guard against pathological (super-linear or hanging) parsing, not a speed goal: those live in `npm run bench`.
    expect(performance.now() - start).toBeLessThan(5000);
  });

  it('says when the file does not exist or is a folder', async () => {
    expect(await errorOf(join(dir, 'missing.json'))).toEqual({ code: 'NOT_FOUND', message: `topology file not found: ${join(dir, 'missing.json')}` });
    expect((await errorOf(dir)).code).toBe('INVALID_INPUT');
  });

  it('plans text from the editor and refuses bad text the same way', () => {
    expect(planFromText(good).ok).toBe(true);
    expect(() => planFromText('{', 'editor')).toThrow(/^editor is not valid JSON/);
  });
});
