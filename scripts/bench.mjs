#!/usr/bin/env node
// `npm run bench`: speed and memory of Certdesk against openssl on the same machine, in the same run,
// printed as ratios and written to bench-results/ as JSON and Markdown (latest.json, latest.md).
//
// Every scripts/bench/*.mjs module is run in file-name order. A module exports:
//   export const title = 'Key generation';
//   export async function run(ctx) { return [row, ...]; }
// where a row is
//   { label, ms, baseline?: { label, ms }, rssMb?, baselineRssMb?, goal?, met?, note? }
//   ms        median wall time of the Certdesk operation (ms)
//   baseline  the same job done by openssl (or another reference); ratio = ms / baseline.ms
//   rssMb     peak resident memory of a whole process, when the row measures one
//   goal, met the target for the row (text) and whether this run met it
// and ctx gives:
//   ctx.root, ctx.dist (dist/main), ctx.tmp (a fresh folder for this module), ctx.quick (BENCH_QUICK=1)
//   ctx.require(path)                          CommonJS require relative to the repo (dist/main code, node-forge)
//   await ctx.measure(fn, { runs, warmup })    -> { median, min, max, runs } in ms, fn may be async
//   await ctx.timeProcess(cmd, args, opts)     -> { ms, rssMb | null, cpuMs | null (user+sys), status, stdout, stderr } (one run)
//   await ctx.measureProcess(cmd, args, { runs, warmup, env, check }) -> { median, min, max, rssMb, runs }
//   await ctx.measurePaired(a, b, { runs, warmup }) -> { a, b }: two processes run alternately, each
//                                              { median, min, max, runs, rssMb, cpuMs (median user+sys) }
//   ctx.log(line)                              progress on stderr
// Usage: node scripts/bench.mjs [name-filter...]   (e.g. `node scripts/bench.mjs keygen`)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'scripts', 'bench');

// The CLI needs the OS keychain: run the whole bench inside one private keyring session (as the
// tests do) so no timed process pays for starting D-Bus and gnome-keyring.
if (!process.env.CERTDESK_KEYRING_READY && process.platform === 'linux' && !process.env.BENCH_NO_KEYRING) {
  const r = spawnSync('bash', [join(root, 'scripts', 'with-keyring.sh'), process.execPath, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

if (!existsSync(join(root, 'dist', 'main', 'cli', 'main.js')) || !existsSync(join(root, 'dist', 'cli', 'certdesk.js'))) {
  console.error('error: build first (npm run bench does: npm run build:main)');
  process.exit(1);
}

const requireFromRoot = createRequire(join(root, 'package.json'));
const hasGnuTime = existsSync('/usr/bin/time');
const log = (line) => process.stderr.write(`  ${line}\n`);

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], runs: s.length };
}

async function measure(fn, { runs = 5, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return stats(samples);
}

/** One process run: wall time, and peak RSS through GNU time when it is installed. */
function timeProcess(cmd, args, { env, cwd = root, timeoutMs = 120_000 } = {}) {
  const rssFile = hasGnuTime ? join(mkdtempSync(join(tmpdir(), 'bench-rss-')), 'rss') : null;
  const [exe, argv] = rssFile ? ['/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const t = performance.now();
    // Its own process group, so a timeout stops the measured command too, not only the time wrapper.
    const child = spawn(exe, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      const ms = performance.now() - t;
      clearTimeout(timer);
      let rssMb = null;
      let cpuMs = null;
      if (rssFile) {
        // Peak RSS in KB, then user and system CPU seconds: CPU time shows what the process itself
        // cost when other work on the machine stretches its wall time.
        const [kb, user, sys] = (readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
        rssMb = Number.isFinite(kb) ? kb / 1024 : null;
        cpuMs = Number.isFinite(user) && Number.isFinite(sys) ? (user + sys) * 1000 : null;
        rmSync(dirname(rssFile), { recursive: true, force: true });
      }
      resolve({ ms, rssMb, cpuMs, status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

async function measureProcess(cmd, args, { runs = 5, warmup = 1, env, check } = {}) {
  const samples = [];
  const rss = [];
  for (let i = 0; i < warmup + runs; i++) {
    const r = await timeProcess(cmd, typeof args === 'function' ? args(i) : args, { env });
    if (r.status !== 0 || (check && !check(r))) {
      throw new Error(`${cmd} ${(typeof args === 'function' ? args(i) : args).join(' ')} failed (${r.status}): ${r.stderr.trim().split('\n').pop()}`);
    }
    if (i >= warmup) {
      samples.push(r.ms);
      if (r.rssMb !== null) rss.push(r.rssMb);
    }
  }
  return { ...stats(samples), rssMb: rss.length ? Math.max(...rss) : null };
}

/**
 * Runs two processes alternately (a, b, a, b, ...) after `warmup` rounds, so the machine's load hits
 * both sides alike; spec = { cmd, args: array or (i) => array, env?, check?(result) }. Returns the
 * median, min, max wall time, peak RSS and median CPU (user+sys) of each side.
 */
async function measurePaired(a, b, { runs = 5, warmup = 1 } = {}) {
  const sides = [a, b].map((spec) => ({ spec, ms: [], cpu: [], rss: [] }));
  for (let i = 0; i < warmup + runs; i++) {
    for (const side of sides) {
      const { spec } = side;
      const args = typeof spec.args === 'function' ? spec.args(i) : spec.args;
      const r = await timeProcess(spec.cmd, args, { env: spec.env });
      if (r.status !== 0 || (spec.check && !spec.check(r))) throw new Error(`${spec.cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.trim().split('\n').pop()}`);
      if (i < warmup) continue;
      side.ms.push(r.ms);
      if (r.cpuMs !== null) side.cpu.push(r.cpuMs);
      if (r.rssMb !== null) side.rss.push(r.rssMb);
    }
  }
  const [ra, rb] = sides.map((s) => ({ ...stats(s.ms), rssMb: s.rss.length ? Math.max(...s.rss) : null, cpuMs: s.cpu.length ? stats(s.cpu).median : null }));
  return { a: ra, b: rb };
}

const fmtMs = (ms) => (ms === undefined || ms === null ? '' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`);
const fmtRatio = (r) => (r === null ? '' : `${r.toFixed(2)}x`);
const fmtMb = (mb) => (mb === null || mb === undefined ? '' : `${mb.toFixed(0)} MB`);

const HEAD = ['task', 'certdesk', 'reference', 'ref time', 'ratio', 'goal', 'met', 'peak RSS', 'ref RSS', 'note'];
const fmtMet = (m) => (m === undefined ? '' : m ? 'yes' : 'NO');

function cells(r) {
  return [r.label, fmtMs(r.ms), r.baseline?.label ?? '', fmtMs(r.baseline?.ms), fmtRatio(r.ratio), r.goal ?? '', fmtMet(r.met), fmtMb(r.rssMb), fmtMb(r.baselineRssMb), r.note ?? ''];
}

function table(rows) {
  const body = rows.map(cells);
  const widths = HEAD.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cs) => cs.map((c, i) => ([0, 2, 5, 9].includes(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The whole run as Markdown: one table per module, pipes in cells escaped. */
function markdown(doc) {
  const esc = (c) => String(c).replaceAll('|', '\\|');
  const out = [
    `# Certdesk bench, ${doc.startedAt}`,
    '',
    `${doc.machine.cpus} CPUs (${doc.machine.cpuModel}), Node ${doc.machine.node}, ${doc.machine.platform}; peak RSS: ${doc.machine.peakRss}; load average at start ${doc.machine.loadAverage}.`,
    'ratio = Certdesk time / reference time, measured in the same run (below 1 is faster).',
    '',
  ];
  for (const m of doc.results) {
    out.push(`## ${m.title}`, '');
    if (m.error) {
      out.push(`FAILED: ${esc(m.error)}`, '');
      continue;
    }
    out.push(`| ${HEAD.join(' | ')} |`, `|${HEAD.map(() => '---').join('|')}|`);
    for (const r of m.rows) out.push(`| ${cells(r).map(esc).join(' | ')} |`);
    out.push('');
  }
  return out.join('\n');
}

const filters = process.argv.slice(2);
const modules = readdirSync(benchDir)
  .filter((f) => f.endsWith('.mjs'))
  .sort()
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));

const started = new Date();
const results = [];
const machine = {
  node: process.version,
  cpus: availableParallelism(),
  cpuModel: cpus()[0]?.model ?? 'unknown',
  platform: `${process.platform}-${process.arch}`,
  peakRss: hasGnuTime ? 'GNU time' : 'unavailable (install the "time" package)',
  // Other work on the machine slows both sides of a ratio, but not always alike: say how busy it was.
  loadAverage: loadavg().map((l) => l.toFixed(2)).join(' '),
};
console.log(`Certdesk bench, ${started.toISOString()}, ${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}`);
console.log('ratio = Certdesk time / reference time (below 1 is faster); medians of several runs\n');
const tBench = performance.now();
let failed = false;
for (const file of modules) {
  const mod = await import(pathToFileURL(join(benchDir, file)).href);
  if (typeof mod.run !== 'function') continue; // a helper such as make-store.mjs, not a bench row
  const title = mod.title ?? file;
  process.stderr.write(`${title}...\n`);
  const tmp = mkdtempSync(join(tmpdir(), `certdesk-bench-${file.replace('.mjs', '')}-`));
  const ctx = { root, dist: join(root, 'dist', 'main'), tmp, quick: process.env.BENCH_QUICK === '1', require: requireFromRoot, measure, timeProcess, measureProcess, measurePaired, log };
  const t = performance.now();
  try {
    const rows = (await mod.run(ctx)).map((r) => ({ ...r, ratio: r.baseline?.ms ? r.ms / r.baseline.ms : null }));
    results.push({ module: file, title, seconds: (performance.now() - t) / 1000, rows });
    console.log(`${title} (${((performance.now() - t) / 1000).toFixed(1)} s)\n${table(rows)}\n`);
  } catch (e) {
    failed = true;
    results.push({ module: file, title, error: e instanceof Error ? e.message : String(e) });
    console.log(`${title}: FAILED: ${e instanceof Error ? e.message : String(e)}\n`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
const total = (performance.now() - tBench) / 1000;
console.log(`total ${total.toFixed(1)} s`);

const outDir = join(root, 'bench-results');
mkdirSync(outDir, { recursive: true });
const doc = { startedAt: started.toISOString(), seconds: total, machine, results };
const stamp = started.toISOString().replace(/[:.]/g, '-');
writeFileSync(join(outDir, `bench-${stamp}.json`), `${JSON.stringify(doc, null, 2)}\n`);
writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(doc, null, 2)}\n`);
writeFileSync(join(outDir, `bench-${stamp}.md`), `${markdown(doc)}\n`);
writeFileSync(join(outDir, 'latest.md'), `${markdown(doc)}\n`);
console.log(`results: bench-results/bench-${stamp}.json and .md`);
process.exitCode = failed ? 1 : 0;
