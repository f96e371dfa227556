/**
 * Adopting PFX files made elsewhere (`certdesk pfx import`), through the built CLI with a real
 * keychain: OpenSSL 3 files of every kind an admin brings are adopted, then exported again in the
 * legacy profile and read by three independent PKCS#12 implementations (OpenSSL without -legacy,
 * GnuTLS certtool, NSS pk12util); the adopted key is the original key. Refusals leave the store as
 * it was. Keys and certificates are made by the test (nothing committed).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src-main/common/requests.js';
import { sha256Hex } from '../../src-main/pki/fingerprint.js';
import { requireBuiltCli, runCli, text, treeListing } from '../integration/cli-requests-helpers.js';
import { type IssuedCert, type TestCa, createTestCa } from '../helpers/openssl-ca.js';
import { cliJson, openssl, tempDir } from './pfx-helpers.js';

const PASSWORD = 'Adopt-Me-2024!';
const KINDS: [string, string, string[]][] = [
  ['legacy', PASSWORD, ['-legacy']],
  ['aes256', PASSWORD, []],
  ['aes128', PASSWORD, ['-keypbe', 'AES-128-CBC', '-certpbe', 'AES-128-CBC']],
  ['3des-sha1', PASSWORD, ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']],
  ['iter1', PASSWORD, ['-iter', '1']],
  ['empty-password', '', ['-legacy']],
];

let ca: TestCa;
let work: string;
let store: string;

interface Made {
  kind: string;
  pfx: string;
  passwordFile: string;
  keyPath: string;
  leaf: IssuedCert;
}
const made: Made[] = [];

function spkiSha256(keyPath: string): string {
  return sha256Hex(createPublicKey(readFileSync(keyPath)).export({ format: 'der', type: 'spki' }));
}

/** A key, a certificate from the test CA for `cn`, and a PFX of them made by `openssl pkcs12 -export`. */
function makePfx(kind: string, password: string, extra: string[]): Made {
  const keyPath = join(work, `${kind}.key`);
  const csr = execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-subj', `/CN=${kind}.contoso.com/O=Contoso`], { stdio: ['ignore', 'pipe', 'ignore'] });
  const leaf = ca.sign(csr.toString(), { sans: [`${kind}.contoso.com`, 'meet.contoso.com'] });
  const pfx = join(work, `${kind}.pfx`);
  const chain = join(work, 'chain.pem');
  writeFileSync(chain, ca.intermediate.pem + ca.root.pem);
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', keyPath, '-in', leaf.path, '-certfile', chain, '-name', `Proxy ${kind}`, '-out', pfx, '-passout', `pass:${password}`, ...extra]);
  const passwordFile = join(work, `${kind}.pw`);
  writeFileSync(passwordFile, password === '' ? '' : `${password}\n`);
  return { kind, pfx, passwordFile, keyPath, leaf };
}

beforeAll(() => {
  requireBuiltCli();
  ca = createTestCa('rsa');
  work = tempDir('certdesk-adopt-');
  store = join(work, 'store');
  for (const [kind, password, extra] of KINDS) made.push(makePfx(kind, password, extra));
});
afterAll(() => {
  ca?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('certdesk pfx import adopts OpenSSL-made PFX files of every kind', () => {
  it.each(KINDS.map((k) => k[0]))('%s: adopted as issued, same key, then exported (legacy) and read by openssl, certtool and pk12util', async (kind) => {
    const m = made.find((x) => x.kind === kind) as Made;
    const record = await cliJson<RequestRecord>(store, ['pfx', 'import', m.pfx, '--password-file', m.passwordFile]);
    expect(record.origin).toBe('adopted');
    expect(record.status).toBe('issued');
    expect(record.exportable).toBe(true);
    expect(record.friendlyName).toBe(`Proxy ${kind}`);
    expect(record.subject).toBe(`${kind}.contoso.com`);
    expect(record.subjectFields.organization).toBe('Contoso');
    expect(record.sans).toEqual([`${kind}.contoso.com`, 'meet.contoso.com']);
    expect(record.publicKeySha256).toBe(spkiSha256(m.keyPath));
    expect(record.csrSha256).toBeUndefined();
    // The PFX file is not kept anywhere in the store.
    const pfxHash = sha256Hex(readFileSync(m.pfx));
    expect((await treeListing(store)).some((l) => l.includes(pfxHash))).toBe(false);

    const out = join(work, `${kind}-re.pfx`);
    const pwFile = join(work, `${kind}-re.pw`);
    writeFileSync(pwFile, 'Re-Export-Legacy-2024!\n');
    await cliJson(store, ['export', record.id, '--out', out, '--profile', 'legacy', '--password-file', pwFile]);

    const info = openssl(['pkcs12', '-in', out, '-info', '-nokeys', '-passin', `file:${pwFile}`]);
    expect(info.status, info.out).toBe(0);
    expect(info.out).toContain('Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048');
    // The re-exported key is the original key.
    const keyOut = execFileSync('openssl', ['pkcs12', '-in', out, '-nocerts', '-nodes', '-passin', `file:${pwFile}`], { encoding: 'utf8' });
    const reKey = join(work, `${kind}-re.key`);
    writeFileSync(reKey, keyOut.slice(keyOut.indexOf('-----BEGIN PRIVATE KEY-----')));
    expect(spkiSha256(reKey)).toBe(spkiSha256(m.keyPath));

    const gnutls = spawnSync('certtool', ['--p12-info', '--inder', '--infile', out, '--password', 'Re-Export-Legacy-2024!'], { encoding: 'utf8' });
    expect(gnutls.status, gnutls.stderr).toBe(0);
    expect(gnutls.stdout).toContain(`Friendly name: Proxy ${kind}`);

    const db = tempDir('certdesk-adopt-nss-');
    try {
      execFileSync('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
      const r = spawnSync('pk12util', ['-i', out, '-d', `sql:${db}`, '-W', 'Re-Export-Legacy-2024!', '-K', ''], { encoding: 'utf8' });
      expect(`${r.stdout}${r.stderr}`).toContain('PKCS12 IMPORT SUCCESSFUL');
    } finally {
      rmSync(db, { recursive: true, force: true });
    }
  });

  it('completes the chain from the stored CA certificates and takes --friendly-name over the file', async () => {
    const m = makePfx('bare', PASSWORD, []);
    // A PFX with the leaf only: the intermediate (and root) come from the CA store.
    const bare = join(work, 'bare-leaf-only.pfx');
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', m.keyPath, '-in', m.leaf.path, '-out', bare, '-passout', `pass:${PASSWORD}`]);
    await cliJson(store, ['ca', 'import', ca.root.certPath, ca.intermediate.certPath]);
    const record = await cliJson<RequestRecord>(store, ['pfx', 'import', bare, '--password-file', m.passwordFile, '--friendly-name', 'Reverse Proxy 2025']);
    expect(record.friendlyName).toBe('Reverse Proxy 2025');
    const detail = text(await runCli(store, ['request', 'show', record.id]));
    expect(detail).toContain('adopted from a PFX');
    const chain = readFileSync(join(store, 'requests', record.id, 'chain.pem'), 'utf8');
    expect(chain.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  });
});

describe('certdesk pfx import refuses, changing nothing', () => {
  it('a wrong password, a file that is not a PFX, a PFX without a key, the same key twice; one error line each', async () => {
    const m = made[1] as Made;
    const wrong = join(work, 'wrong.pw');
    writeFileSync(wrong, 'Not-The-Password-1\n');
    const nokey = join(work, 'nokey.pfx');
    execFileSync('openssl', ['pkcs12', '-export', '-nokeys', '-in', m.leaf.path, '-out', nokey, '-passout', `pass:${PASSWORD}`]);
    const before = await treeListing(store);
    const cases: [string[], RegExp][] = [
      [['pfx', 'import', m.pfx, '--password-file', wrong], /^error: the PFX password is wrong\n$/],
      [['pfx', 'import', m.leaf.path, '--password-file', m.passwordFile], /^error: the file is not a PFX \(PKCS#12\)/],
      [['pfx', 'import', nokey, '--password-file', m.passwordFile], /^error: the PFX holds no private key/],
      [['pfx', 'import', m.pfx, '--password-file', m.passwordFile], /^error: .*its key is already in the store as request /],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(store, args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('error:'))).toHaveLength(1);
      expect(r.stderr.replace(/^dbus-daemon.*\n/gm, '')).toMatch(message);
    }
    expect(await treeListing(store)).toEqual(before);
    const usage = await runCli(store, ['pfx', 'import', m.pfx]);
    expect(usage.code).toBe(2);
    expect(existsSync(join(store, 'requests'))).toBe(true);
  });
});
