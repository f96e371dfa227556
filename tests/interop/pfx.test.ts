/**
 * Interop: PFX files exported by `certdesk export`, in both profiles, checked by three independent
 * PKCS#12 implementations: OpenSSL 3 (`pkcs12 -info`, without -legacy), GnuTLS (`certtool
 * --p12-info`) and NSS (`pk12util -i` into a fresh database).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportResult } from '../../src-main/common/exports.js';
import { requireBuiltCli, runCli, text } from '../integration/cli-requests-helpers.js';
import { type IssuedCert, type TestCa, createTestCa } from '../helpers/openssl-ca.js';
import { exportPfxCli, importAnswer, newRequest, openssl, publicKeyOf, tempDir } from './pfx-helpers.js';

const FRIENDLY = 'Reverse Proxy Listener for Lync Server';
const SUPPLIED = 'Lync-Proxy-Farm-2024!';

interface Exported {
  profile: 'legacy' | 'modern';
  chain: 'rsa' | 'ecdsa';
  result: ExportResult;
  passwordFile: string;
  leaf: IssuedCert;
  ca: TestCa;
}

let rsa: TestCa;
let ecdsa: TestCa;
let work: string;
const exported: Exported[] = [];

beforeAll(async () => {
  requireBuiltCli();
  rsa = createTestCa('rsa');
  ecdsa = createTestCa('ecdsa');
  work = tempDir('certdesk-pfx-interop-');
  const store = join(work, 'store');
  writeFileSync(join(work, 'supplied.txt'), `${SUPPLIED}\n`);
  for (const [chain, ca] of [['rsa', rsa], ['ecdsa', ecdsa]] as const) {
    const { record, csr } = await newRequest(store, 'webext.contoso.com', ['meet.contoso.com'], FRIENDLY);
    const leaf = ca.sign(csr, { sans: ['webext.contoso.com', 'meet.contoso.com'] });
    const answer = join(work, `${chain}.pem`);
    writeFileSync(answer, ca.bundle(leaf));
    await importAnswer(store, [answer]);
    // legacy with a supplied password file; modern with a generated one read back through `certdesk password`.
    const legacy = await exportPfxCli(store, record.id, ['--out', join(work, `${chain}-legacy.pfx`), '--password-file', join(work, 'supplied.txt')]);
    exported.push({ profile: 'legacy', chain, result: legacy, passwordFile: join(work, 'supplied.txt'), leaf, ca });
    const modern = await exportPfxCli(store, record.id, ['--out', join(work, `${chain}-modern.pfx`), '--profile', 'modern', '--generate-password', '--include-root']);
    const pw = await runCli(store, ['password', record.id]);
    const pwFile = join(work, `${chain}-modern.pw`);
    writeFileSync(pwFile, text(pw));
    exported.push({ profile: 'modern', chain, result: modern, passwordFile: pwFile, leaf, ca });
  }
});
afterAll(() => {
  rsa?.cleanup();
  ecdsa?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

const cases = (): Exported[] => exported;
const label = (e: Exported): string => `${e.profile} profile, ${e.chain.toUpperCase()} chain`;

describe.each(['legacy', 'modern'] as const)('the %s profile', (profile) => {
  const mine = () => cases().filter((e) => e.profile === profile);

  it('openssl pkcs12 -info (no -legacy) shows the profile algorithms, MAC and iterations', () => {
    for (const e of mine()) {
      const { status, out } = openssl(['pkcs12', '-in', e.result.path, '-info', '-nokeys', '-passin', `file:${e.passwordFile}`]);
      expect(status, label(e)).toBe(0);
      if (profile === 'legacy') {
        expect(out).toContain('MAC: sha1, Iteration 2048');
        expect(out).toContain('Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048');
        expect(out).toContain('PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048');
      } else {
        expect(out).toContain('MAC: sha256, Iteration 10000');
        expect(out).toContain('Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256');
        expect(out).toContain('PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256');
      }
    }
  });

  it('carries friendlyName, localKeyID (SHA-1 of the leaf) and the Microsoft CSP name; the key matches the certificate', () => {
    for (const e of mine()) {
      const { status, out } = openssl(['pkcs12', '-in', e.result.path, '-nodes', '-passin', `file:${e.passwordFile}`]);
      expect(status, label(e)).toBe(0);
      const keyBlock = out.slice(0, out.indexOf('-----BEGIN PRIVATE KEY-----'));
      const localKeyId = createHash('sha1').update(e.leaf.der).digest('hex').toUpperCase().match(/../g)?.join(' ');
      expect(keyBlock).toContain(`localKeyID: ${localKeyId}`);
      expect(keyBlock).toContain(`friendlyName: ${FRIENDLY}`);
      expect(keyBlock).toContain('Microsoft CSP Name: Microsoft RSA SChannel Cryptographic Provider');
      const key = join(work, `${e.chain}-${profile}.key.pem`);
      const certs = join(work, `${e.chain}-${profile}.certs.pem`);
      writeFileSync(key, out.slice(out.indexOf('-----BEGIN PRIVATE KEY-----'), out.indexOf('-----END PRIVATE KEY-----') + 25));
      execFileSync('openssl', ['pkcs12', '-in', e.result.path, '-nokeys', '-clcerts', '-passin', `file:${e.passwordFile}`, '-out', certs]);
      expect(publicKeyOf('key', key)).toBe(publicKeyOf('cert', certs));
      expect(publicKeyOf('cert', certs)).toBe(publicKeyOf('cert', e.leaf.path));
      // leaf + intermediate, and the root only where it was asked for (the modern exports here).
      const all = execFileSync('openssl', ['pkcs12', '-in', e.result.path, '-nokeys', '-passin', `file:${e.passwordFile}`], { encoding: 'utf8' });
      const subjects = [...all.matchAll(/^subject=(.*)$/gm)].map((m) => m[1]);
      expect(subjects).toHaveLength(profile === 'modern' ? 3 : 2);
      expect(subjects[0]).toBe('CN = webext.contoso.com');
    }
  });

  it('refuses a wrong password (openssl: MAC verify failure)', () => {
    for (const e of mine()) {
      const { status, out } = openssl(['pkcs12', '-in', e.result.path, '-info', '-nokeys', '-passin', 'pass:Not-The-Password-1']);
      expect(status, label(e)).not.toBe(0);
      expect(out).toMatch(/Mac verify error/i);
    }
  });

  it('GnuTLS certtool --p12-info reads it with the password', () => {
    for (const e of mine()) {
      const pw = readFileSync(e.passwordFile, 'utf8').trim();
      const r = spawnSync('certtool', ['--p12-info', '--inder', '--infile', e.result.path, '--password', pw], { encoding: 'utf8' });
      expect(r.status, `${label(e)}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toContain(profile === 'legacy' ? 'MAC: SHA1' : 'MAC: SHA256');
      expect(r.stdout).toContain(profile === 'legacy' ? 'Schema: PKCS12-3DES-SHA1' : 'Schema: PBES2-AES256-CBC');
      expect(r.stdout).toContain(`Friendly name: ${FRIENDLY}`);
    }
  });

  it('NSS pk12util imports it into a fresh database with key and certificate', () => {
    for (const e of mine()) {
      const db = tempDir('certdesk-nss-');
      try {
        execFileSync('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
        const pw = readFileSync(e.passwordFile, 'utf8').trim();
        const r = spawnSync('pk12util', ['-i', e.result.path, '-d', `sql:${db}`, '-W', pw, '-K', ''], { encoding: 'utf8' });
        expect(`${r.stdout}${r.stderr}`, label(e)).toContain('PKCS12 IMPORT SUCCESSFUL');
        expect(execFileSync('certutil', ['-K', '-d', `sql:${db}`], { encoding: 'utf8' })).toMatch(new RegExp(`rsa\\s+[0-9a-f]{40}\\s+${FRIENDLY}`));
        expect(execFileSync('certutil', ['-L', '-d', `sql:${db}`], { encoding: 'utf8' })).toMatch(new RegExp(`${FRIENDLY}\\s+u,u,u`));
      } finally {
        rmSync(db, { recursive: true, force: true });
      }
    }
  });
});

it('records each export: JSON fields, file SHA-256 and the profile', () => {
  for (const e of cases()) {
    expect(e.result.sha256).toBe(createHash('sha256').update(readFileSync(e.result.path)).digest('hex'));
    expect(e.result).toMatchObject({ profile: e.profile, thumbprint: createHash('sha1').update(e.leaf.der).digest('hex').toUpperCase() });
  }
  expect(cases()).toHaveLength(4);
});
