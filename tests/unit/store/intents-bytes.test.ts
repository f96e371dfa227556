/**
 * Intents (store/intents.ts) with targets whose names are not valid UTF-8, and intents in the format
 * written before byte paths existed: recovery acts on exactly the bytes recorded, never on a file
 * whose name only looks the same (its U+FFFD spelling, or its escaped display text), and an old
 * intent without the byte fields is finished or rolled back as before. The kill -9 versions through
 * the built CLI are in tests/integration/intent-crash.test.ts. Request records: exports[].pathBytes is
 * optional and validated.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import type { AuditEntry } from '../../../src-main/store/audit.js';
import { beginIntent, type IntentPort, recoverIntents } from '../../../src-main/store/intents.js';
import { validateRecord } from '../../../src-main/store/record-schema.js';
import { fakeCsrDer, sampleRecord, tempDir } from './fixtures.js';

let root: string;
let cleanup: () => Promise<void>;
let recorded: number[] | null;
let audit: AuditEntry[];
let notes: string[];
let port: IntentPort;

beforeEach(async () => {
  ({ dir: root, cleanup } = await tempDir('certdesk-intent-bytes-'));
  mkdirSync(join(root, 'store'));
  mkdirSync(join(root, 'out'));
  recorded = [];
  audit = [];
  notes = [];
  port = {
    dir: join(root, 'store'),
    secrets: createMemorySecretStore({ 'pfx-password:s:r:1': 'pw' }),
    now: () => new Date('2026-11-30T10:00:00Z'),
    recordedExports: () => Promise.resolve(recorded),
    auditLines: () => Promise.resolve(audit.map((e) => JSON.stringify(e))),
    appendAudit: (e) => {
      audit.push(e);
      return Promise.resolve();
    },
    note: (m) => notes.push(m),
  };
});
afterEach(async () => {
  await cleanup();
});

const sha = (data: string): string => createHash('sha256').update(data).digest('hex');
const AUDIT: AuditEntry = { event: 'pfx-exported', requestId: '20261130-abcdefgh', detail: 'PFX #1' };
/** `<root>/out/r\xff\xfe.pfx` as bytes. */
const target = (): Buffer => Buffer.concat([Buffer.from(join(root, 'out', 'r')), Buffer.from([0xff, 0xfe]), Buffer.from('.pfx')]);
const outNames = (): string[] => readdirSync(Buffer.from(join(root, 'out')), { encoding: 'buffer' }).map((b) => b.toString('hex')).sort();

describe('an intent whose target is not valid UTF-8', () => {
  it('is written with the display text plus the exact bytes of the target and its temporary', async () => {
    const intent = await beginIntent(port, { kind: 'pfx-export', requestId: AUDIT.requestId ?? '', exports: [1], accounts: [], targets: [{ path: target(), sha256: sha('pfx') }], audit: AUDIT });
    const [file] = readdirSync(join(root, 'store', '.intents'));
    const onDisk = JSON.parse(readFileSync(join(root, 'store', '.intents', file as string), 'utf8')) as { targets: Record<string, unknown>[] };
    expect(onDisk.targets[0]).toMatchObject({ path: `${join(root, 'out', 'r')}\\xff\\xfe.pfx`, pathBytes: target().toString('base64') });
    const temp = Buffer.from(onDisk.targets[0]?.tempBytes as string, 'base64');
    expect(temp.equals(intent.temp(0) as Buffer)).toBe(true);
    const prefix = Buffer.concat([Buffer.from(join(root, 'out', '.r')), Buffer.from([0xff, 0xfe]), Buffer.from('.pfx.')]);
    expect(temp.subarray(0, prefix.length).equals(prefix)).toBe(true);
    expect(onDisk.targets[0]?.temp).toMatch(/\/\.r\\xff\\xfe\.pfx\.[0-9a-f]{12}\.tmp$/);
  });

  it('rolled back: removes exactly its temporary; look-alike names (U+FFFD, escaped text) with the same content stay', async () => {
    const intent = await beginIntent(port, { kind: 'pfx-export', requestId: AUDIT.requestId ?? '', exports: [1], accounts: ['pfx-password:s:r:1'], targets: [{ path: target(), sha256: sha('pfx') }], audit: AUDIT });
    await intent.writeTemp(0, 'pfx', 0o600);
    // An unrecorded file at the target is removed only when it is provably this write's: these are not its name.
    writeFileSync(join(root, 'out', 'r\ufffd\ufffd.pfx'), 'pfx');
    writeFileSync(join(root, 'out', 'r\\xff\\xfe.pfx'), 'pfx');
    const before = outNames();
    expect(before).toHaveLength(3);
    recorded = [];
    await recoverIntents(port);
    expect(outNames()).toEqual([Buffer.from('r\ufffd\ufffd.pfx').toString('hex'), Buffer.from('r\\xff\\xfe.pfx').toString('hex')].sort());
    expect(notes).toEqual([expect.stringMatching(/was rolled back \(it was never recorded\): removed the partial file .*\/\.r\\xff\\xfe\.pfx\.[0-9a-f]{12}\.tmp, 1 keychain entry$/)]);
    expect(notes[0]).not.toContain('\ufffd');
    expect(existsSync(join(root, 'store', '.intents'))).toBe(false);
  });

  it('finished: puts the temporary into place under exactly the recorded bytes', async () => {
    const intent = await beginIntent(port, { kind: 'pfx-export', requestId: AUDIT.requestId ?? '', exports: [1], accounts: [], targets: [{ path: target(), sha256: sha('pfx') }], audit: AUDIT });
    await intent.writeTemp(0, 'pfx', 0o600);
    recorded = [1];
    await recoverIntents(port);
    expect(outNames()).toEqual([Buffer.concat([Buffer.from('r'), Buffer.from([0xff, 0xfe]), Buffer.from('.pfx')]).toString('hex')]);
    expect(readFileSync(target(), 'utf8')).toBe('pfx');
    expect(notes[0]).toContain(`${join(root, 'out', 'r')}\\xff\\xfe.pfx put into place`);
    expect(audit.map((e) => e.event)).toEqual(['pfx-exported', 'interrupted-write-finished']);
  });

  it('rolled back: removes a folder it created under a byte name, with the files in it', async () => {
    const dir = Buffer.concat([Buffer.from(join(root, 'out', 'd')), Buffer.from([0xe9])]);
    const file = Buffer.concat([dir, Buffer.from('/site.conf')]);
    const intent = await beginIntent(port, { kind: 'proxy-config', requestId: AUDIT.requestId ?? '', exports: [1], accounts: [], targets: [{ path: file, sha256: sha('conf') }], createdDirs: [dir], audit: AUDIT });
    mkdirSync(dir);
    await intent.writeTemp(0, 'conf', 0o600);
    const [name] = readdirSync(join(root, 'store', '.intents'));
    const onDisk = JSON.parse(readFileSync(join(root, 'store', '.intents', name as string), 'utf8')) as { createdDirs: string[]; createdDirsBytes: (string | null)[] };
    expect(onDisk.createdDirs).toEqual([`${join(root, 'out', 'd')}\\xe9`]);
    expect(onDisk.createdDirsBytes).toEqual([dir.toString('base64')]);
    recorded = [];
    await recoverIntents(port);
    expect(outNames()).toEqual([]);
    expect(notes[0]).toContain(`the folder ${join(root, 'out', 'd')}\\xe9 it had created`);
  });

  it('an intent whose byte field is damaged is left alone, with a note', async () => {
    await beginIntent(port, { kind: 'pfx-export', requestId: AUDIT.requestId ?? '', exports: [1], accounts: [], targets: [{ path: target(), sha256: sha('pfx') }], audit: AUDIT });
    const [name] = readdirSync(join(root, 'store', '.intents'));
    const path = join(root, 'store', '.intents', name as string);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/"pathBytes": "[^"]+"/, '"pathBytes": "not base64!"'));
    await recoverIntents(port);
    expect(notes).toEqual([expect.stringMatching(/^the unreadable record of an interrupted write .* was left in place; nothing was changed for it$/)]);
    expect(existsSync(path)).toBe(true);
  });
});

describe('an intent written before byte paths existed (no pathBytes, tempBytes, createdDirsBytes)', () => {
  /** Exactly the JSON the previous version wrote (`JSON.stringify(record, null, 2)` of the same fields). */
  function oldIntent(temp: string, created: string[] = []): void {
    mkdirSync(join(root, 'store', '.intents'));
    const record = {
      schemaVersion: 1,
      id: '20261130T100000-0123456789ab',
      kind: 'pfx-export',
      requestId: AUDIT.requestId,
      at: '2026-11-30T10:00:00.000Z',
      exports: [1],
      accounts: ['pfx-password:s:r:1'],
      targets: [{ path: join(root, 'out', 'old.pfx'), temp, folder: false, sha256: sha('pfx'), replaces: null }],
      createdDirs: created,
      audit: AUDIT,
    };
    writeFileSync(join(root, 'store', '.intents', `${record.id}.json`), `${JSON.stringify(record, null, 2)}\n`);
  }

  it('is finished when its export was recorded', async () => {
    const temp = join(root, 'out', '.old.pfx.0123456789ab.tmp');
    writeFileSync(temp, 'pfx');
    oldIntent(temp);
    recorded = [1];
    await recoverIntents(port);
    expect(readFileSync(join(root, 'out', 'old.pfx'), 'utf8')).toBe('pfx');
    expect(existsSync(temp)).toBe(false);
    expect(notes[0]).toMatch(/was finished: .*old\.pfx put into place/);
    expect(existsSync(join(root, 'store', '.intents'))).toBe(false);
  });

  it('is rolled back when it was not, removing its temporary, the folder it made and its keychain entry', async () => {
    mkdirSync(join(root, 'out', 'made'));
    const temp = join(root, 'out', 'made', '.old.pfx.0123456789ab.tmp');
    writeFileSync(temp, 'pfx');
    oldIntent(temp, [join(root, 'out', 'made')]);
    recorded = [];
    await recoverIntents(port);
    expect(existsSync(join(root, 'out', 'made'))).toBe(false);
    expect(await port.secrets.get('pfx-password:s:r:1')).toBeNull();
    expect(notes[0]).toMatch(/was rolled back \(it was never recorded\): removed the partial file .*, the folder .*made it had created, 1 keychain entry$/);
  });
});

describe('request records: exports[].pathBytes', () => {
  const entry = { n: 1, at: '2026-11-30T10:00:00.000Z', profile: 'legacy', iterations: 2048, includeRoot: false, path: '/mnt/r\\xff.pfx', sha256: 'b'.repeat(64), thumbprint: 'C'.repeat(40), passwordSource: 'generated' };
  const withExport = (e: Record<string, unknown>): unknown => ({ ...sampleRecord('20261130-abcdefgh', fakeCsrDer()), status: 'exported', exports: [e] });

  it('a record written before pathBytes existed still reads; one with it keeps it', () => {
    expect(validateRecord(withExport(entry))).toMatchObject({ ok: true });
    const r = validateRecord(withExport({ ...entry, pathBytes: Buffer.from('/mnt/r\xff.pfx', 'latin1').toString('base64') }));
    expect(r.ok && r.record.exports?.[0]?.pathBytes).toBe('L21udC9y/y5wZng=');
  });

  it('a pathBytes that is not base64 makes the record invalid, naming the field', () => {
    expect(validateRecord(withExport({ ...entry, pathBytes: '/mnt/r.pfx' }))).toMatchObject({ ok: false, reason: expect.stringMatching(/^exports\.0\.pathBytes is invalid/) as unknown });
  });
});
