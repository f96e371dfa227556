/**
 * Files and devices the admin names, with the BUILT CLI (found by a hostile test run as root): every
 * input is a regular file read up to its limit (a FIFO never hangs a command, /dev/zero is never read),
 * every output target that is not a regular file is refused with or without --force, and names that
 * are not UTF-8 are opened as bytes and printed escaped. Needs the real keychain (with-keyring.sh).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src-main/common/requests.js';
import { type TestCa, createTestCa } from '../helpers/openssl-ca.js';
import { importAnswer, newRequest, tempDir } from '../interop/pfx-helpers.js';
import { type CliRun, oneLineError, REPO, requireBuiltCli, treeListing } from './cli-requests-helpers.js';

let ca: TestCa;
let work: string;
let store: string;
let record: RequestRecord;
let csrPem: string;

beforeAll(async () => {
  requireBuiltCli();
  ca = createTestCa('rsa');
  work = tempDir('certdesk-special-files-');
  store = join(work, 'store');
  ({ record, csr: csrPem } = await newRequest(store, 'webext.contoso.com', ['meet.contoso.com']));
  writeFileSync(join(work, 'answer.pem'), ca.bundle(ca.sign(csrPem, { sans: ['webext.contoso.com', 'meet.contoso.com'] }), { includeRoot: true }));
  await importAnswer(store, [join(work, 'answer.pem')]);
  writeFileSync(join(work, 'pw.txt'), 'Correct-Horse-Battery-9\n');
  spawnSync('mkfifo', [join(work, 'fifo')]);
  writeFileSync(join(work, 'big.bin'), Buffer.alloc(1024 * 1024 + 1, 0x41));
});
afterAll(() => {
  ca?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs the built CLI; a hang guard (not a speed goal) kills a command that waits on a FIFO. */
function cli(args: string[]): CliRun {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'certdesk.js'), '--store', store, ...args], { cwd: work, timeout: 20_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

/** Must fail with exit 1, one `error:` line, nothing on stdout, the store unchanged. */
async function refused(args: string[]): Promise<string> {
  const before = await treeListing(store);
  const r = cli(args);
  expect(r.signal, 'the command hung and was killed').toBeNull();
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout.length).toBe(0);
  const line = oneLineError(r);
  expect(await treeListing(store)).toEqual(before);
  return line;
}

describe('inputs: only regular files, read up to their limit', () => {
  const readers: [string, (f: string) => string[]][] = [
    ['csr decode', (f) => ['csr', 'decode', f]],
    ['plan', (f) => ['plan', f]],
    ['ca import', (f) => ['ca', 'import', f]],
    ['import', (f) => ['import', f]],
    ['request new --plan', (f) => ['request', 'new', '--plan', f]],
    ['farm add --trust', (f) => ['farm', 'add', 'edge', '--node', 'edge1:2019', '--trust', f]],
    ['export --password-file', (f) => ['export', record.id, '--out', join(work, 'never.pfx'), '--password-file', f]],
  ];
  for (const [name, args] of readers) {
    it(`${name} refuses a FIFO at once instead of waiting for a writer`, async () => {
      expect(await refused(args('fifo'))).toBe(`error: ${join(work, 'fifo')} is not a regular file (it is a named pipe)`);
      expect(existsSync(join(work, 'never.pfx'))).toBe(false);
    });
  }
  it('never reads /dev/zero and refuses a file over 1 MiB', async () => {
    expect(await refused(['csr', 'decode', '/dev/zero'])).toBe('error: /dev/zero is not a regular file (it is a device)');
    expect(await refused(['export', record.id, '--out', join(work, 'never.pfx'), '--password-file', 'big.bin'])).toBe(`error: ${join(work, 'big.bin')} is larger than 1 MiB: not a password file`);
  });
});

/** Runs the CLI through bash so an argument can hold bytes that are not UTF-8 (`$'\xe9'`). */
function runWithBytes(argsShell: string): CliRun & { stdoutText: string } {
  const r = spawnSync('bash', ['-c', `exec "$0" "$1" --store "$2" ${argsShell}`, process.execPath, join(REPO, 'bin', 'certdesk.js'), store], { cwd: work });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr.toString('utf8'), stdoutText: r.stdout.toString('utf8') };
}

describe('file names that are not UTF-8', () => {
  it('reads them as bytes and prints them escaped', () => {
    const name = Buffer.concat([Buffer.from(join(work, 'caf')), Buffer.from([0xe9]), Buffer.from('.csr')]);
    writeFileSync(name, csrPem);
    const ok = runWithBytes(`csr decode $'caf\\xe9.csr'`);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdoutText).toContain('webext.contoso.com');
    const missing = runWithBytes(`csr decode $'gone\\xe9\\x1b[31m.csr'`);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`error: cannot read ${join(work, 'gone')}\\xe9\\x1b[31m.csr: no such file\n`);
  });
});

describe('outputs: never anything but a regular file, with or without --force', () => {
  it('request csr --out and export --out leave /dev/null a device, with and without --force', async () => {
    for (const args of [
      ['request', 'csr', record.id, '--out', '/dev/null'],
      ['request', 'csr', record.id, '--out', '/dev/null', '--force'],
      ['export', record.id, '--out', '/dev/null', '--password-file', 'pw.txt', '--force'],
    ]) {
      expect(await refused(args)).toBe('error: /dev/null is not a regular file (it is a device); it is never replaced, not even with --force');
    }
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('refuses a FIFO, a dangling and a live symlink even with --force, and leaves them as they were', async () => {
    const dir = join(work, 'targets');
    mkdirSync(dir);
    spawnSync('mkfifo', [join(dir, 'fifo')]);
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    writeFileSync(join(dir, 'real.txt'), 'keep me');
    symlinkSync(join(dir, 'real.txt'), join(dir, 'link'));
    expect(await refused(['request', 'csr', record.id, '--out', join(dir, 'fifo'), '--force'])).toMatch(/ is not a regular file \(it is a named pipe\)/);
    expect(await refused(['request', 'csr', record.id, '--out', join(dir, 'dangling'), '--force'])).toMatch(/ is not a regular file \(it is a symbolic link\)/);
    expect(await refused(['export', record.id, '--out', join(dir, 'link'), '--password-file', 'pw.txt', '--force'])).toMatch(/ is not a regular file \(it is a symbolic link\)/);
    expect(lstatSync(join(dir, 'fifo')).isFIFO()).toBe(true);
    expect(lstatSync(join(dir, 'dangling')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real.txt'), 'utf8')).toBe('keep me');
    expect(readdirSync(dir).sort()).toEqual(['dangling', 'fifo', 'link', 'real.txt']);
  });

  it('still replaces a regular file with --force and refuses it without', async () => {
    const target = join(work, 'replace.csr');
    writeFileSync(target, 'old');
    expect(await refused(['request', 'csr', record.id, '--out', target])).toMatch(/already exists; add --force/);
    const r = cli(['request', 'csr', record.id, '--out', target, '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe(csrPem);
  });
});
