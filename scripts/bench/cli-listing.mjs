// Issue 15's whole-process rows: `certdesk --help` against `node -e 0` (what Node itself costs), and
// `request list` / `expiry` over a 10,000-request store against one Node process that reads and
// parses the same 10,000 request.json files (the least any listing must do without a cache).
// Runs alternate between Certdesk and its reference so machine load hits both alike.
// Peak RSS of `request list` comes from GNU time (goal: under 200 MB).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeStore } from './make-store.mjs';

export const title = 'CLI start-up and listing 10,000 requests (whole processes)';

const REFERENCE = `
const fs = require('node:fs'), path = require('node:path');
const dir = path.join(process.argv[2], 'requests');
let n = 0;
for (const id of fs.readdirSync(dir)) {
  if (!/^[0-9]{8}-/.test(id)) continue;
  const r = JSON.parse(fs.readFileSync(path.join(dir, id, 'request.json'), 'utf8'));
  if (r.id === id) n++;
}
process.stdout.write(n + '\\n');`;

/** "CPU 540 vs 310 ms": what both processes cost the machine, whatever the load did to their wall time. */
function cpuNote(p) {
  return p.a.cpuMs === null || p.b.cpuMs === null ? '' : `; CPU (user+sys) median ${p.a.cpuMs.toFixed(0)} ms vs ${p.b.cpuMs.toFixed(0)} ms`;
}

export async function run(ctx) {
  const runs = ctx.quick ? 5 : 11;
  const n = ctx.quick ? 2000 : 10_000;
  const cli = join(ctx.root, 'bin', 'certdesk.js');
  const node = process.execPath;
  const rows = [];

  ctx.log(`certdesk --help vs node -e 0, ${runs} runs each, alternating`);
  const help = await ctx.measurePaired({ cmd: node, args: [cli, '--help'] }, { cmd: node, args: ['-e', '0'] }, { runs });
  rows.push({
    label: 'certdesk --help',
    ms: help.a.median,
    baseline: { label: 'node -e 0', ms: help.b.median },
    rssMb: help.a.rssMb,
    baselineRssMb: help.b.rssMb,
    goal: '<= 2.0x',
    met: help.a.median / help.b.median <= 2,
    note: `${runs} runs each; ${help.a.min.toFixed(0)}-${help.a.max.toFixed(0)} ms${cpuNote(help)}`,
  });

  ctx.log(`building a ${n}-request listing fixture (scripts/bench/make-store.mjs)`);
  const store = join(ctx.tmp, 'store');
  makeStore(store, n);
  const refFile = join(ctx.tmp, 'reference.cjs');
  writeFileSync(refFile, REFERENCE);
  const ref = { cmd: node, args: [refFile, store], check: (r) => Number(r.stdout) === n };
  const countLines = (r) => r.stdout.split('\n').filter((l) => /^[0-9]{8}-/.test(l)).length;

  ctx.log(`first request list (builds the index), then request list vs the reference, ${runs} runs each`);
  const cold = await ctx.timeProcess(node, [cli, '--store', store, 'request', 'list']);
  if (cold.status !== 0 || countLines(cold) !== n) throw new Error(`request list listed ${countLines(cold)} of ${n}: ${cold.stderr.trim()}`);
  const list = await ctx.measurePaired({ cmd: node, args: [cli, '--store', store, 'request', 'list'], check: (r) => countLines(r) === n }, ref, { runs });
  const listRatio = list.a.median / list.b.median;
  rows.push({
    label: `request list, ${n} requests (warm index)`,
    ms: list.a.median,
    baseline: { label: `read+parse ${n} request.json (node)`, ms: list.b.median },
    rssMb: list.a.rssMb,
    baselineRssMb: list.b.rssMb,
    goal: '<= 3x and < 1 s; RSS < 200 MB',
    met: listRatio <= 3 && list.a.median < 1000 && (list.a.rssMb === null || list.a.rssMb < 200),
    note: `${runs} runs each; first listing (no index yet) ${cold.ms.toFixed(0)} ms${cpuNote(list)}`,
  });

  ctx.log(`expiry vs the same reference, ${runs} runs each`);
  const expiry = await ctx.measurePaired({ cmd: node, args: [cli, '--store', store, '--json', 'expiry'], check: (r) => Array.isArray(JSON.parse(r.stdout)) }, ref, { runs });
  rows.push({
    label: `expiry, ${n} requests (warm index)`,
    ms: expiry.a.median,
    baseline: { label: `read+parse ${n} request.json (node)`, ms: expiry.b.median },
    rssMb: expiry.a.rssMb,
    baselineRssMb: expiry.b.rssMb,
    goal: '<= 3x and < 1 s',
    met: expiry.a.median / expiry.b.median <= 3 && expiry.a.median < 1000,
    note: `${runs} runs each; --json, every issued certificate${cpuNote(expiry)}`,
  });
  return rows;
}
