/**
 * Every generated nginx and HAProxy configuration, for every example plan and certificate, passes
 * the real `nginx -t` and `haproxy -c` (Debian's packages) with the files it names in place: a
 * certificate, its encrypted PKCS#8 key with ssl_password_file (nginx) or the one PEM (HAProxy).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHaproxy } from '../../../../src-main/planning/proxy/haproxy.js';
import { proxyFileNames } from '../../../../src-main/planning/proxy/input.js';
import { renderNginx } from '../../../../src-main/planning/proxy/nginx.js';
import { encryptPrivateKeyPem } from '../../../../src-main/pki/pkcs8-encrypted.js';
import { EXAMPLES, examplePlan, inputFor } from './proxy-helpers.js';

let work: string;
const PASSWORD = 'Correct-Horse-Battery-9';

/** A self-signed certificate for `subject` and its plain key, made by openssl. */
function selfSigned(dir: string, subject: string): { cert: string; key: string } {
  const keyPath = join(dir, `${subject}.plain-key`);
  const certPath = join(dir, `${subject}.self.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', `/CN=${subject}`], { stdio: 'ignore' });
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'certdesk-proxy-check-'));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('nginx -t and haproxy -c accept every generated configuration', () => {
  it('nginx -t: every example plan, every certificate, with the encrypted key and its password file', async () => {
    let checked = 0;
    for (const name of EXAMPLES) {
      const plan = await examplePlan(name);
      for (const p of plan.plans) {
        const dir = join(work, `nginx-${name}-${p.certificate}`);
        mkdirSync(join(dir, 'logs'), { recursive: true });
        const input = inputFor(plan, p.certificate, 'nginx', dir);
        const f = proxyFileNames(input.subject);
        const { cert, key } = selfSigned(dir, input.subject);
        writeFileSync(join(dir, f.certificate), cert);
        const encrypted = encryptPrivateKeyPem(key, PASSWORD);
        expect(encrypted).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
        writeFileSync(join(dir, f.key), encrypted);
        writeFileSync(join(dir, f.passwordFile), `${PASSWORD}\n`, { mode: 0o600 });
        writeFileSync(join(dir, f.trustedCa), cert);
        const conf = renderNginx(input);
        expect(conf).not.toMatch(/^\s*(http|events|pid)\b/m);
        writeFileSync(join(dir, f.config), conf);
        const main = join(dir, 'nginx.conf');
        const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/tmp-${t};`).join('\n');
        writeFileSync(main, `error_log ${dir}/logs/error.log;\npid ${dir}/nginx.pid;\nevents {}\nhttp {\n${temps}\n  include ${join(dir, f.config)};\n}\n`);
        const r = spawnSync('nginx', ['-t', '-p', dir, '-e', join(dir, 'logs', 'error.log'), '-c', main], { encoding: 'utf8' });
        expect(r.stderr, `${name} certificate ${p.certificate}`).toMatch(/test is successful/);
        expect(r.status).toBe(0);
        // The same file with a wrong password is refused: nginx really decrypts the key.
        writeFileSync(join(dir, f.passwordFile), 'wrong-password-0000\n');
        const bad = spawnSync('nginx', ['-t', '-p', dir, '-e', join(dir, 'logs', 'error.log'), '-c', main], { encoding: 'utf8' });
        expect(bad.status).not.toBe(0);
        checked++;
      }
    }
    expect(checked).toBe(4);
  });

  it('haproxy -c: every example plan, every certificate', async () => {
    let checked = 0;
    for (const name of EXAMPLES) {
      const plan = await examplePlan(name);
      for (const p of plan.plans) {
        const dir = join(work, `haproxy-${name}-${p.certificate}`);
        mkdirSync(dir, { recursive: true });
        const input = inputFor(plan, p.certificate, 'haproxy', dir, { listen: null });
        const f = proxyFileNames(input.subject);
        const { cert, key } = selfSigned(dir, input.subject);
        writeFileSync(join(dir, f.haproxyPem), cert + key, { mode: 0o600 });
        writeFileSync(join(dir, f.trustedCa), cert);
        const cfg = join(dir, 'haproxy.cfg');
        writeFileSync(cfg, renderHaproxy(input));
        const r = spawnSync('haproxy', ['-c', '-f', cfg], { encoding: 'utf8' });
        expect(`${r.stdout}${r.stderr}`, `${name} certificate ${p.certificate}`).toMatch(/Configuration file is valid/);
        expect(r.status).toBe(0);
        checked++;
      }
    }
    expect(checked).toBe(4);
  });
});
