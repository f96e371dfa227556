// `certdesk request new` as an admin runs it (a whole process: Node start, keychain, key generation,
// CSR, encrypted store write) against `openssl req -new -newkey rsa:2048 -nodes` with the same profile.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const title = 'certdesk request new (whole process)';

export async function run(ctx) {
  // Key generation time is random on both sides (prime search) and heavy-tailed: medians of 31 runs
  // each gave ratios from 1.18x to 2.10x on one quiet machine within five minutes, mostly from
  // openssl's own spread (186-268 ms). 101 runs each (about a minute) narrow that.
  const runs = ctx.quick ? 5 : 101;
  const cli = join(ctx.root, 'bin', 'certdesk.js');
  const store = join(ctx.tmp, 'store');
  const csrFile = (i) => join(ctx.tmp, `certdesk-${i}.csr`);
  // Alternating certdesk, openssl, certdesk, ...: the machine's load (shared CPUs) hits both sides alike.
  ctx.log(`certdesk request new and openssl req -new -newkey rsa:2048, ${runs} runs each, alternating (+1 warm-up each; certdesk's creates the store and its keychain entry)`);
  const { a: certdesk, b: openssl } = await ctx.measurePaired(
    {
      cmd: process.execPath,
      args: (i) => [cli, '--store', store, '--json', 'request', 'new', '--subject', `rp${i}.contoso.com`, '--san', `meet${i}.contoso.com`, '--out', csrFile(i)],
      check: (r) => JSON.parse(r.stdout).status === 'pending',
    },
    {
      cmd: 'openssl',
      args: (i) => [
        'req', '-new', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', join(ctx.tmp, `o-${i}.key`), '-out', join(ctx.tmp, `o-${i}.csr`),
        '-subj', `/CN=rp${i}.contoso.com`,
        '-addext', `subjectAltName=DNS:rp${i}.contoso.com,DNS:meet${i}.contoso.com`,
        '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment',
        '-addext', 'extendedKeyUsage=serverAuth,clientAuth',
      ],
    },
    { runs, warmup: 1 },
  );
  // The bench measures real output: the last CSR must be one OpenSSL accepts.
  const verify = spawnSync('openssl', ['req', '-in', csrFile(runs), '-noout', '-verify'], { encoding: 'utf8' });
  if (verify.status !== 0) throw new Error(`the CSR certdesk wrote does not verify: ${verify.stderr.trim()}`);

  ctx.log('process start-up: certdesk --version vs openssl version, alternating');
  const { a: startCli, b: startOpenssl } = await ctx.measurePaired({ cmd: process.execPath, args: [cli, '--version'] }, { cmd: 'openssl', args: ['version'] }, { runs, warmup: 1 });
  // CPU time (user+sys; for certdesk with its keychain helper process) is what load does not stretch.
  const cpu = (p, q) => (p.cpuMs === null || q.cpuMs === null ? '' : `; CPU (user+sys) median ${p.cpuMs.toFixed(0)} ms vs ${q.cpuMs.toFixed(0)} ms`);
  return [
    {
      label: 'request new, RSA 2048',
      ms: certdesk.median,
      baseline: { label: 'openssl req -newkey rsa:2048', ms: openssl.median },
      rssMb: certdesk.rssMb,
      baselineRssMb: openssl.rssMb,
      goal: '<= 1.5x',
      met: certdesk.median / openssl.median <= 1.5,
      note: `medians of ${runs} runs each, alternating; ${certdesk.min.toFixed(0)}-${certdesk.max.toFixed(0)} ms; 2 SANs; key encrypted into the store${cpu(certdesk, openssl)}`,
    },
    {
      label: 'process start-up only',
      ms: startCli.median,
      baseline: { label: 'openssl version', ms: startOpenssl.median },
      rssMb: startCli.rssMb,
      baselineRssMb: startOpenssl.rssMb,
      note: `the fixed cost of starting Node vs a C binary${cpu(startCli, startOpenssl)}`,
    },
  ];
}
