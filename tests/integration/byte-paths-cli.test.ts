/**
 * Output names that are not valid UTF-8 (Linux file names are bytes; old Samba shares and Latin-1
 * tools make them), with the BUILT CLI run through bash so an argument can carry such bytes (`$'\xff'`).
 * Each command must write exactly the bytes given (read back by name as bytes), print the name
 * escaped (`\xff`, never raw bytes, never U+FFFD), record it (display text + `pathBytes`), and the
 * file must be what it should be by an independent tool reading it through the same bash path
 * (openssl pkcs12/req, sha256sum -c). Needs the real keychain (scripts/with-keyring.sh).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportResult } from '../../src-main/common/exports.js';
import type { BundleResult } from '../../src-main/common/farms.js';
import type { ProxyConfigResult } from '../../src-main/common/proxy.js';
import type { RequestRecord } from '../../src-main/common/requests.js';
import { ageDecrypt } from '../helpers/age.js';
import { type TestCa, createTestCa } from '../helpers/openssl-ca.js';
import { cliJson, importAnswer, newRequest, tempDir } from '../interop/pfx-helpers.js';
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
  // The names of certificate 1 of examples/contoso.json, so proxy-config can write its key material too.
  const sans = ['meet.contoso.com', 'webdirext.contoso.com', 'dialin.contoso.com', 'lyncdiscover.contoso.com', 'officewebapps01.contoso.com'];
  const { record, csr } = await newRequest(store, 'webext.contoso.com', sans);
  id = record.id;
  writeFileSync(join(work, 'answer.pem'), ca.bundle(ca.sign(csr, { sans: ['webext.contoso.com', ...sans] }), { includeRoot: true }));
  await importAnswer(store, [join(work, 'answer.pem')]);
  await cliJson(store, ['farm', 'add', 'edge-rp', '--node', 'rp1.contoso.local:2008r2', '--node', 'rp2.contoso.local:2019']);
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

describe('topology import --out NAME that is not UTF-8', () => {
  it('writes the topology JSON under exactly that name, and --json adds outBytes', () => {
    const out = bytes(join(work, 't'), [0xff], '.json');
    const r = cli(['--json', 'topology', 'import', join(REPO, 'tests', 'fixtures', 'lync', 'contoso-get-cstopology.xml'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { out: string; outBytes?: string };
    expect(result.out).toBe(`${join(work, 't')}\\xff.json`);
    expect(Buffer.from(result.outBytes ?? '', 'base64').equals(out)).toBe(true);
    // An independent JSON reader opens it by that name.
    const check = sh(['python3', '-c', 'import json,sys; print(len(json.load(open(sys.argv[1].encode("utf-8","surrogateescape")))))', out]);
    expect(check.code, check.stderr).toBe(0);
  });
});

describe('bundle --to FOLDER that is not UTF-8', () => {
  it('puts the bundle folder into exactly that folder; sha256sum -c checks every file there by that path', () => {
    const usb = bytes(join(work, 'usb'), [0xff]);
    mkdirSync(usb);
    const r = cli(['--json', 'bundle', id, '--farm', 'edge-rp', '--to', usb, '--password-file', 'pw.txt']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as BundleResult;
    const [folder] = namesIn(usb);
    expect(namesIn(usb)).toHaveLength(1);
    const dir = Buffer.concat([usb, Buffer.from('/'), folder as Buffer]);
    expect(Buffer.from(result.dirBytes ?? '', 'base64').equals(dir)).toBe(true);
    expect(result.dir).toBe(`${join(work, 'usb')}\\xff/${(folder as Buffer).toString('utf8')}`);
    writeFileSync(join(work, 'SHA256SUMS'), result.files.map((f) => `${f.sha256}  ${f.path}\n`).join(''));
    const check = sh(['bash', '-c', 'cd "$1" && sha256sum -c "$2"', 'sums', dir, join(work, 'SHA256SUMS')]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout.trim().split('\n')).toHaveLength(result.files.length);
    // Every PFX export of the bundle is recorded with the bytes of its path.
    for (const e of record().exports?.filter((x) => x.n >= result.passwordExport) ?? []) {
      expect(Buffer.from(e.pathBytes ?? '', 'base64').subarray(0, dir.length).equals(dir)).toBe(true);
      expect(e.path.startsWith(`${join(work, 'usb')}\\xff/`)).toBe(true);
    }
    const text = cli(['bundle', id, '--farm', 'edge-rp', '--to', bytes(join(work, 'gone'), [0xff]), '--password-file', 'pw.txt']);
    expect(text.code).toBe(1);
    expect(text.stderr).toBe(`error: the folder ${join(work, 'gone')}\\xff does not exist (is the drive plugged in and mounted?)\n`);
    expectEscapedOnly(text);
  });
});

describe('backup --out and restore FILE that are not UTF-8', () => {
  it('writes the backup under exactly that name; age decrypts it by that name and restore reads it', () => {
    writeFileSync(join(work, 'pp.txt'), 'Byte-Path-Backup-Passphrase-2026\n');
    const out = bytes(join(work, 'b'), [0xff], '.age');
    const r = cli(['backup', '--out', out, '--passphrase-file', 'pp.txt']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`to ${join(work, 'b')}\\xff.age\n`);
    expectEscapedOnly(r);
    expect(namesIn(work).some((n) => n.equals(bytes('b', [0xff], '.age')))).toBe(true);
    // age opens the file by its bytes (and reads the passphrase from a pty).
    const dec = ageDecrypt(out, join(work, 'b.tar'), 'Byte-Path-Backup-Passphrase-2026');
    expect(dec.status, dec.output).toBe(0);
    expect(spawnSync('tar', ['-tf', join(work, 'b.tar')]).stdout.toString()).toContain(`store/requests/${id}/key.enc`);
    const again = cli(['--json', 'backup', '--out', out, '--passphrase-file', 'pp.txt']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`error: ${join(work, 'b')}\\xff.age already exists; choose a new file name for the backup\n`);
    const restored = sh([process.execPath, join(REPO, 'bin', 'certdesk.js'), 'restore', out, '--store', join(work, 'restored'), '--passphrase-file', 'pp.txt']);
    expect(restored.code, restored.stderr).toBe(0);
    expect(existsSync(join(work, 'restored', 'requests', id, 'key.enc'))).toBe(true);
  });

  it('--json adds outBytes beside out', () => {
    const out = bytes(join(work, 'j'), [0xfe], '.age');
    const r = cli(['--json', 'backup', '--out', out, '--passphrase-file', 'pp.txt']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { out: string; outBytes?: string };
    expect(report.out).toBe(`${join(work, 'j')}\\xfe.age`);
    expect(Buffer.from(report.outBytes ?? '', 'base64').equals(out)).toBe(true);
  });
});

describe('proxy-config --out FOLDER that is not UTF-8', () => {
  it('writes the configuration and key material into exactly that folder (created), and openssl reads them there', () => {
    const out = Buffer.concat([bytes(join(work, 'px'), [0xe9]), Buffer.from('/nginx')]);
    const r = cli(['--json', 'proxy-config', '--plan', join(REPO, 'examples', 'contoso.json'), '--kind', 'nginx', '--request', id, '--out', out, '--password-file', 'pw.txt']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as ProxyConfigResult;
    expect(result.dir).toBe(`${join(work, 'px')}\\xe9/nginx`);
    expect(Buffer.from(result.dirBytes ?? '', 'base64').equals(out)).toBe(true);
    expect(namesIn(out).map(String).sort()).toEqual(result.files.map((f) => f.name).sort());
    const cert = result.files.find((f) => f.role === 'certificate');
    const key = result.files.find((f) => f.role === 'key');
    const x509 = sh(['openssl', 'x509', '-in', Buffer.concat([out, Buffer.from(`/${cert?.name ?? ''}`)]), '-noout', '-subject']);
    expect(x509.code, x509.stderr).toBe(0);
    expect(x509.stdout).toContain('webext.contoso.com');
    const pkey = sh(['openssl', 'pkey', '-in', Buffer.concat([out, Buffer.from(`/${key?.name ?? ''}`)]), '-passin', `pass:${PASSWORD}`, '-noout']);
    expect(pkey.code, pkey.stderr).toBe(0);
    const e = record().exports?.find((x) => x.n === result.passwordExport);
    expect(Buffer.from(e?.pathBytes ?? '', 'base64').equals(Buffer.concat([out, Buffer.from(`/${key?.name ?? ''}`)]))).toBe(true);
    const text = cli(['proxy-config', '--plan', join(REPO, 'examples', 'contoso.json'), '--kind', 'nginx', '--out', out]);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(new RegExp(`^error: ${join(work, 'px')}\\\\xe9/nginx/\\S+ already exists; choose another folder`));
    expectEscapedOnly(text);
    // A dangling symbolic link where a file would go is something there: refused, never renamed over.
    const other = bytes(join(work, 'py'), [0xe9]);
    mkdirSync(other);
    symlinkSync(join(work, 'nowhere'), Buffer.concat([other, Buffer.from(`/${result.fileName}`)]));
    const link = cli(['proxy-config', '--plan', join(REPO, 'examples', 'contoso.json'), '--kind', 'nginx', '--out', other]);
    expect(link.code).toBe(1);
    expect(link.stderr).toContain(`${join(work, 'py')}\\xe9/${result.fileName} already exists`);
    expect(lstatSync(Buffer.concat([other, Buffer.from(`/${result.fileName}`)])).isSymbolicLink()).toBe(true);
  });
});

describe('request delete after exports to names that are not UTF-8', () => {
  it('request delete --remove-exports removes the file by its bytes (it still holds what was exported)', () => {
    const r = cli(['request', 'delete', id, '--remove-exports', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Removed the exported PFX file ${join(work, 'pfx', 'r')}\\xff\\xfe.pfx`);
    expectEscapedOnly(r);
    expect(existsSync(bytes(join(work, 'pfx', 'r'), [0xff, 0xfe], '.pfx'))).toBe(false);
    expect(existsSync(bytes(join(work, 'pfx', 'f'), [0xff]))).toBe(true);
  });
});
