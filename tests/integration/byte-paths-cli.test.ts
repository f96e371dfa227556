/**
 * Output names that are not valid UTF-8 (Linux file names are bytes; old Samba shares and Latin-1
 * tools make them), with the BUILT CLI run through bash so an argument can carry such bytes (`$'\xff'`).
 * Each command must write exactly the bytes given (read back by name as bytes), print the name
 * escaped (`\xff`, never raw bytes, never U+FFFD), record it (display text + `pathBytes`), and the
 * file must be what it should be by an independent tool reading it through the same bash path
 * (openssl pkcs12/req, sha256sum -c). Needs the real keychain (scripts/with-keyring.sh).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportResult } from '../../src-main/common/exports.js';
import type { RequestRecord } from '../../src-main/common/requests.js';
import { type TestCa, createTestCa } from '../helpers/openssl-ca.js';
import { importAnswer, newRequest, tempDir } from '../interop/pfx-helpers.js';
import { REPO, requireBuiltCli } from './cli-requests-helpers.js';

let ca: TestCa;
let work: string;
let store: string;
let id: string;
const PASSWORD = 'Byte-Path-Pfx-Password-2026!';

beforeAll(async () => {
  requireBuiltCli();
  ca = createTestCa('rsa', 'Bytes');
  work = tempDir('certdesk-byte-paths-');
  store = join(work, 'store');
  const { record, csr } = await newRequest(store, 'webext.contoso.com', ['meet.contoso.com']);
  id = record.id;
  writeFileSync(join(work, 'answer.pem'), ca.bundle(ca.sign(csr, { sans: ['webext.contoso.com', 'meet.contoso.com'] }), { includeRoot: true }));
  await importAnswer(store, [join(work, 'answer.pem')]);
  writeFileSync(join(work, 'pw.txt'), `${PASSWORD}\n`);
}, 120_000);
afterAll(() => {
  ca?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A path as bytes: `prefix` (UTF-8) followed by raw bytes and a UTF-8 tail, e.g. bytes('x/r', [0xff, 0xfe], '.pfx'). */
function bytes(prefix: string, raw: number[], tail = ''): Buffer {
  return Buffer.concat([Buffer.from(prefix), Buffer.from(raw), Buffer.from(tail)]);
}

/** A bash word for any bytes: $'\xNN...' (every byte escaped, so nothing is interpreted). */
function q(arg: string | Buffer): string {
  return `$'${[...Buffer.from(arg)].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')}'`;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr as bytes: checked to hold no byte of the raw name. */
  raw: Buffer;
}

/** Runs a command line through bash, each argument passed as exact bytes. */
function sh(args: (string | Buffer)[], cwd = work): Run {
  const r = spawnSync('bash', ['-c', args.map(q).join(' ')], { cwd, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8').split('\n').filter((l) => !l.startsWith('dbus-daemon')).join('\n'), raw: Buffer.concat([r.stdout, r.stderr]) };
}

/** `certdesk --store STORE ...args` through bash. */
function cli(args: (string | Buffer)[]): Run {
  return sh([process.execPath, join(REPO, 'bin', 'certdesk.js'), '--store', store, ...args]);
}

/** The names in `dir` exactly as bytes. */
function namesIn(dir: string | Buffer): Buffer[] {
  return readdirSync(dir, { encoding: 'buffer' });
}

function record(): RequestRecord {
  return JSON.parse(readFileSync(join(store, 'requests', id, 'request.json'), 'utf8')) as RequestRecord;
}

/** Output must never carry the raw bytes of a name (0xff/0xfe are never part of UTF-8) nor U+FFFD. */
function expectEscapedOnly(r: Run): void {
  expect(r.raw.includes(0xff)).toBe(false);
  expect(r.raw.includes(0xfe)).toBe(false);
  expect(r.stdout + r.stderr).not.toContain('\ufffd');
}

describe('export --out NAME that is not UTF-8', () => {
  const dir = (): string => join(work, 'pfx');
  const target = (): Buffer => bytes(join(dir(), 'r'), [0xff, 0xfe], '.pfx');

  it('writes exactly that name, prints it escaped, records its bytes, and openssl reads the PFX by that name', () => {
    mkdirSync(dir());
    const r = cli(['export', id, '--out', target(), '--password-file', 'pw.txt', '--profile', 'modern']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const shown = `${join(dir(), 'r')}\\xff\\xfe.pfx`;
    expect(r.stdout).toContain(`as PFX #1: ${shown}\n`);
    expectEscapedOnly(r);
    expect(namesIn(dir())).toEqual([bytes('r', [0xff, 0xfe], '.pfx')]);
    const info = sh(['openssl', 'pkcs12', '-in', target(), '-info', '-nokeys', '-passin', `pass:${PASSWORD}`]);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toContain('subject=CN = webext.contoso.com');
    const e = record().exports?.find((x) => x.n === 1);
    expect(e).toMatchObject({ path: shown, pathBytes: target().toString('base64') });
    expect(e?.sha256).toBe(spawnSync('sha256sum', [], { input: readFileSync(target()) }).stdout.toString().slice(0, 64));
  });

  it('--json adds pathBytes beside path; an existing name needs --force, which replaces exactly it', () => {
    const refused = cli(['export', id, '--out', target(), '--password-file', 'pw.txt']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`error: ${join(dir(), 'r')}\\xff\\xfe.pfx already exists; overwrite it explicitly (--force) or choose another name\n`);
    expectEscapedOnly(refused);
    const r = cli(['--json', 'export', id, '--out', target(), '--password-file', 'pw.txt', '--force']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as ExportResult;
    expect(result.path).toBe(`${join(dir(), 'r')}\\xff\\xfe.pfx`);
    expect(Buffer.from(result.pathBytes ?? '', 'base64').equals(target())).toBe(true);
    expect(namesIn(dir())).toEqual([bytes('r', [0xff, 0xfe], '.pfx')]);
    expect(spawnSync('sha256sum', [], { input: readFileSync(target()) }).stdout.toString().slice(0, 64)).toBe(result.sha256);
  });

  it('a name that is UTF-8 has no pathBytes (the record and --json stay as they were)', () => {
    const r = cli(['--json', 'export', id, '--out', join(dir(), 'café.pfx'), '--password-file', 'pw.txt']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as ExportResult;
    expect(result.path).toBe(join(dir(), 'café.pfx'));
    expect(result).not.toHaveProperty('pathBytes');
    expect(record().exports?.find((x) => x.n === result.exportNumber)).not.toHaveProperty('pathBytes');
  });

  it('refuses a FIFO under such a name, and a name whose folder links into the store', () => {
    const fifo = bytes(join(dir(), 'f'), [0xff]);
    expect(spawnSync('bash', ['-c', `mkfifo ${q(fifo)}`]).status).toBe(0);
    const r = cli(['export', id, '--out', fifo, '--password-file', 'pw.txt', '--force']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${join(dir(), 'f')}\\xff is not a regular file (it is a named pipe); it is never replaced, not even with --force\n`);
    // A folder named in bytes that is a symlink to the store: the store's own files are never a target.
    const link = bytes(join(work, 'l'), [0xe9]);
    symlinkSync(store, link);
    const inside = cli(['export', id, '--out', Buffer.concat([link, Buffer.from('/store.json')]), '--password-file', 'pw.txt', '--force']);
    expect(inside.code).toBe(1);
    expect(inside.stderr).toMatch(/^error: .*\/l\\xe9\/store\.json is inside the Certdesk store folder .*: write it somewhere else\n$/);
    expect(JSON.parse(readFileSync(join(store, 'store.json'), 'utf8'))).toHaveProperty('storeId');
  });

  it('request delete --remove-exports removes the file by its bytes (it still holds what was exported)', () => {
    // Last in this file's export story: the request goes. A second request carries on below.
    const r = cli(['request', 'delete', id, '--remove-exports', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Removed the exported PFX file ${join(dir(), 'r')}\\xff\\xfe.pfx`);
    expectEscapedOnly(r);
    expect(existsSync(target())).toBe(false);
    expect(existsSync(fifoPath())).toBe(true);
  });
  const fifoPath = (): Buffer => bytes(join(dir(), 'f'), [0xff]);
});

describe('request new --out and request csr --out NAME that is not UTF-8', () => {
  it('write the CSR under exactly that name; openssl req verifies it by that name', () => {
    const dir = join(work, 'csr');
    mkdirSync(dir);
    const first = bytes(join(dir, 'n'), [0xff], '.csr');
    const made = cli(['--json', 'request', 'new', '--subject', 'bytes.contoso.com', '--out', first]);
    expect(made.code, made.stderr).toBe(0);
    const madeId = (JSON.parse(made.stdout) as RequestRecord).id;
    const again = bytes(join(dir, 'c'), [0xfe], '.csr');
    const r = cli(['request', 'csr', madeId, '--out', again]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^CSR \\(Base64, \\d+ bytes\\) written to ${join(dir, 'c')}\\\\xfe\\.csr\\n$`));
    expectEscapedOnly(r);
    const json = cli(['--json', 'request', 'csr', madeId, '--out', bytes(join(dir, 'j'), [0xff], '.csr')]);
    expect(json.code, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout) as { out: string; outBytes?: string };
    expect(out.out).toBe(`${join(dir, 'j')}\\xff.csr`);
    expect(Buffer.from(out.outBytes ?? '', 'base64').equals(bytes(join(dir, 'j'), [0xff], '.csr'))).toBe(true);
    rmSync(bytes(join(dir, 'j'), [0xff], '.csr'));
    expect(namesIn(dir).map((b) => b.toString('hex')).sort()).toEqual([bytes('c', [0xfe], '.csr'), bytes('n', [0xff], '.csr')].map((b) => b.toString('hex')).sort());
    for (const f of [first, again]) {
      const v = sh(['openssl', 'req', '-in', f, '-noout', '-verify', '-subject']);
      expect(v.code, v.stderr).toBe(0);
      expect(v.stdout + v.stderr).toMatch(/subject=CN\s?=\s?bytes\.contoso\.com\n.*verify OK/);
    }
    const existing = cli(['request', 'csr', madeId, '--out', again]);
    expect(existing.code).toBe(1);
    expect(existing.stderr).toBe(`error: ${join(dir, 'c')}\\xfe.csr already exists; add --force to overwrite it\n`);
  });
});
