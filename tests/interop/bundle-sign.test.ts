/**
 * `writeBundle` with `signWith` (what `certdesk bundle --sign-with` and the app's farm bundle form
 * call): Install-Certificate.ps1 in the bundle carries an Authenticode signature osslsigncode verifies
 * against the CA that issued the code-signing certificate; the manifest, the result and the read-back
 * hash the signed file; README.txt names the signer; the code-signing password appears nowhere; a PFX
 * that cannot sign changes nothing. Without signWith the script is as before. Skipped with a line
 * saying so where osslsigncode is not installed.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleResult } from '../../src-main/common/farms.js';
import { writeBundle } from '../../src-main/services/bundles.js';
import { type CodeSigningPfx, makeCodeSigningPfx, osslsigncodeSkipReason } from '../helpers/code-signing.js';
import { createFarmWorld, type FarmWorld, PASSWORD } from '../unit/services/farm-fixtures.js';
import { getFarm, getRequest } from '../unit/services/store-access.js';

const OSSLSIGNCODE_MISSING = osslsigncodeSkipReason();
const HAVE_OSSLSIGNCODE = OSSLSIGNCODE_MISSING === null;
const SKIP_REASON = `${OSSLSIGNCODE_MISSING ?? ''}: the bundle script signature cannot be checked by an independent tool here`;
if (!HAVE_OSSLSIGNCODE) console.log(`bundle-sign.test.ts: SKIPPED: ${SKIP_REASON}`);

const SIGN_PASSWORD = 'Code-Sign-Secret-77!';
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Every file under `dir`, read as text (latin1: any bytes), for "the password is nowhere" checks. */
async function allText(dir: string): Promise<string> {
  let out = '';
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out += (await readFile(join(e.parentPath, e.name))).toString('latin1');
  }
  return out;
}

describe.skipIf(!HAVE_OSSLSIGNCODE)('a farm bundle with a signed Install-Certificate.ps1', () => {
  let w: FarmWorld;
  let signing: CodeSigningPfx;
  let n = 0;
  let result: BundleResult;
  let unsigned: BundleResult;
  const target = (): string => {
    const d = join(w.dir, `usb-sign-${++n}`);
    mkdirSync(d);
    return d;
  };

  beforeAll(async () => {
    // The clock a minute ahead of the test CAs' issuing time, inside every certificate's validity.
    w = await createFarmWorld(new Date(Date.now() + 60_000));
    signing = makeCodeSigningPfx(w.internalCa, w.dir, 'sign', { password: SIGN_PASSWORD });
    result = await writeBundle(w.ctx, { id: w.record.id, farm: 'edge-rp', toDir: target(), password: PASSWORD, signWith: { pfx: signing.pfx, password: SIGN_PASSWORD } });
    unsigned = await writeBundle(w.ctx, { id: w.record.id, farm: 'edge-rp', toDir: target(), password: PASSWORD });
  });
  afterAll(() => w?.cleanup());

  it('signs the script: osslsigncode verifies it against the internal root that issued the signing certificate', () => {
    const script = join(result.dir, 'Install-Certificate.ps1');
    const r = spawnSync('osslsigncode', ['verify', '-in', script, '-CAfile', w.internalCa.root.certPath], { encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toContain('Signature verification: ok');
    expect(r.status).toBe(0);
  });

  it('signs the script an unsigned bundle carries (same text but for the PFX hashes) and adds nothing else', () => {
    const signed = readFileSync(join(result.dir, 'Install-Certificate.ps1'));
    const plain = readFileSync(join(unsigned.dir, 'Install-Certificate.ps1'));
    expect(plain.toString('utf8')).not.toContain('# SIG # Begin signature block');
    // osslsigncode's own remove-signature gives back the script before the block.
    const stripped = join(w.dir, 'stripped.ps1');
    const r = spawnSync('osslsigncode', ['remove-signature', '-in', join(result.dir, 'Install-Certificate.ps1'), '-out', stripped], { encoding: 'utf8' });
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    const body = readFileSync(stripped);
    expect(signed.subarray(0, body.length)).toEqual(body);
    expect(signed.subarray(body.length).toString('utf8')).toMatch(/^\r\n# SIG # Begin signature block\r\n(# [A-Za-z0-9+/=]{1,64}\r\n)+# SIG # End signature block\r\n$/);
    // Each PFX has a fresh salt, so its SHA-256 in the script differs between two bundles; nothing else does.
    const hashesOut = (b: Buffer): string => b.toString('utf8').replace(/[0-9a-f]{64}/gi, '<sha256>');
    expect(hashesOut(body)).toBe(hashesOut(plain));
    expect(readdirSync(result.dir).sort()).toEqual(readdirSync(unsigned.dir).sort());
  });

  it('hashes the signed file in the manifest and the result, as it is on the drive', () => {
    const onDisk = sha256(readFileSync(join(result.dir, 'Install-Certificate.ps1')));
    expect(result.files.find((f) => f.path === 'Install-Certificate.ps1')?.sha256).toBe(onDisk);
    const manifest = JSON.parse(readFileSync(join(result.dir, 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string }[] };
    expect(manifest.files.find((f) => f.path === 'Install-Certificate.ps1')?.sha256).toBe(onDisk);
    expect(result.verified).toBe(true);
  });

  it('reports the signer in the result and the history, never the password', async () => {
    const thumbprint = createHash('sha1').update(signing.leaf.der).digest('hex').toUpperCase();
    expect(result.scriptSignedBy?.subject).toBe('CN=Contoso Script Signing, O=Contoso');
    expect(result.scriptSignedBy?.thumbprint).toBe(thumbprint);
    expect(result.scriptSignedBy?.notAfter).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(unsigned.scriptSignedBy).toBeUndefined();
    const record = await getRequest(w.ctx, w.record.id);
    const entry = record.history.filter((h) => h.event === 'bundle-written').at(-2);
    expect(entry?.detail).toContain(`Install-Certificate.ps1 signed by CN=Contoso Script Signing, O=Contoso (thumbprint ${thumbprint})`);
    expect(JSON.stringify(result)).not.toContain(SIGN_PASSWORD);
    expect(await allText(w.ctx.storeDir)).not.toContain(SIGN_PASSWORD);
    expect(await allText(result.dir)).not.toContain(SIGN_PASSWORD);
    expect([...w.secrets.entries.values()].join('\n')).not.toContain(SIGN_PASSWORD);
  });

  it('tells the admin in README.txt who signed, how to trust the publisher, and when the signature stops validating', () => {
    const readme = readFileSync(join(result.dir, 'README.txt'), 'utf8');
    const thumbprint = createHash('sha1').update(signing.leaf.der).digest('hex').toUpperCase();
    expect(readme).toContain('Install-Certificate.ps1 is signed (Authenticode, SHA-256) by\r\n      CN=Contoso Script Signing, O=Contoso\r\n');
    expect(readme).toContain(`thumbprint  ${thumbprint}`);
    expect(readme).toContain('Install-Certificate.ps1  does steps 1, 2 and 4 below on one node (signed by CN=Contoso Script Signing, O=Contoso: see "Signature")');
    expect(readme).toContain('Trusted Publishers');
    expect(readme).toContain('The signature has no timestamp');
    expect(readme).toContain('no longer validates');
    expect(readme).not.toContain('certdesk bundle --sign-with');
    const plainReadme = readFileSync(join(unsigned.dir, 'README.txt'), 'utf8');
    expect(plainReadme).not.toContain('Signature\r\n---------');
    expect(plainReadme).toContain('certdesk bundle --sign-with');
  });

  it('refuses a PFX that cannot sign, or the wrong password, before anything is written or recorded', async () => {
    const server = makeCodeSigningPfx(w.internalCa, w.dir, 'server', { eku: ['serverAuth'], password: SIGN_PASSWORD });
    const before = JSON.stringify({ r: await getRequest(w.ctx, w.record.id), f: await getFarm(w.ctx, 'edge-rp'), keys: [...w.secrets.entries.keys()].sort() });
    const dir = target();
    await expect(writeBundle(w.ctx, { id: w.record.id, farm: 'edge-rp', toDir: dir, password: PASSWORD, signWith: { pfx: server.pfx, password: SIGN_PASSWORD } })).rejects.toThrow(
      /lacks the Code Signing extended key usage/,
    );
    await expect(writeBundle(w.ctx, { id: w.record.id, farm: 'edge-rp', toDir: dir, password: PASSWORD, signWith: { pfx: signing.pfx, password: 'Wrong-Password-1' } })).rejects.toThrow(
      'code-signing PFX: the PFX password is wrong',
    );
    expect(readdirSync(dir)).toEqual([]);
    expect(JSON.stringify({ r: await getRequest(w.ctx, w.record.id), f: await getFarm(w.ctx, 'edge-rp'), keys: [...w.secrets.entries.keys()].sort() })).toBe(before);
  });
});
