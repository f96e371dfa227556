/**
 * Interop: a real nginx on 127.0.0.1 serves the certificate and key taken (by openssl) out of a PFX
 * that `certdesk export` wrote; curl, trusting only the test root, accepts every SAN and refuses a
 * name the certificate does not carry. Both chains (RSA and ECDSA CAs) and both profiles.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runCli, text } from '../integration/cli-requests-helpers.js';
import { type TestCa, createTestCa } from '../helpers/openssl-ca.js';
import { exportPfxCli, importAnswer, newRequest, tempDir } from './pfx-helpers.js';

const SANS = ['webext.contoso.com', 'meet.contoso.com', 'dialin.contoso.com', 'lyncdiscover.contoso.com'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, errorLog: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${readFileSync(errorLog, 'utf8')}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ port, host: '127.0.0.1' }, () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('nginx did not start listening');
}

interface Served {
  name: string;
  port: number;
  root: string;
  nginx: ChildProcess;
}

let work: string;
let rsa: TestCa;
let ecdsa: TestCa;
const servers: Served[] = [];

/** Exports a PFX via the CLI, unpacks it with openssl, and starts nginx on it. */
async function serve(store: string, ca: TestCa, profile: 'legacy' | 'modern'): Promise<Served> {
  const name = `${ca.kind}-${profile}`;
  const { record, csr } = await newRequest(store, SANS[0] as string, SANS.slice(1));
  const answer = join(work, `${name}.p7b`);
  writeFileSync(answer, ca.p7b(ca.sign(csr, { sans: SANS }), { format: 'der' }));
  await importAnswer(store, [answer]);
  const pfx = join(work, `${name}.pfx`);
  await exportPfxCli(store, record.id, ['--out', pfx, '--profile', profile, '--generate-password']);
  const pw = join(work, `${name}.pw`);
  writeFileSync(pw, text(await runCli(store, ['password', record.id])));
  const prefix = join(work, `nginx-${name}`);
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  // The server is configured only from what is inside the PFX: leaf + intermediate, and the key.
  execFileSync('openssl', ['pkcs12', '-in', pfx, '-nokeys', '-passin', `file:${pw}`, '-out', join(prefix, 'chain.pem')]);
  execFileSync('openssl', ['pkcs12', '-in', pfx, '-nocerts', '-nodes', '-passin', `file:${pw}`, '-out', join(prefix, 'key.pem')]);
  const port = await freePort();
  const errorLog = join(prefix, 'logs', 'error.log');
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `worker_processes 1;
error_log ${errorLog} warn;
events { worker_connections 16; }
http {
  access_log off;
  client_body_temp_path ${prefix}/tmp-body;
  proxy_temp_path ${prefix}/tmp-proxy;
  fastcgi_temp_path ${prefix}/tmp-fastcgi;
  uwsgi_temp_path ${prefix}/tmp-uwsgi;
  scgi_temp_path ${prefix}/tmp-scgi;
  server {
    listen 127.0.0.1:${port} ssl;
    server_name _;
    ssl_certificate ${prefix}/chain.pem;
    ssl_certificate_key ${prefix}/key.pem;
    location / { return 200 "certdesk ok\\n"; }
  }
}
`,
  );
  const nginx = spawn('nginx', ['-p', prefix, '-e', errorLog, '-c', join(prefix, 'nginx.conf'), '-g', `daemon off; pid ${prefix}/nginx.pid;`], { stdio: 'ignore' });
  const served = { name, port, root: ca.root.certPath, nginx };
  servers.push(served);
  await waitForPort(port, nginx, errorLog);
  return served;
}

function curl(s: Served, host: string): { status: number | null; body: string; err: string } {
  const r = spawnSync('curl', ['-sS', '--max-time', '10', '--cacert', s.root, '--resolve', `${host}:${s.port}:127.0.0.1`, `https://${host}:${s.port}/`], { encoding: 'utf8' });
  return { status: r.status, body: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  requireBuiltCli();
  work = tempDir('certdesk-nginx-');
  rsa = createTestCa('rsa');
  ecdsa = createTestCa('ecdsa');
  const store = join(work, 'store');
  await serve(store, rsa, 'legacy');
  await serve(store, ecdsa, 'modern');
});
afterAll(async () => {
  for (const s of servers) {
    if (s.nginx.exitCode === null) {
      const gone = new Promise((r) => s.nginx.once('exit', r));
      s.nginx.kill('SIGTERM');
      await gone;
    }
  }
  rsa?.cleanup();
  ecdsa?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('nginx serving the exported certificate', () => {
  it('curl accepts every SAN, trusting only the test root (RSA chain, legacy PFX; ECDSA chain, modern PFX)', () => {
    expect(servers.map((s) => s.name)).toEqual(['rsa-legacy', 'ecdsa-modern']);
    for (const s of servers) {
      for (const host of SANS) {
        const r = curl(s, host);
        expect(r.err, `${s.name} ${host}`).toBe('');
        expect(r.status).toBe(0);
        expect(r.body).toBe('certdesk ok\n');
      }
    }
  });

  it('curl refuses a name that is not in the SAN list', () => {
    for (const s of servers) {
      const r = curl(s, 'owa.contoso.com');
      expect(r.status, s.name).toBe(60);
      expect(r.err).toMatch(/no alternative certificate subject name matches target host name 'owa\.contoso\.com'/);
    }
  });

  it('curl refuses the server when it does not trust the root', () => {
    const s = servers[0] as Served;
    const other = createTestCa('rsa', 'Unrelated');
    try {
      const r = spawnSync('curl', ['-sS', '--max-time', '10', '--cacert', other.root.certPath, '--resolve', `${SANS[0]}:${s.port}:127.0.0.1`, `https://${SANS[0]}:${s.port}/`], { encoding: 'utf8' });
      expect(r.status).toBe(60);
    } finally {
      other.cleanup();
    }
  });
});
