/**
 * Code-signing PFX files from the OpenSSL test CA (tests/helpers/openssl-ca.ts): an RSA key, a leaf
 * with the chosen EKU and validity issued by the CA's intermediate, packed by `openssl pkcs12` with
 * the intermediate. For `bundle --sign-with` tests; everything is made at test time, nothing committed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IssuedCert, SignOptions, TestCa } from './openssl-ca.js';

/** A code-signing PFX on disk with what went into it. */
export interface CodeSigningPfx {
  pfxPath: string;
  password: string;
  passwordFile: string;
  keyPath: string;
  leaf: IssuedCert;
  pfx: Uint8Array;
}

let counter = 0;

/** Makes `<dir>/<name>.pfx`; `key` 'ec' for a P-256 key, `opts` for EKU/validity (default Code Signing, 90 days). */
export function makeCodeSigningPfx(ca: TestCa, dir: string, name: string, opts: SignOptions & { key?: 'rsa' | 'ec'; password?: string } = {}): CodeSigningPfx {
  const n = ++counter;
  const keyPath = join(dir, `${name}-${n}.key`);
  const algorithm = opts.key === 'ec' ? ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];
  execFileSync('openssl', ['genpkey', ...algorithm, '-out', keyPath], { stdio: 'pipe' });
  const csr = execFileSync('openssl', ['req', '-new', '-key', keyPath, '-subj', '/O=Contoso/CN=Contoso Script Signing'], { encoding: 'utf8', stdio: 'pipe' });
  const leaf = ca.sign(csr, { sans: [], eku: ['codeSigning'], keyUsage: ['digitalSignature'], ...opts });
  const password = opts.password ?? 'Sign-It-2024!';
  const passwordFile = join(dir, `${name}-${n}.pw`);
  writeFileSync(passwordFile, password);
  const pfxPath = join(dir, `${name}-${n}.pfx`);
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', keyPath, '-in', leaf.path, '-certfile', ca.intermediate.certPath, '-passout', `file:${passwordFile}`, '-out', pfxPath], { stdio: 'pipe' });
  return { pfxPath, password, passwordFile, keyPath, leaf, pfx: new Uint8Array(readFileSync(pfxPath)) };
}

/**
 * Why osslsigncode cannot check a signed PowerShell script here, or null when it can. PowerShell
 * script signing arrived in osslsigncode 2.8; Debian 12's own package is 2.5 (2.9 comes from
 * bookworm-backports), which refuses a .ps1 as an unknown file type.
 */
export function osslsigncodeSkipReason(): string | null {
  const run = spawnSync('osslsigncode', ['--version'], { encoding: 'utf8' });
  if (run.error || run.status !== 0) return 'osslsigncode is not installed (apt-get install osslsigncode)';
  const m = /osslsigncode (\d+)\.(\d+)/.exec(`${run.stdout}${run.stderr}`);
  if (!m) return 'osslsigncode did not print its version';
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major < 2 || (major === 2 && minor < 8)) return `osslsigncode ${major}.${minor} cannot sign or verify PowerShell scripts (2.8 or later can: bookworm-backports has 2.9)`;
  return null;
}
