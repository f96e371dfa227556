/**
 * Fake Lync back ends for the reverse-proxy tests: small Node HTTPS (internal ports 4443, 443) and
 * HTTP (8080) servers on distinct loopback addresses, with certificates from a test internal CA,
 * answering with their own name and the Host header they received.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createConnection, createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import type { TestCa } from '../helpers/openssl-ca.js';

/** What a back end answers. */
export interface BackendAnswer {
  backend: string;
  host: string;
}

/** One back end to start. */
export interface BackendSpec {
  /** The internal name its certificate carries (and it answers with). */
  name: string;
  address: string;
  port: number;
  https: boolean;
}

/** A key + certificate for `name`, issued by `ca` (through `openssl req` and the CA's `openssl ca`). */
export function issueServerCert(ca: TestCa, name: string): { key: string; cert: string } {
  const keyPath = join(ca.dir, `backend-${name}.key`);
  const csr = spawnSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-subj', `/CN=${name}`], { encoding: 'utf8' });
  if (csr.status !== 0) throw new Error(csr.stderr);
  const issued = ca.sign(csr.stdout, { sans: [name], eku: ['serverAuth'] });
  return { key: readFileSync(keyPath, 'utf8'), cert: issued.pem + ca.intermediate.pem };
}

/** Starts the back ends; `certs` maps a name to its key and certificate (HTTPS ones). */
export async function startBackends(specs: BackendSpec[], certs: Map<string, { key: string; cert: string }>): Promise<Server[]> {
  const servers: Server[] = [];
  for (const s of specs) {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      const answer: BackendAnswer = { backend: `${s.name}:${s.port}`, host: req.headers.host ?? '' };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    };
    const tls = certs.get(s.name);
    if (s.https && !tls) throw new Error(`no certificate for ${s.name}`);
    const server = s.https && tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler) : createHttpServer(handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(s.port, s.address, () => resolve());
    });
    servers.push(server);
  }
  return servers;
}

/** Stops servers started by startBackends. */
export async function stopBackends(servers: Server[]): Promise<void> {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

/** Null when `port` on `address` can be bound; else why not (in use, no permission). */
export function portProblem(address: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const srv = createNetServer();
    srv.once('error', (e: NodeJS.ErrnoException) => resolve(`${address}:${port}: ${e.code ?? e.message}`));
    srv.listen(port, address, () => srv.close(() => resolve(null)));
  });
}

/** Resolves once something accepts connections on address:port, or rejects after 15 s. */
export async function waitForListener(address: string, port: number, alive: () => string | null): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const dead = alive();
    if (dead !== null) throw new Error(dead);
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ port, host: address }, () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${address}:${port}`);
}
