/**
 * Text that came from a file never reaches the admin's terminal or a file Certdesk writes raw:
 * control characters (ESC sequences that clear or recolour a terminal, BEL, NUL) and bidi overrides
 * (RLO makes `moc.osotnoc` read as `contoso.com`) are shown as `\x1b`, `\u202e`. The CSRs and CA
 * certificates are made by OpenSSL, the independent peer. The CLI runs in-process (runCli) with a
 * real keychain (with-keyring.sh) for `ca import`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeUntrusted } from '../../src-main/common/escape.js';
import { runCli } from '../../src-main/cli/main.js';
import { renderReadme } from '../../src-main/media/readme-text.js';

const ESC = '\x1b';
const RLO = '\u202e';
// Raw control or bidi characters a terminal would act on.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'certdesk-untrusted-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (s) => (stdout += typeof s === 'string' ? s : Buffer.from(s).toString('utf8')),
    stderr: (s) => (stderr += s),
    env: { ...process.env, CERTDESK_HOME: join(dir, 'store') },
    cwd: dir,
  });
  return { code, stdout, stderr };
}

describe('escapeUntrusted', () => {
  it('shows C0, DEL, C1, bidi controls and lone surrogates as escapes, and leaves text alone', () => {
    expect(escapeUntrusted(`a${ESC}[2Jb\x00c\x7f\x9bd${RLO}e\u2066f\ud800g`)).toBe('a\\x1b[2Jb\\x00c\\x7f\\x9bd\\u202ee\\u2066f\\ud800g');
    expect(escapeUntrusted('C:\\Certs\\webext.contoso.com — 測試 ✓ 😀')).toBe('C:\\Certs\\webext.contoso.com — 測試 ✓ 😀');
  });
});

describe('csr decode of a hostile CSR', () => {
  beforeAll(() => {
    const subj = `/CN=evil${ESC}[2Jx${RLO}moc/O=a\x07b`;
    const san = `subjectAltName=DNS:a${ESC}[31m.contoso.com,DNS:bad_name.contoso.com,DNS:webext.contoso.com,email:x${ESC}q@contoso.com`;
    openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'evil.csr', '-utf8', '-subj', subj, '-addext', san]);
  });

  it('prints subject, DNS and e-mail names escaped, never raw', async () => {
    const r = await cli(['csr', 'decode', 'evil.csr']);
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stdout).toContain('CN=evil\\x1b[2Jx\\u202emoc');
    expect(r.stdout).toContain('O=a\\x07b');
    expect(r.stdout).toContain('DNS Name=a\\x1b[31m.contoso.com');
    expect(r.stdout).toContain('RFC822 Name=x\\x1bq@contoso.com');
  });

  it('reports every invalid DNS name as a finding, and a valid one not', async () => {
    const r = await cli(['--json', 'csr', 'decode', 'evil.csr']);
    const findings = (JSON.parse(r.stdout) as { findings: { code: string; message: string }[] }).findings.filter((f) => f.code === 'CSR_INVALID_DNS_NAME');
    expect(findings).toHaveLength(2);
    expect(findings[0]?.message).toContain('a\\u001b[31m.contoso.com');
    expect(findings[1]?.message).toContain('bad_name.contoso.com');
    expect(r.code).toBe(0);
  });

  it('exits 1 for a CSR whose signature does not verify, and still prints the decode', async () => {
    const pem = readFileSync(join(dir, 'evil.csr'), 'utf8');
    const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
    der[der.length - 5] = (der[der.length - 5] as number) ^ 1;
    writeFileSync(join(dir, 'tampered.der'), der);
    const r = await cli(['csr', 'decode', 'tampered.der']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Signature does NOT match the public key');
    expect(r.stderr).toBe('error: the request has 1 error finding (CSR_SIGNATURE_INVALID)\n');
    const j = await cli(['--json', 'csr', 'decode', 'tampered.der']);
    expect(j.code).toBe(1);
    expect((JSON.parse(j.stdout) as { signature: { valid: boolean } }).signature.valid).toBe(false);
  });
});

describe('ca list of a CA whose name carries ESC, RLO and BEL', () => {
  it('prints the names escaped', async () => {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-utf8', '-subj', `/CN=Root${ESC}]0;pwned\x07${RLO}AC/O=Contoso`]);
    const imported = await cli(['ca', 'import', 'ca.pem']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).not.toMatch(RAW);
    const r = await cli(['ca', 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stdout).toContain('Root\\x1b]0\\;pwned\\x07\\u202eAC');
  });
});

describe('the bundle README.txt', () => {
  it('carries names escaped', () => {
    const ca = { fileName: 'internal-root-1.cer', subject: `CN=Root${ESC}[2J`, thumbprint: 'A'.repeat(40), notAfter: '2035-01-01T00:00:00.000Z', der: new Uint8Array([0x30, 0x00]) };
    const text = renderReadme({
      requestId: '20260315-3f2kx9ab',
      friendlyName: 'x',
      subject: 'webext.contoso.com',
      distinguishedName: `CN=webext.contoso.com, O=Evil${ESC}[31m${RLO}`,
      sans: ['webext.contoso.com'],
      issuer: `CN=Issuer${ESC}`,
      serialNumber: '0A',
      thumbprint: '0123456789ABCDEF0123456789ABCDEF01234567',
      certificateSha256: 'f'.repeat(64),
      notBefore: '2026-03-15T00:00:00.000Z',
      notAfter: '2026-09-30T00:00:00.000Z',
      farm: 'edge-rp',
      nodes: [{ host: 'rp1.contoso.local', windowsVersion: '2019', profile: 'modern', notes: `rack 3${ESC}[8m` }],
      pfx: [{ fileName: 'webext.contoso.com-modern.pfx', profile: 'modern', data: new Uint8Array(1) }],
      roots: [ca],
      intermediates: [],
      publicIntermediates: [],
      publicRoot: null,
      passwordExport: 1,
      createdAt: '2026-03-15T14:02:09.000Z',
    });
    expect(text).not.toMatch(RAW);
    expect(text).toContain('O=Evil\\x1b[31m\\u202e');
    expect(text).toContain('rack 3\\x1b[8m');
    expect(text).toContain('CN=Root\\x1b[2J');
  });
});
