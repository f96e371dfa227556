/**
 * `certdesk bundle --sign-with FILE.pfx [--sign-password-file F]` through the BUILT CLI with a real
 * keychain (scripts/with-keyring.sh): the bundle's Install-Certificate.ps1 verifies in osslsigncode,
 * the text and --json output name the signer, and every unusable code-signing PFX is refused in one
 * `error:` line with nothing written and the store unchanged; the code-signing password never shows.
 * Skipped with a line saying so where osslsigncode is missing or older than 2.8.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleResult } from '../../src-main/common/farms.js';
import type { RequestRecord } from '../../src-main/common/requests.js';
import { type CodeSigningPfx, makeCodeSigningPfx, osslsigncodeSkipReason } from '../helpers/code-signing.js';
import { type TestCa, createTestCa } from '../helpers/openssl-ca.js';
import { cliJson, importAnswer, newRequest, tempDir } from '../interop/pfx-helpers.js';
import { oneLineError, requireBuiltCli, runCli, text, treeListing } from './cli-requests-helpers.js';

const OSSLSIGNCODE_MISSING = osslsigncodeSkipReason();
const HAVE_OSSLSIGNCODE = OSSLSIGNCODE_MISSING === null;
const SKIP_REASON = `${OSSLSIGNCODE_MISSING ?? ''}: the signed script cannot be checked by an independent tool here`;
if (!HAVE_OSSLSIGNCODE) console.log(`bundle-sign-cli.test.ts: SKIPPED: ${SKIP_REASON}`);

const SIGN_PASSWORD = 'Sign-Bundle-Scripts-42!';

describe.skipIf(!HAVE_OSSLSIGNCODE)('certdesk bundle --sign-with', () => {
  let ca: TestCa;
  let work: string;
  let store: string;
  let usb: string;
  let record: RequestRecord;
  let signing: CodeSigningPfx;

  beforeAll(async () => {
    requireBuiltCli();
    ca = createTestCa('rsa', 'Sign CLI');
    work = tempDir('certdesk-bundle-sign-cli-');
    store = join(work, 'store');
    usb = join(work, 'usb');
    mkdirSync(usb);
    ({ record } = await newRequest(store, 'webext.contoso.com', []));
    const csr = text(await runCli(store, ['request', 'csr', record.id]));
    writeFileSync(join(work, 'answer.pem'), ca.bundle(ca.sign(csr, { sans: ['webext.contoso.com'] }), { includeRoot: true }));
    await importAnswer(store, [join(work, 'answer.pem')]);
    writeFileSync(join(work, 'internal.pem'), ca.root.pem);
    await cliJson(store, ['farm', 'add', 'edge', '--node', 'rp1.contoso.local:2019', '--trust', 'internal.pem'], work);
    writeFileSync(join(work, 'bundle.pw'), 'Bundle-Password-2024!\n');
    signing = makeCodeSigningPfx(ca, work, 'sign', { password: SIGN_PASSWORD });
  });
  afterAll(() => {
    ca?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const base = (): string[] => ['bundle', record.id, '--farm', 'edge', '--to', 'usb', '--password-file', 'bundle.pw'];

  it('refuses unusable code-signing PFX files and flags in one line, writing nothing and leaving the store unchanged', async () => {
    const server = makeCodeSigningPfx(ca, work, 'server', { eku: ['serverAuth'], password: SIGN_PASSWORD });
    const expired = makeCodeSigningPfx(ca, work, 'expired', { startDate: new Date('2020-01-01'), endDate: new Date('2021-01-01'), password: SIGN_PASSWORD });
    const ec = makeCodeSigningPfx(ca, work, 'ec', { key: 'ec', password: SIGN_PASSWORD });
    writeFileSync(join(work, 'wrong.pw'), 'Not-The-Password-9\n');
    const cases: [string[], 1 | 2, RegExp][] = [
      [['--sign-with', signing.pfxPath, '--sign-password-file', 'wrong.pw'], 1, /^error: code-signing PFX: the PFX password is wrong$/],
      [['--sign-with', server.pfxPath, '--sign-password-file', server.passwordFile], 1, /^error: the code-signing certificate CN=Contoso Script Signing, O=Contoso \([0-9A-F]{40}\) is not for code signing: it lacks the Code Signing extended key usage \(1\.3\.6\.1\.5\.5\.7\.3\.3\)$/],
      [['--sign-with', expired.pfxPath, '--sign-password-file', expired.passwordFile], 1, /expired on 2021-01-01T00:00:00\.000Z$/],
      [['--sign-with', ec.pfxPath, '--sign-password-file', ec.passwordFile], 1, /has an EC key, not RSA: Certdesk signs scripts with RSA keys only$/],
      [['--sign-with', 'answer.pem', '--sign-password-file', signing.passwordFile], 1, /^error: code-signing PFX: the file is not a PFX/],
      [['--sign-with', 'missing.pfx', '--sign-password-file', signing.passwordFile], 1, /^error: cannot read the code-signing PFX .*missing\.pfx: no such file$/],
      // No terminal here (stdin is not a TTY): the password is never taken from a pipe or argv.
      [['--sign-with', signing.pfxPath], 1, /^error: no terminal to ask for the code-signing PFX password: give --sign-password-file F$/],
      [['--sign-password-file', signing.passwordFile], 2, /^usage error: --sign-password-file is the password of the --sign-with PFX/],
    ];
    for (const [extra, code, message] of cases) {
      const before = await treeListing(store);
      const r = await runCli(store, [...base(), ...extra], {}, work);
      expect(r.code, `${extra.join(' ')}: ${r.stderr}`).toBe(code);
      expect(r.stdout.length).toBe(0);
      expect(oneLineError(r)).toMatch(message);
      expect(r.stderr).not.toContain(SIGN_PASSWORD);
      expect(await treeListing(store)).toEqual(before);
      expect(readdirSync(usb)).toEqual([]);
    }
  });

  it('signs Install-Certificate.ps1: osslsigncode verifies it, --json and the text output name the signer', async () => {
    const result = await cliJson<BundleResult>(store, [...base(), '--sign-with', signing.pfxPath, '--sign-password-file', signing.passwordFile], work);
    expect(result.scriptSignedBy?.subject).toBe('CN=Contoso Script Signing, O=Contoso');
    expect(result.scriptSignedBy?.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(JSON.stringify(result)).not.toContain(SIGN_PASSWORD);
    const v = spawnSync('osslsigncode', ['verify', '-in', join(result.dir, 'Install-Certificate.ps1'), '-CAfile', ca.root.certPath], { encoding: 'utf8' });
    expect(`${v.stdout}${v.stderr}`).toContain('Signature verification: ok');
    expect(v.status).toBe(0);

    rmSync(join(usb, readdirSync(usb)[0] as string), { recursive: true });
    const r = await runCli(store, [...base(), '--sign-with', signing.pfxPath, '--sign-password-file', signing.passwordFile], {}, work);
    expect(r.code, r.stderr).toBe(0);
    expect(text(r)).toMatch(/^ {2}script: {5}signed by CN=Contoso Script Signing, O=Contoso \(thumbprint [0-9A-F]{40}, valid until \d{4}-\d\d-\d\dT[\d:.]+Z\)$/m);
    expect(`${text(r)}${r.stderr}`).not.toContain(SIGN_PASSWORD);
    const audit = await runCli(store, ['audit', 'show', '--json']);
    expect(text(audit)).toContain('Install-Certificate.ps1 signed by CN=Contoso Script Signing, O=Contoso');
    expect(text(audit)).not.toContain(SIGN_PASSWORD);
  });
});
