/**
 * kill -9 during `export` and `bundle` (and between a new request and its audit line), through the
 * BUILT CLI with a real keychain (scripts/with-keyring.sh). The crash seam (tests/helpers/crash-cli.cjs)
 * SIGKILLs at each step of an intent (store/intents.ts); a few runs are killed after a random delay
 * instead. Afterwards, once the next command has taken the store lock: no unrecorded PFX at the target
 * or anywhere on the "drive", no hidden temporary file or `.partial-*` folder, no keychain entry
 * without its export, every recorded export in place, one `note:` line per repair and the audit log
 * intact. The 100-run version is scripts/crash-torture.mjs.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src-main/common/requests.js';
import { keychainAccounts } from '../helpers/keychain-accounts.js';
import { type TestCa, createTestCa } from '../helpers/openssl-ca.js';
import { cliJson, importAnswer, newRequest, tempDir } from '../interop/pfx-helpers.js';
import { type CliRun, finished, REPO, requireBuiltCli, runCli, startCli, text } from './cli-requests-helpers.js';

let ca: TestCa;
let work: string;
let store: string;
let drive: string;
let storeId: string;
let id: string;
let passwordFile: string;

function runCrashingCli(step: string, args: string[]): Promise<CliRun> {
  return finished(spawn(process.execPath, [join(REPO, 'tests', 'helpers', 'crash-cli.cjs'), step, '--store', store, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] }));
}

beforeAll(async () => {
  requireBuiltCli();
  ca = createTestCa('rsa', 'Crash');
  work = tempDir('certdesk-intent-crash-');
  store = join(work, 'store');
  drive = join(work, 'drive');
  mkdirSync(drive);
  // The names of certificate 1 of examples/contoso.json, so proxy-config can write its key material too.
  const sans = ['meet.contoso.com', 'webdirext.contoso.com', 'dialin.contoso.com', 'lyncdiscover.contoso.com', 'officewebapps01.contoso.com'];
  const { record } = await newRequest(store, 'webext.contoso.com', sans);
  id = record.id;
  const leaf = ca.sign(text(await runCli(store, ['request', 'csr', id])), { sans: ['webext.contoso.com', ...sans] });
  writeFileSync(join(work, 'answer.pem'), ca.bundle(leaf, { includeRoot: true }));
  await importAnswer(store, [join(work, 'answer.pem')]);
  await cliJson(store, ['farm', 'add', 'edge-rp', '--node', 'rp1.contoso.local:2008r2', '--node', 'rp2.contoso.local:2019']);
  storeId = (JSON.parse(readFileSync(join(store, 'store.json'), 'utf8')) as { storeId: string }).storeId;
  passwordFile = join(work, 'pfx-password.txt');
  writeFileSync(passwordFile, 'Crash-Test-Pfx-Password-2026!\n');
}, 120_000);
afterAll(() => {
  ca?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

function currentRecord(): RequestRecord {
  return JSON.parse(readFileSync(join(store, 'requests', id, 'request.json'), 'utf8')) as RequestRecord;
}

/**
 * Every file and folder under `dir`, relative, recursively, as latin1 strings of the names' bytes
 * (one char per byte): a name that is not UTF-8 is walked and checked like any other.
 */
function walk(dir: string, rel = ''): string[] {
  return readdirSync(Buffer.from(dir, 'latin1'), { encoding: 'buffer' }).flatMap((b) => {
    const n = b.toString('latin1');
    const r = rel ? `${rel}/${n}` : n;
    return statSync(Buffer.from(join(dir, n), 'latin1')).isDirectory() ? [`${r}/`, ...walk(join(dir, n), r)] : [r];
  });
}

/** A recorded export's exact path as a latin1 byte-string (its bytes when the name is not UTF-8). */
function exportBytes(e: { path: string; pathBytes?: string }): string {
  return (e.pathBytes !== undefined ? Buffer.from(e.pathBytes, 'base64') : Buffer.from(e.path)).toString('latin1');
}

function sha256File(path: string | Buffer): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The keychain accounts of this store's PFX passwords, as the OS keychain lists them. */
function pfxAccounts(): Promise<string[]> {
  return keychainAccounts(`pfx-password:${storeId}:`);
}

/**
 * The crash invariant, checked after the next command has run: every PFX on the drive is a recorded
 * export with its recorded content, nothing hidden is left, every recorded export of this test's
 * drive is in place, the keychain holds exactly the recorded exports' passwords, no intent is open,
 * and the audit chain verifies with one export line per recorded write.
 */
async function expectConsistent(): Promise<void> {
  const record = currentRecord();
  const exports = record.exports ?? [];
  const byPath = new Map(exports.map((e) => [exportBytes(e), e]));
  const driveBytes = Buffer.from(drive).toString('latin1');
  const onDrive = walk(driveBytes);
  expect(onDrive.filter((p) => p.split('/').some((part) => part.startsWith('.')))).toEqual([]);
  for (const p of onDrive.filter((x) => x.endsWith('.pfx'))) {
    const e = byPath.get(join(driveBytes, p));
    expect(e, `unrecorded PFX ${p}`).toBeDefined();
    expect(sha256File(Buffer.from(join(driveBytes, p), 'latin1'))).toBe(e?.sha256);
  }
  for (const e of exports.filter((x) => x.path.startsWith(drive))) expect(existsSync(Buffer.from(exportBytes(e), 'latin1')), `recorded ${e.path}`).toBe(true);
  expect(await pfxAccounts()).toEqual(exports.map((e) => `pfx-password:${storeId}:${id}:${e.n}`).sort());
  expect(existsSync(join(store, '.intents'))).toBe(false);
  const verify = await runCli(store, ['audit', 'verify']);
  expect(verify.code, verify.stderr + text(verify)).toBe(0);
  const lines = readFileSync(join(store, 'audit.log'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { event: string; detail: string });
  for (const [event, history] of [['pfx-exported', 'pfx-exported'], ['bundle-written', 'bundle-written']] as const) {
    expect(lines.filter((l) => l.event === event).length, event).toBe(record.history.filter((h) => h.event === history).length);
  }
}

/** The next command that takes the store lock: an export the admin retries elsewhere. Returns its repair notes. */
async function nextCommand(): Promise<string[]> {
  const out = join(drive, `after-${Date.now()}.pfx`);
  const r = await runCli(store, ['export', id, '--out', out, '--password-file', passwordFile]);
  expect(r.code, r.stderr).toBe(0);
  return r.stderr.split('\n').filter((l) => l.startsWith('note: an interrupted'));
}

describe('kill -9 during export', () => {
  it.each([
    ['intent:begun', 'rolled back'],
    ['intent:secret-stored', 'rolled back'],
    ['intent:staged', 'rolled back'],
    ['intent:recorded', 'finished'],
    ['intent:placed', 'finished'],
  ] as const)('at %s: the next command says the export was %s, and nothing is left half-made', async (step, outcome) => {
    const out = join(drive, `${step.replace(':', '-')}.pfx`);
    const before = (currentRecord().exports ?? []).length;
    const r = await runCrashingCli(step, ['export', id, '--out', out, '--password-file', passwordFile]);
    expect(r.signal).toBe('SIGKILL');
    const notes = await nextCommand();
    expect(notes).toHaveLength(step === 'intent:begun' ? 0 : 1);
    if (notes.length > 0) expect(notes[0]).toMatch(new RegExp(`^note: an interrupted PFX export of request ${id} was ${outcome}`));
    expect(existsSync(out)).toBe(outcome === 'finished');
    // The retried export plus, when finished, the interrupted one.
    expect((currentRecord().exports ?? []).length).toBe(before + (outcome === 'finished' ? 2 : 1));
    await expectConsistent();
  });

  it('never touches a file that took the target name while the export was interrupted', async () => {
    // Outside the "drive" the other cases check: this export stays recorded with a file that is not its own.
    mkdirSync(join(work, 'elsewhere'), { recursive: true });
    const out = join(work, 'elsewhere', 'taken.pfx');
    const r = await runCrashingCli('intent:recorded', ['export', id, '--out', out, '--password-file', passwordFile]);
    expect(r.signal).toBe('SIGKILL');
    writeFileSync(out, 'not Certdesk');
    const notes = await nextCommand();
    expect(notes[0]).toMatch(/taken by another file, left untouched; the temporary copy was removed/);
    expect(readFileSync(out, 'utf8')).toBe('not Certdesk');
    // The export stays recorded (its password too): its file is not Certdesk's, which request delete reports.
    const e = (currentRecord().exports ?? []).find((x) => x.path === out);
    expect(e).toBeDefined();
    const record = currentRecord();
    expect(await pfxAccounts()).toEqual((record.exports ?? []).map((x) => `pfx-password:${storeId}:${id}:${x.n}`).sort());
  });
});

/** Runs the crash launcher through bash so an argument can carry bytes that are not UTF-8 (each byte as $'\xNN'). */
function runCrashingCliBytes(step: string, args: (string | Buffer)[]): Promise<CliRun> {
  const q = (a: string | Buffer): string => `$'${[...Buffer.from(a)].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')}'`;
  const line = [process.execPath, join(REPO, 'tests', 'helpers', 'crash-cli.cjs'), step, '--store', store, ...args].map(q).join(' ');
  return finished(spawn('bash', ['-c', `exec ${line}`], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] }));
}

describe('kill -9 during export to a name that is not UTF-8', () => {
  it.each([
    ['intent:staged', 'rolled back'],
    ['intent:recorded', 'finished'],
  ] as const)('at %s: the intent keeps the bytes, and the next command %s exactly that file', async (step, outcome) => {
    const folder = join(drive, `bytes-${step.replace(':', '-')}`);
    mkdirSync(folder);
    const name = Buffer.concat([Buffer.from('r'), Buffer.from([0xff, 0xfe]), Buffer.from('.pfx')]);
    const out = Buffer.concat([Buffer.from(`${folder}/`), name]);
    const r = await runCrashingCliBytes(step, ['export', id, '--out', out, '--password-file', passwordFile]);
    expect(r.signal, r.stderr).toBe('SIGKILL');
    // Killed: the open intent names the target and its hidden temporary by their exact bytes.
    const intents = readdirSync(join(store, '.intents'));
    expect(intents).toHaveLength(1);
    const intent = JSON.parse(readFileSync(join(store, '.intents', intents[0] as string), 'utf8')) as { targets: { path: string; pathBytes?: string; temp: string; tempBytes?: string }[] };
    const t = intent.targets[0];
    expect(t?.path).toBe(`${folder}/r\\xff\\xfe.pfx`);
    expect(Buffer.from(t?.pathBytes ?? '', 'base64').equals(out)).toBe(true);
    const temp = Buffer.from(t?.tempBytes ?? '', 'base64');
    expect(readdirSync(folder, { encoding: 'buffer' })).toEqual([temp.subarray(temp.lastIndexOf(0x2f) + 1)]);
    const notes = await nextCommand();
    expect(notes).toEqual([expect.stringMatching(new RegExp(`^note: an interrupted PFX export of request ${id} was ${outcome}`))]);
    expect(notes[0]).toContain(outcome === 'finished' ? `${folder}/r\\xff\\xfe.pfx put into place` : `the partial file ${folder}/.r\\xff\\xfe.pfx.`);
    expect(notes[0]).not.toContain('\ufffd');
    const left = readdirSync(folder, { encoding: 'buffer' });
    expect(left).toEqual(outcome === 'finished' ? [name] : []);
    if (outcome === 'finished') {
      const e = currentRecord().exports?.find((x) => x.pathBytes === out.toString('base64'));
      expect(createHash('sha256').update(readFileSync(out)).digest('hex')).toBe(e?.sha256);
    }
    await expectConsistent();
  });
});

describe('kill -9 during bundle --to a folder that is not UTF-8', () => {
  it.each([
    ['intent:staged', 'rolled back'],
    ['intent:recorded', 'finished'],
  ] as const)('at %s: the hidden partial folder under the byte name is %s by the next command', async (step, outcome) => {
    const usb = Buffer.concat([Buffer.from(join(drive, `usb-bytes-${step.replace(':', '-')}-`)), Buffer.from([0xff])]);
    mkdirSync(usb);
    const r = await runCrashingCliBytes(step, ['bundle', id, '--farm', 'edge-rp', '--to', usb, '--password-file', passwordFile]);
    expect(r.signal, r.stderr).toBe('SIGKILL');
    const hidden = readdirSync(usb, { encoding: 'buffer' });
    expect(hidden.map((n) => n.toString('latin1'))).toEqual([expect.stringMatching(/^\.Certdesk-.*\.partial-[0-9a-f]+$/)]);
    const notes = await nextCommand();
    expect(notes).toEqual([expect.stringMatching(new RegExp(`^note: an interrupted farm bundle of request ${id} was ${outcome}`))]);
    expect(notes[0]).toContain(`usb-bytes-${step.replace(':', '-')}-\\xff/`);
    const visible = readdirSync(usb, { encoding: 'buffer' });
    expect(visible.map((n) => n.toString('latin1'))).toEqual(outcome === 'finished' ? [expect.stringMatching(/^Certdesk-/)] : []);
    await expectConsistent();
  });
});

describe('kill -9 during bundle', () => {
  it.each([
    ['intent:staged', 'rolled back'],
    ['intent:recorded', 'finished'],
  ] as const)('at %s: the hidden partial folder is %s by the next command', async (step, outcome) => {
    const usb = join(drive, `usb-${step.replace(':', '-')}`);
    mkdirSync(usb);
    const r = await runCrashingCli(step, ['bundle', id, '--farm', 'edge-rp', '--to', usb, '--password-file', passwordFile]);
    expect(r.signal).toBe('SIGKILL');
    // Before the next command the drive holds a hidden folder with PFX files in it.
    const hidden = readdirSync(usb).filter((n) => n.includes('.partial-'));
    expect(hidden).toHaveLength(1);
    expect(readdirSync(join(usb, hidden[0] as string)).filter((n) => n.endsWith('.pfx'))).toHaveLength(2);
    const notes = await nextCommand();
    expect(notes).toEqual([expect.stringMatching(new RegExp(`^note: an interrupted farm bundle of request ${id} was ${outcome}`))]);
    const visible = readdirSync(usb);
    expect(visible).toHaveLength(outcome === 'finished' ? 1 : 0);
    await expectConsistent();
  });

  it('at random moments (real SIGKILL after a delay) leaves the whole bundle or none of it', async () => {
    for (const delay of [700, 1400, 2100]) {
      const usb = join(drive, `usb-timed-${delay}`);
      mkdirSync(usb);
      const child = startCli(store, ['bundle', id, '--farm', 'edge-rp', '--to', usb, '--password-file', passwordFile]);
      const done = finished(child);
      await new Promise((res) => setTimeout(res, delay));
      child.kill('SIGKILL');
      await done;
      await nextCommand();
      await expectConsistent();
      expect(readdirSync(usb).length).toBeLessThanOrEqual(1);
    }
  });
});

describe('kill -9 during proxy-config --out', () => {
  it('before the record: the files, the folder it created and the password go', async () => {
    const out = join(drive, 'proxy', 'haproxy');
    const args = ['proxy-config', '--plan', join(REPO, 'examples', 'contoso.json'), '--kind', 'haproxy', '--request', id, '--out', out, '--password-file', passwordFile];
    const r = await runCrashingCli('intent:staged', args);
    expect(r.signal, r.stderr).toBe('SIGKILL');
    expect(readdirSync(out).filter((n) => n.endsWith('.tmp')).length).toBeGreaterThan(1);
    const notes = await nextCommand();
    expect(notes).toEqual([expect.stringMatching(new RegExp(`^note: an interrupted proxy configuration of request ${id} was rolled back .*the folder .*proxy it had created`))]);
    expect(existsSync(join(drive, 'proxy'))).toBe(false);
    await expectConsistent();
  });
});

describe('kill -9 between a new request and its audit line', () => {
  it('the next command writes the lost key-generated line, so audit verify passes', async () => {
    const r = await runCrashingCli('create:committed', ['request', 'new', '--subject', 'crashed.contoso.com']);
    expect(r.signal).toBe('SIGKILL');
    const crashed = (await cliJson<RequestRecord[]>(store, ['request', 'list'])).find((x) => x.subject === 'crashed.contoso.com');
    expect(crashed).toBeDefined();
    const before = await runCli(store, ['audit', 'verify']);
    expect(before.code).toBe(1);
    const next = await runCli(store, ['request', 'new', '--subject', 'next.contoso.com']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain(`note: an interrupted new request of request ${crashed?.id} was finished: its audit line (key-generated) written`);
    const after = await runCli(store, ['audit', 'verify']);
    expect(after.code, after.stderr + text(after)).toBe(0);
    const lines = readFileSync(join(store, 'audit.log'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { event: string; requestId?: string });
    expect(lines.filter((l) => l.event === 'key-generated' && l.requestId === crashed?.id)).toHaveLength(1);
  });
});
