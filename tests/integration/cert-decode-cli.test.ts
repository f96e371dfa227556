/**
 * `certdesk cert decode FILE [--json]` (issue 13 item 12): certificates in PEM or DER, every
 * certificate of a PKCS#7 bundle, and the certificates of a PFX read without its password. Every file
 * is made by OpenSSL, and what Certdesk prints is compared with what openssl says about the same
 * certificates. The CLI runs in-process (runCli); it touches no store and no keychain.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/main.js';
import { type IssuedCert, type TestCa, createTestCa } from '../helpers/openssl-ca.js';

let dir: string;
let ca: TestCa;
let leaf: IssuedCert;

const openssl = (args: string[], input?: string): string => execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });

/** SHA-1 thumbprints of the certificates in a PEM text, as openssl computes them. */
function thumbprints(pem: string): string[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((one) => openssl(['x509', '-noout', '-fingerprint', '-sha1'], one).trim().split('=')[1]?.replace(/:/g, '') ?? '');
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (s) => (stdout += typeof s === 'string' ? s : Buffer.from(s).toString('utf8')),
    stderr: (s) => (stderr += s),
    env: { ...process.env, CERTDESK_HOME: join(dir, 'no-store') },
    cwd: dir,
  });
  return { code, stdout, stderr };
}

interface DecodeJson {
  container: string;
  integrityChecked: boolean;
  certificates: { subject: string; thumbprint: string; dnsNames: string[]; isCa: boolean | null }[];
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'certdesk-cert-decode-'));
  ca = createTestCa('rsa');
  const csr = openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-subj', '/O=Contoso/CN=webext.contoso.com']);
  leaf = ca.sign(csr, { sans: ['webext.contoso.com', 'meet.contoso.com'] });
  writeFileSync(join(dir, 'leaf.pem'), leaf.pem);
  writeFileSync(join(dir, 'leaf.cer'), leaf.der);
  writeFileSync(join(dir, 'chain.pem'), ca.bundle(leaf, { includeRoot: true }));
  writeFileSync(join(dir, 'chain.p7b'), ca.p7b(leaf, { format: 'der', includeRoot: true }));
  writeFileSync(join(dir, 'ca.pem'), ca.bundle(leaf, { includeRoot: true }).replace(leaf.pem, ''));
  const pfx = (out: string, ...extra: string[]) => openssl(['pkcs12', '-export', '-inkey', 'key.pem', '-in', 'leaf.pem', '-certfile', 'ca.pem', '-out', out, ...extra]);
  pfx('certs-plain.pfx', '-passout', 'pass:Secret-1', '-certpbe', 'NONE');
  pfx('certs-encrypted.pfx', '-passout', 'pass:Secret-1');
  pfx('no-password.pfx', '-passout', 'pass:');
});
afterAll(() => {
  ca?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('certdesk cert decode', () => {
  it('decodes one certificate in PEM and in DER the way openssl reads it', async () => {
    for (const f of ['leaf.pem', 'leaf.cer']) {
      const r = await cli(['cert', 'decode', f]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`${f}: 1 certificate`);
      expect(r.stdout).toContain('Subject: CN=webext.contoso.com, O=Contoso');
      expect(r.stdout).toContain('    DNS Name=meet.contoso.com');
      expect(r.stdout).toContain(`Cert Hash(sha1): ${thumbprints(leaf.pem)[0]?.toLowerCase()}`);
    }
  });

  it('lists every certificate of a PKCS#7 bundle and a PEM chain, in file order', async () => {
    const expected = thumbprints(ca.bundle(leaf, { includeRoot: true }));
    expect(expected).toHaveLength(3);
    for (const f of ['chain.p7b', 'chain.pem']) {
      const r = await cli(['cert', 'decode', f, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout) as DecodeJson;
      expect(j.container).toBe('certificates');
      expect(j.certificates.map((c) => c.thumbprint).sort()).toEqual([...expected].sort());
      expect(j.certificates.filter((c) => c.isCa === true)).toHaveLength(2);
    }
  });

  it('reads the certificates of a PFX without its password when they are not encrypted, saying the MAC is unchecked', async () => {
    const r = await cli(['cert', 'decode', 'certs-plain.pfx', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as DecodeJson;
    expect(j).toMatchObject({ container: 'pfx', integrityChecked: false });
    // openssl, given the password, lists the same certificates.
    const fromOpenssl = thumbprints(openssl(['pkcs12', '-in', 'certs-plain.pfx', '-nokeys', '-passin', 'pass:Secret-1']));
    expect(j.certificates.map((c) => c.thumbprint).sort()).toEqual(fromOpenssl.sort());
    // Certificates only: nothing of the key is read or printed.
    expect(r.stdout).not.toMatch(/PRIVATE|pkcs8|modulus/i);
    const text = await cli(['cert', 'decode', 'certs-plain.pfx']);
    expect(text.stdout).toContain('certs-plain.pfx: PFX, read without its password: its integrity (MAC) is not checked');
    expect(text.stdout.match(/^Serial Number:/gm)).toHaveLength(3);
  });

  it('opens a PFX made with the empty password, MAC checked', async () => {
    const r = await cli(['cert', 'decode', 'no-password.pfx', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ container: 'pfx', integrityChecked: true });
  });

  it('says in one line when a PFX needs its password for its certificates', async () => {
    const r = await cli(['cert', 'decode', 'certs-encrypted.pfx']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: \S*certs-encrypted\.pfx: the certificates in this PFX are encrypted with its password; export the certificate alone/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('escapes control characters from a hostile certificate and refuses what is no certificate with one line', async () => {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'evil-key.pem', '-days', '2', '-utf8', '-subj', '/O=Evil\x1b[2J\u202eCorp/CN=evil.example', '-out', 'evil.pem']);
    const r = await cli(['cert', 'decode', 'evil.pem']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('O=Evil\\x1b[2J\\u202eCorp');
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202e]/);
    const key = await cli(['cert', 'decode', 'key.pem']);
    expect(key.code).toBe(1);
    expect(key.stderr).toMatch(/^error: \S*key\.pem: it holds a private key, not a certificate\n$/);
    const missing = await cli(['cert', 'decode', 'missing.cer']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect((await cli(['cert', 'decode'])).code).toBe(2);
    // Decoding writes nothing: no store was created, no file added.
    expect(readdirSync(dir)).not.toContain('no-store');
  });
});
