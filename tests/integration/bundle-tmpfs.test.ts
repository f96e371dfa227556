/**
 * A real full drive: a 200 KiB tmpfs mounted for the test (we run as root in CI; where mount is not
 * permitted these cases are skipped with a message, and the injected ENOSPC cases of
 * tests/unit/services/bundles.test.ts still run). Real store, real keychain, real file system.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src-main/common/requests.js';
import { createKeytarSecretStore } from '../../src-main/keychain/keytar.js';
import { nodeBundleFs } from '../../src-main/media/bundle-fs.js';
import { writeBundle } from '../../src-main/services/bundles.js';
import type { ServiceContext } from '../../src-main/services/context.js';
import { type TestCa, createTestCa } from '../helpers/openssl-ca.js';
import { cliJson, importAnswer, newRequest, tempDir } from '../interop/pfx-helpers.js';
import { oneLineError, requireBuiltCli, runCli, text, treeListing } from './cli-requests-helpers.js';

let ca: TestCa;
let work: string;
let store: string;
let mnt: string;
let record: RequestRecord;
let mounted = false;

beforeAll(async () => {
  requireBuiltCli();
  ca = createTestCa('rsa');
  work = tempDir('certdesk-bundle-tmpfs-');
  store = join(work, 'store');
  mnt = join(work, 'tiny');
  mkdirSync(mnt);
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=200k', 'tmpfs', mnt], { encoding: 'utf8' });
  mounted = m.status === 0;
  if (!mounted) console.warn(`skipping the real full-drive cases: cannot mount a tmpfs here (${(m.stderr || m.error?.message || '').trim()})`);
  ({ record } = await newRequest(store, 'webext.contoso.com', ['meet.contoso.com']));
  const leaf = ca.sign(text(await runCli(store, ['request', 'csr', record.id])), { sans: ['webext.contoso.com', 'meet.contoso.com'] });
  writeFileSync(join(work, 'answer.pem'), ca.bundle(leaf));
  await importAnswer(store, [join(work, 'answer.pem')]);
  await cliJson(store, ['farm', 'add', 'edge-rp', '--node', 'rp1.contoso.local:2012R2', '--node', 'rp2.contoso.local:2022']);
});
afterAll(() => {
  if (mounted) execFileSync('umount', [mnt]);
  ca?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Fills the tmpfs until `free` bytes are left. */
function leaveFree(free: number): void {
  for (const f of readdirSync(mnt)) rmSync(join(mnt, f), { recursive: true, force: true });
  const s = statfsSync(mnt);
  const avail = s.bavail * s.bsize;
  writeFileSync(join(mnt, 'filler.bin'), Buffer.alloc(Math.max(0, avail - free)));
}

describe('a bundle onto a drive that is full', () => {
  it('is refused before writing when the free space is clearly too small: one line, nothing left, nothing recorded', async (t) => {
    if (!mounted) t.skip();
    leaveFree(8 * 1024);
    const before = await treeListing(store);
    const r = await runCli(store, ['bundle', record.id, '--farm', 'edge-rp', '--to', mnt, '--generate-password']);
    expect(r.code).toBe(1);
    expect(oneLineError(r)).toMatch(/^error: the drive is full: .*tiny has 8 KB free, the bundle needs about \d+ KB$/);
    expect(readdirSync(mnt)).toEqual(['filler.bin']);
    expect(await treeListing(store)).toEqual(before);
  });

  it('runs out of space mid-way (ENOSPC from the real file system): removes the partial bundle and records nothing', async (t) => {
    if (!mounted) t.skip();
    // Room for a few files but not all; the space check is skipped (as on a drive that does not
    // report free space) so the writes really hit ENOSPC.
    leaveFree(12 * 1024);
    const ctx: ServiceContext = { storeDir: store, secrets: createKeytarSecretStore({ timeoutMs: 10_000 }) };
    const before = await treeListing(store);
    const err = await writeBundle(ctx, { id: record.id, farm: 'edge-rp', toDir: mnt, generatePassword: true }, { ...nodeBundleFs, freeBytes: () => Promise.resolve(null) }).then(
      () => null,
      (e: unknown) => e as Error & { code: string },
    );
    expect(err?.code).toBe('IO_ERROR');
    expect(err?.message).toMatch(/^the drive is full: .*tiny has no room for the bundle \(about \d+ KB needed\) while writing \S+$/);
    expect(readdirSync(mnt)).toEqual(['filler.bin']);
    expect(await treeListing(store)).toEqual(before);
    // Nothing was recorded as exported, so no keychain entry is reachable for a new export number either.
    const pw = await runCli(store, ['password', record.id]);
    expect(pw.code).toBe(1);
  });

  it('succeeds on the same drive once there is room', async (t) => {
    if (!mounted) t.skip();
    leaveFree(150 * 1024);
    const r = await cliJson<{ verified: boolean; dir: string }>(store, ['bundle', record.id, '--farm', 'edge-rp', '--to', mnt, '--generate-password']);
    expect(r.verified).toBe(true);
    expect(readdirSync(mnt).sort()).toEqual(['filler.bin', r.dir.slice(mnt.length + 1)].sort());
  });
});
