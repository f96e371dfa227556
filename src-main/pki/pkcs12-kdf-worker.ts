import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * The PKCS#12 key derivation (RFC 7292 appendix B) on worker threads. It is an iterated hash with
 * no native asynchronous form (unlike PBKDF2, which node:crypto runs on libuv's thread pool), and a
 * 600,000-iteration PFX needs five derivations of 600,000 hashes each: run on the main thread, even
 * in slices with yields in between, it kept Electron main and the browser-mode server from answering
 * for more than a frame (bench p99 17 ms under load). Here the loop runs beside the event loop.
 *
 * The workers start from source text (`eval`), like pfx-forge-worker.ts, so the same code runs from
 * dist/main (CommonJS), the packaged app and Vitest. Up to two stay alive while work is queued and
 * are unreferenced when idle, so they never keep a finished CLI process alive.
 */

const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort } = require('node:worker_threads');
const { hash } = require('node:crypto');

function repeatTo(src, length) {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = src[i % src.length];
  return out;
}

// RFC 7292 appendix B.2: n bytes for purpose id (1 key, 2 IV, 3 MAC key) from a BMPString password.
function kdf({ digest, u, v, password, salt, purpose, iterations, n }) {
  const D = Buffer.alloc(v, purpose);
  const S = salt.length > 0 ? repeatTo(salt, v * Math.ceil(salt.length / v)) : Buffer.alloc(0);
  const P = password.length > 0 ? repeatTo(password, v * Math.ceil(password.length / v)) : Buffer.alloc(0);
  const I = Buffer.concat([S, P]);
  const blocks = [];
  for (let produced = 0; produced < n; produced += u) {
    let A = hash(digest, Buffer.concat([D, I]), 'buffer');
    for (let r = 1; r < iterations; r++) A = hash(digest, A, 'buffer');
    blocks.push(A);
    if (produced + u < n) {
      // I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block of I, B = A repeated to v bytes.
      const B = repeatTo(A, v);
      for (let j = 0; j < I.length; j += v) {
        let carry = 1;
        for (let k = v - 1; k >= 0; k--) {
          const sum = I[j + k] + B[k] + carry;
          I[j + k] = sum & 0xff;
          carry = sum >> 8;
        }
      }
    }
  }
  return Buffer.concat(blocks).subarray(0, n);
}

parentPort.on('message', (job) => {
  try {
    const key = kdf(job);
    parentPort.postMessage({ id: job.id, key: new Uint8Array(key) });
  } catch (e) {
    parentPort.postMessage({ id: job.id, error: String((e && e.message) || e) });
  }
});
`;

/** One derivation, as the worker takes it. */
export interface KdfJob {
  digest: string;
  /** Digest output and block sizes in bytes. */
  u: number;
  v: number;
  password: Uint8Array;
  salt: Uint8Array;
  purpose: 1 | 2 | 3;
  iterations: number;
  n: number;
}

interface Pending {
  resolve: (key: Buffer) => void;
  reject: (e: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, Pending>;
}

const POOL_SIZE = Math.max(1, Math.min(2, availableParallelism()));
const pool: PoolWorker[] = [];
let nextId = 1;

function start(): PoolWorker {
  // 64 MB is far above what a derivation holds (a few buffers of at most a few hundred bytes).
  const worker = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 64 } });
  const entry: PoolWorker = { worker, pending: new Map() };
  const fail = (e: Error): void => {
    const i = pool.indexOf(entry);
    if (i >= 0) pool.splice(i, 1);
    for (const p of entry.pending.values()) p.reject(e);
    entry.pending.clear();
  };
  worker.on('message', (m: { id: number; key?: Uint8Array; error?: string }) => {
    const p = entry.pending.get(m.id);
    if (!p) return;
    entry.pending.delete(m.id);
    if (entry.pending.size === 0) worker.unref();
    if (m.key) p.resolve(Buffer.from(m.key.buffer, m.key.byteOffset, m.key.byteLength));
    else p.reject(new Error(`the PKCS#12 key derivation failed: ${m.error ?? 'unknown error'}`));
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the PKCS#12 key derivation stopped unexpectedly (exit ${code})`)));
  worker.unref();
  pool.push(entry);
  return entry;
}

/** The least busy worker, starting another while the pool is not full and every worker is busy. */
function pick(): PoolWorker {
  const idle = pool.find((w) => w.pending.size === 0);
  if (idle) return idle;
  if (pool.length < POOL_SIZE) return start();
  return pool.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
}

/** Runs one appendix-B derivation on a worker thread. */
export function deriveOnWorker(job: KdfJob): Promise<Buffer> {
  const entry = pick();
  const id = nextId++;
  return new Promise<Buffer>((resolve, reject) => {
    entry.pending.set(id, { resolve, reject });
    // Referenced while it works: a CLI awaiting only this derivation must not exit half-way.
    entry.worker.ref();
    entry.worker.postMessage({ id, ...job, password: Uint8Array.from(job.password), salt: Uint8Array.from(job.salt) });
  });
}
