// RSA key generation: Certdesk's path (Node's crypto.generateKeyPair on the thread pool) against `openssl genpkey`, with forge's pure-JavaScript
// generator for reference, and the worst event-loop lag seen while keys are made.
import { join } from 'node:path';

export const title = 'RSA key generation';

/**
 * Runs `work` while a 5 ms timer records how late the event loop gets to it (machine load shows up
 * here too), and measures event-loop utilization (busy share of the time; load-independent).
 */
async function withLagProbe(work) {
  const elu = performance.eventLoopUtilization();
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 5);
    last = now;
  }, 5);
  try {
    const result = await work();
    return { result, lagMs: worst, utilization: performance.eventLoopUtilization(elu).utilization };
  } finally {
    clearInterval(timer);
  }
}

// Pure JavaScript runs in its own process: it needs forge's global usePureJavaScript switch (which
// Certdesk's own code refuses to run under) and can be stopped when it exceeds its time budget.
const PURE_JS = `
const forge = require('node-forge');
forge.options.usePureJavaScript = true;
let last = performance.now(), worst = 0;
const timer = setInterval(() => { const n = performance.now(); worst = Math.max(worst, n - last - 5); last = n; }, 5);
const t = performance.now();
forge.pki.rsa.generateKeyPair({ bits: Number(process.argv[1]), e: 0x10001 }, (err) => {
  clearInterval(timer);
  if (err) throw err;
  process.stdout.write(JSON.stringify({ ms: performance.now() - t, lagMs: worst }));
});`;

async function pureJs(ctx, bits, budgetMs) {
  const r = await ctx.timeProcess(process.execPath, ['-e', PURE_JS, String(bits)], { timeoutMs: budgetMs });
  if (r.status !== 0) return { ms: budgetMs, lagMs: null, stopped: true };
  return { ...JSON.parse(r.stdout), stopped: false };
}

export async function run(ctx) {
  const { generateRsaKeyPair } = ctx.require('./dist/main/pki/keys.js');
  const rows = [];
  for (const bits of [2048, 4096]) {
    const runs = bits === 2048 ? (ctx.quick ? 3 : 7) : ctx.quick ? 1 : 3;
    ctx.log(`RSA ${bits}: native async x${runs}`);
    const { result: native, lagMs, utilization } = await withLagProbe(() => ctx.measure(() => generateRsaKeyPair(bits), { runs, warmup: bits === 2048 ? 1 : 0 }));
    ctx.log(`RSA ${bits}: openssl genpkey x${runs}`);
    const openssl = await ctx.measureProcess('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${bits}`, '-out', join(ctx.tmp, 'k.pem')], {
      runs,
      warmup: 0,
    });
    const baseline = { label: 'openssl genpkey (process)', ms: openssl.median };
    rows.push({
      label: `RSA ${bits} native async`,
      ms: native.median,
      baseline,
      note: `event loop busy ${(utilization * 100).toFixed(1)}%, worst lag ${lagMs.toFixed(0)} ms; ${runs} keys, ${native.min.toFixed(0)}-${native.max.toFixed(0)} ms`,
    });
    if (ctx.quick && bits === 4096) continue;
    // Caps keep the whole bench near two minutes; a stopped run's ratio is a lower bound.
    const budgetMs = bits === 2048 ? 20_000 : 25_000;
    ctx.log(`RSA ${bits}: forge pure JavaScript x1 (at most ${budgetMs / 1000} s)`);
    const pure = await pureJs(ctx, bits, budgetMs);
    rows.push({
      label: `RSA ${bits} forge pure JS (reference)`,
      ms: pure.ms,
      baseline,
      note: pure.stopped ? `stopped after ${budgetMs / 1000} s: at least this slow` : `1 key; worst event-loop lag ${pure.lagMs.toFixed(0)} ms`,
    });
  }
  return rows;
}
