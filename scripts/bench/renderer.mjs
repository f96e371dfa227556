// The renderer: how much the app ships (dist/renderer, raw and gzip) and how soon a window shows
// something useful: first contentful paint, and "ready" (the first view's heading rendered after
// app.info came back over /rpc), in Debian's Chromium against `certdesk ui` on an empty store.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { gzipSync } from 'node:zlib';

export const title = 'Renderer: bundle size and time to first render';

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const kb = (n) => `${(n / 1024).toFixed(1)} kB`;

function sizes(dir) {
  const all = files(dir);
  const sum = (re) => {
    const picked = all.filter((f) => re.test(f));
    const raw = picked.reduce((a, f) => a + statSync(f).size, 0);
    const gz = picked.reduce((a, f) => a + gzipSync(readFileSync(f), { level: 9 }).length, 0);
    return { raw, gz, count: picked.length };
  };
  return { js: sum(/\.js$/), css: sum(/\.css$/), total: sum(/./) };
}

/** `certdesk ui` on a fresh store; resolves with its URL and a stop function. */
export async function startUi(ctx, storeDir = join(ctx.tmp, 'store')) {
  const child = spawn(process.execPath, [join(ctx.root, 'bin', 'certdesk.js'), '--store', storeDir, 'ui', '--no-open', '--port', '0'], {
    cwd: ctx.root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`certdesk ui printed no URL: ${err.trim()}`)), 20_000);
    createInterface({ input: child.stdout }).once('line', (l) => {
      clearTimeout(timer);
      resolve(l.trim());
    });
    child.once('exit', (code) => reject(new Error(`certdesk ui exited with ${code}: ${err.trim()}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}

export async function run(ctx) {
  // Measure the renderer as it is now, not a stale build.
  ctx.log('building the renderer (vite build)...');
  const build = spawnSync(process.execPath, [join(ctx.root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'], { cwd: ctx.root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`vite build failed: ${(build.stderr || build.stdout).trim().split('\n').pop()}`);
  const s = sizes(join(ctx.root, 'dist', 'renderer'));
  const rows = [
    { label: 'renderer bundle: JavaScript', ms: null, bytes: s.js.raw, gzipBytes: s.js.gz, note: `${kb(s.js.raw)} (${kb(s.js.gz)} gzip) in ${s.js.count} file(s)` },
    { label: 'renderer bundle: CSS', ms: null, bytes: s.css.raw, gzipBytes: s.css.gz, note: `${kb(s.css.raw)} (${kb(s.css.gz)} gzip) in ${s.css.count} file(s)` },
    { label: 'renderer bundle: total', ms: null, bytes: s.total.raw, gzipBytes: s.total.gz, note: `${kb(s.total.raw)} (${kb(s.total.gz)} gzip)` },
  ];

  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const ui = await startUi(ctx);
  try {
    const fcp = [];
    const mounted = [];
    const ready = [];
    const runs = ctx.quick ? 3 : 7;
    for (let i = 0; i < runs + 1; i++) {
      // A fresh page each time: nothing cached, like a new window (the server sends no-store anyway).
      const page = await browser.newPage();
      await page.goto(ui.url);
      // The renderer marks its first mount and the moment app.info/settings came back over /rpc.
      await page.waitForFunction(() => performance.getEntriesByName('certdesk:ready').length > 0);
      const t = await page.evaluate(() => ({
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
        mounted: performance.getEntriesByName('certdesk:mounted')[0]?.startTime ?? null,
        ready: performance.getEntriesByName('certdesk:ready')[0]?.startTime ?? null,
      }));
      await page.close();
      if (i === 0) continue; // warm-up: the OS file cache and Chromium's own start
      if (t.fcp !== null) fcp.push(t.fcp);
      if (t.mounted !== null) mounted.push(t.mounted);
      if (t.ready !== null) ready.push(t.ready);
    }
    const median = (xs) => {
      const a = [...xs].sort((x, y) => x - y);
      const m = Math.floor(a.length / 2);
      return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
    };
    const from = 'from navigation start, median of';
    if (mounted.length) rows.push({ label: 'first view rendered (Svelte mount)', ms: median(mounted), note: `${from} ${mounted.length} fresh pages` });
    if (fcp.length) rows.push({ label: 'first contentful paint (Chromium)', ms: median(fcp), note: `${from} ${fcp.length}` });
    if (ready.length) rows.push({ label: 'ready: app.info + settings over /rpc', ms: median(ready), note: `${from} ${ready.length}` });
  } finally {
    await ui.stop();
    await browser.close();
  }
  return rows;
}
