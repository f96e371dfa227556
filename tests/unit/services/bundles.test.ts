import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleResult } from '../../../src-main/common/farms.js';
import { type BundleFs, nodeBundleFs } from '../../../src-main/media/bundle-fs.js';
import { writeBundle } from '../../../src-main/services/bundles.js';
import { addFarm } from '../../../src-main/services/farms.js';
import { createFarmWorld, type FarmWorld, PASSWORD } from './farm-fixtures.js';
import { auditEvents, getFarm, getRequest } from './store-access.js';

let w: FarmWorld;
let n = 0;
// The test CAs are made by openssl at the real time: the injected clock must lie inside their validity.
const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 86_400_000 + 9_000);
const FOLDER = `Certdesk-webext.contoso.com-${NOW.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-')}`;

beforeAll(async () => {
  w = await createFarmWorld(NOW);
});
afterAll(() => w?.cleanup());

/** A fresh, empty destination folder. */
function target(): string {
  const d = join(w.dir, `usb-${++n}`);
  mkdirSync(d);
  return d;
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** What a failed bundle must leave exactly as it was. */
async function snapshot(): Promise<string> {
  const r = await getRequest(w.ctx, w.record.id);
  const f = await getFarm(w.ctx, 'edge-rp');
  return JSON.stringify({ r, f, audit: await auditEvents(w.ctx), secrets: [...w.secrets.entries.keys()].sort() });
}

describe('a bundle written to a folder', () => {
  let result: BundleResult;
  let dir: string;
  let before: { exports: number; status: string };

  beforeAll(async () => {
    const rec = await getRequest(w.ctx, w.record.id);
    before = { exports: rec.exports?.length ?? 0, status: rec.status };
    dir = target();
    result = await writeBundle(w.ctx, { id: w.record.id, farm: 'edge-rp', toDir: dir, password: PASSWORD });
  });

  it('holds a PFX per profile the nodes need, the internal CA certificates, README, script and manifest', () => {
    expect(result.dir).toBe(join(dir, FOLDER));
    expect(result.profiles).toEqual(['legacy', 'modern']);
    expect(result.verified).toBe(true);
    expect(result.files.map((f) => [f.path, f.kind, f.profile ?? null])).toEqual([
      ['webext.contoso.com-legacy.pfx', 'pfx', 'legacy'],
      ['webext.contoso.com-modern.pfx', 'pfx', 'modern'],
      ['internal-root-1-Certdesk_Test_Contoso_Internal_Root_CA.cer', 'root-ca', null],
      ['internal-intermediate-1-Certdesk_Test_Contoso_Internal_Issuing_CA.cer', 'intermediate-ca', null],
      ['public-intermediate-1-Certdesk_Test_Public_Issuing_CA.cer', 'public-intermediate', null],
      ['README.txt', 'readme', null],
      ['Install-Certificate.ps1', 'script', null],
      ['manifest.json', 'manifest', null],
    ]);
    expect(readdirSync(result.dir).sort()).toEqual(result.files.map((f) => f.path).sort());
  });

  it('ships the PFX\'s CA certificate as a .cer file, byte for byte the one OpenSSL finds in the PFX', () => {
    const pw = join(w.dir, 'pw-ca.txt');
    writeFileSync(pw, PASSWORD);
    const cas = execFileSync('openssl', ['pkcs12', '-in', join(result.dir, 'webext.contoso.com-legacy.pfx'), '-passin', `file:${pw}`, '-cacerts', '-nokeys'], { encoding: 'utf8' });
    const der = execFileSync('openssl', ['x509', '-outform', 'DER'], { input: cas });
    expect(readFileSync(join(result.dir, 'public-intermediate-1-Certdesk_Test_Public_Issuing_CA.cer'))).toEqual(der);
    expect(der).toEqual(Buffer.from(w.publicCa.intermediate.der));
  });

  it('reports the SHA-256 of every file as it is on disk, and leaves no temporary folder behind', () => {
    for (const f of result.files) expect(sha256(readFileSync(join(result.dir, f.path))), f.path).toBe(f.sha256);
    expect(readdirSync(dir)).toEqual([FOLDER]);
  });

  it('has a manifest whose hashes match the files and which lists each node with its profile', () => {
    const m = JSON.parse(readFileSync(join(result.dir, 'manifest.json'), 'utf8')) as {
      requestId: string;
      subject: string;
      sans: string[];
      thumbprint: string;
      notAfter: string;
      files: { path: string; sha256: string; profile?: string }[];
      nodes: { host: string; profile: string }[];
    };
    expect(m).toMatchObject({ requestId: w.record.id, subject: 'webext.contoso.com', sans: ['webext.contoso.com', 'meet.contoso.com', 'dialin.contoso.com'], thumbprint: result.thumbprint });
    expect(m.notAfter).toBe(w.record.certificate?.notAfter);
    expect(m.files).toHaveLength(7);
    const cer = (m.files as { path: string; thumbprint?: string }[]).filter((f) => f.path.endsWith('.cer'));
    expect(cer.map((f) => f.thumbprint)).toEqual([w.internalCa.root, w.internalCa.intermediate, w.publicCa.intermediate].map((c) => createHash('sha1').update(c.der).digest('hex').toUpperCase()));
    for (const f of m.files) expect(sha256(readFileSync(join(result.dir, f.path))), f.path).toBe(f.sha256);
    expect(m.files.filter((f) => f.profile).map((f) => [f.path, f.profile])).toEqual([
      ['webext.contoso.com-legacy.pfx', 'legacy'],
      ['webext.contoso.com-modern.pfx', 'modern'],
    ]);
    expect(m.nodes.map((x) => [x.host, x.profile])).toEqual([
      ['rp1.contoso.local', 'legacy'],
      ['rp2.contoso.local', 'modern'],
    ]);
  });

  it('has PFX files OpenSSL opens with the password, in the right profile, with the key of the certificate', () => {
    const pw = join(w.dir, 'pw.txt');
    writeFileSync(pw, PASSWORD);
    for (const [file, mac] of [
      ['webext.contoso.com-legacy.pfx', 'MAC: sha1'],
      ['webext.contoso.com-modern.pfx', 'MAC: sha256'],
    ] as const) {
      const path = join(result.dir, file);
      const info = spawnSync('openssl', ['pkcs12', '-info', '-in', path, '-passin', `file:${pw}`, '-noenc'], { encoding: 'utf8' });
      expect(info.status, info.stderr).toBe(0);
      expect(info.stderr).toContain(mac);
      const keyPub = execFileSync('openssl', ['pkey', '-pubout'], { input: info.stdout, encoding: 'utf8' });
      const certPub = execFileSync('openssl', ['x509', '-pubkey', '-noout'], { input: info.stdout, encoding: 'utf8' });
      expect(keyPub).toBe(certPub);
    }
  });

  it('writes the internal root and intermediate as DER .cer files', () => {
    const root = join(result.dir, 'internal-root-1-Certdesk_Test_Contoso_Internal_Root_CA.cer');
    const intermediate = join(result.dir, 'internal-intermediate-1-Certdesk_Test_Contoso_Internal_Issuing_CA.cer');
    expect(readFileSync(root)).toEqual(Buffer.from(w.internalCa.root.der));
    expect(readFileSync(intermediate)).toEqual(Buffer.from(w.internalCa.intermediate.der));
    const subject = (path: string): string => execFileSync('openssl', ['x509', '-inform', 'DER', '-in', path, '-noout', '-subject'], { encoding: 'utf8' });
    expect(subject(root)).toContain('CN = Certdesk Test Contoso Internal Root CA');
    expect(subject(intermediate)).toContain('CN = Certdesk Test Contoso Internal Issuing CA');
  });

  it('never puts the password on the drive', () => {
    for (const f of result.files) {
      const bytes = readFileSync(join(result.dir, f.path));
      expect(bytes.includes(Buffer.from(PASSWORD, 'utf8')), f.path).toBe(false);
      expect(bytes.includes(Buffer.from(PASSWORD, 'utf16le')), f.path).toBe(false);
    }
    expect(readFileSync(join(result.dir, 'README.txt'), 'utf8')).toContain('THE PFX PASSWORD IS NOT ON THIS DRIVE');
  });

  it('records the export and its verification, keeps the password in the keychain and links the farm', async () => {
    const rec = await getRequest(w.ctx, w.record.id);
    expect(before.status).toBe('issued');
    expect(rec.status).toBe('exported');
    const added = (rec.exports ?? []).slice(before.exports);
    expect(added.map((e) => [e.n, e.profile, e.path, e.sha256])).toEqual([
      [result.passwordExport, 'legacy', join(result.dir, 'webext.contoso.com-legacy.pfx'), result.files[0]?.sha256],
      [result.passwordExport + 1, 'modern', join(result.dir, 'webext.contoso.com-modern.pfx'), result.files[1]?.sha256],
    ]);
    const event = rec.history[rec.history.length - 1];
    expect(event?.event).toBe('bundle-written');
    expect(event?.detail).toContain('every file read back and its SHA-256 matched');
    expect(await auditEvents(w.ctx)).toContain('bundle-written');
    expect([...w.secrets.entries.values()].filter((v) => v === PASSWORD)).toHaveLength(2);
    expect((await getFarm(w.ctx, 'edge-rp')).requestIds).toContain(w.record.id);
  });

  it('never overwrites an existing bundle folder', async () => {
    const marker = join(result.dir, 'README.txt');
    const old = readFileSync(marker);
    const was = await snapshot();
    await expect(writeBundle(w.ctx, { id: w.record.id, farm: 'edge-rp', toDir: dir, password: PASSWORD })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(readFileSync(marker)).toEqual(old);
    expect(await snapshot()).toBe(was);
  });
});

describe('bundle contents per farm', () => {
  it('gives a farm of only Server 2019+ nodes only the modern PFX, and adds the public root when asked', async () => {
    await addFarm(w.ctx, { name: 'new-rp', nodes: [{ host: 'rp9.contoso.local', windowsVersion: '2022' }] });
    const r = await writeBundle(w.ctx, { id: w.record.id, farm: 'new-rp', toDir: target(), generatePassword: true, includePublicRoot: true });
    expect(r.profiles).toEqual(['modern']);
    expect(r.passwordGenerated).toBe(true);
    expect(r.files.map((f) => f.kind)).toEqual(['pfx', 'public-intermediate', 'public-root', 'readme', 'script', 'manifest']);
    const root = r.files.find((f) => f.kind === 'public-root');
    expect(readFileSync(join(r.dir, root?.path ?? ''))).toEqual(Buffer.from(w.publicCa.root.der));
  });
});

describe('a bundle that cannot be written', () => {
  it('refuses a request without a certificate, an unknown farm and a weak password, changing nothing', async () => {
    const was = await snapshot();
    const to = target();
    await expect(writeBundle(w.ctx, { id: w.pending.id, farm: 'edge-rp', toDir: to, password: PASSWORD })).rejects.toMatchObject({ code: 'NOT_EXPORTABLE' });
    await expect(writeBundle(w.ctx, { id: w.record.id, farm: 'nope', toDir: to, password: PASSWORD })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(writeBundle(w.ctx, { id: w.record.id, farm: 'edge-rp', toDir: to, password: 'short' })).rejects.toMatchObject({ code: 'WEAK_PASSWORD' });
    await expect(writeBundle(w.ctx, { id: w.record.id, farm: 'edge-rp', toDir: join(to, 'missing'), password: PASSWORD })).rejects.toThrow(/does not exist/);
    expect(readdirSync(to)).toEqual([]);
    expect(await snapshot()).toBe(was);
  });

  /** The real file system, with one step made to fail the way a drive does. */
  function failing(step: 'write' | 'read' | 'rename-folder' | 'corrupt', code: string): BundleFs {
    let writes = 0;
    return {
      ...nodeBundleFs,
      async writeFileSynced(path, data) {
        if (step === 'write' && ++writes === 3) {
          // Half the file lands, then the drive is full: the partial file must not survive.
          await nodeBundleFs.writeFileSynced(path, data.subarray(0, data.length >> 1));
          throw Object.assign(new Error(`${code}: simulated`), { code });
        }
        return nodeBundleFs.writeFileSynced(path, data);
      },
      async readFile(path) {
        if (step === 'read') throw Object.assign(new Error(`${code}: simulated`), { code });
        const data = await nodeBundleFs.readFile(path);
        if (step === 'corrupt' && String(path).endsWith('.pfx')) data[data.length >> 1] = (data[data.length >> 1] ?? 0) ^ 0xff;
        return data;
      },
      async rename(from, to) {
        if (step === 'rename-folder' && String(to).endsWith(FOLDER)) throw Object.assign(new Error(`${code}: simulated`), { code });
        return nodeBundleFs.rename(from, to);
      },
      freeBytes: () => Promise.resolve(null),
    };
  }

  it.each([
    ['write', 'ENOSPC', /^the drive is full: .* while writing internal-root-1-/],
    ['write', 'EIO', /^the drive reported an I\/O error while writing internal-root-1-.*: it may have been removed or be failing$/],
    ['read', 'EIO', /^the drive reported an I\/O error while reading back webext.contoso.com-legacy.pfx: it may have been removed or be failing$/],
    ['rename-folder', 'ENOENT', /^the drive was removed or .* disappeared while moving the bundle folder into place$/],
    ['corrupt', '', /read back from the drive differs from what was written/],
  ] as const)('a %s failure (%s) removes the partial bundle, says so in one line and records nothing', async (step, code, message) => {
    const was = await snapshot();
    const to = target();
    const err = await writeBundle(w.ctx, { id: w.record.id, farm: 'edge-rp', toDir: to, password: PASSWORD }, failing(step, code)).then(
      () => null,
      (e: unknown) => e as Error & { code: string },
    );
    expect(err?.code).toBe('IO_ERROR');
    expect(err?.message).toMatch(message);
    expect(err?.message).not.toContain('\n');
    expect(err?.message).not.toContain(PASSWORD);
    expect(readdirSync(to)).toEqual([]);
    expect(await snapshot()).toBe(was);
  });
});

describe('writeBundle and the store folder', () => {
  it('refuses a destination inside the store folder itself, whichever shell calls it', async () => {
    const inside = join(w.ctx.storeDir, 'requests');
    const before = readdirSync(inside).sort();
    await expect(writeBundle(w.ctx, { id: w.record.id, farm: 'edge-rp', toDir: inside, password: PASSWORD })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/is inside the Certdesk store folder/) as unknown,
    });
    expect(readdirSync(inside).sort()).toEqual(before);
  });
});
