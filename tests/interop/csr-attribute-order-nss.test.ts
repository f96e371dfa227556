/**
 * NSS's `certutil -C` copies extensions only from a CSR's FIRST attribute. Certdesk encodes the
 * attributes as a DER SET OF (sorted by encoding), so with more than a few SANs the extensionRequest
 * sorts after Microsoft's enrollment CSP attribute. `csr decode` says so (CSR_EXTENSIONS_NOT_FIRST);
 * this test checks the finding against a real NSS CA made here: where it is reported NSS drops the
 * SANs, where it is not NSS keeps them.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCsr } from '../../src-main/pki/csr-create.js';
import { parseCsr } from '../../src-main/pki/csr-decode.js';

let dir: string;
function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args[0]}: ${r.stderr}`);
  return r.stdout;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'certdesk-nss-'));
  writeFileSync(join(dir, 'noise'), Buffer.alloc(64, 7));
  run('certutil', ['-N', '-d', dir, '--empty-password']);
  run('certutil', ['-S', '-x', '-n', 'ca', '-s', 'CN=NSS Test CA', '-t', 'CT,,', '-k', 'rsa', '-g', '2048', '-d', dir, '-z', join(dir, 'noise'), '-m', '1', '-v', '24']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CSR attribute order and NSS certutil -C', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cases: [number, boolean][] = [
    [1, false],
    [4, true],
  ];
  for (const [count, reported] of cases) {
    it(`${count} SAN(s) with the Windows attributes: finding ${reported ? 'reported, and NSS drops the SANs' : 'absent, and NSS keeps the SANs'}`, () => {
      const sans = ['webext.contoso.com', ...Array.from({ length: count - 1 }, (_, i) => `name${i}.contoso.com`)];
      const { der } = createCsr({ subject: { commonName: 'webext.contoso.com' }, sans, windowsAttributes: true }, privateKey);
      const codes = parseCsr(der).findings.map((f) => f.code);
      expect(codes.includes('CSR_EXTENSIONS_NOT_FIRST')).toBe(reported);
      writeFileSync(join(dir, `req${count}.der`), der);
      run('certutil', ['-C', '-c', 'ca', '-i', join(dir, `req${count}.der`), '-o', join(dir, `cert${count}.der`), '-d', dir, '-m', String(100 + count), '-v', '12']);
      const san = spawnSync('openssl', ['x509', '-inform', 'der', '-in', join(dir, `cert${count}.der`), '-noout', '-ext', 'subjectAltName'], { encoding: 'utf8' }).stdout;
      expect(readFileSync(join(dir, `cert${count}.der`)).length).toBeGreaterThan(0);
      if (reported) expect(san).not.toContain('DNS:webext.contoso.com');
      else expect(san).toContain(sans.map((s) => `DNS:${s}`).join(', '));
    });
  }

  it('no finding without the Windows attributes (extensionRequest is the only attribute)', () => {
    const sans = Array.from({ length: 10 }, (_, i) => `name${i}.contoso.com`);
    const { der } = createCsr({ subject: { commonName: 'name0.contoso.com' }, sans, windowsAttributes: false }, privateKey);
    expect(parseCsr(der).findings.map((f) => f.code)).not.toContain('CSR_EXTENSIONS_NOT_FIRST');
  });
});
