// `certdesk request new` as an admin runs it (a whole process: Node start, keychain, key generation,
// CSR, encrypted store write) against `openssl req -new -newkey rsa:2048 -nodes` with the same profile.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const title = 'certdesk request new (whole process)';

export async function run(ctx) {
  // Key generation time is random on both sides (prime search): compare medians over 31 runs each.
  const runs = ctx.quick ? 5 : 31;
  const cli = join(ctx.root, 'bin', 'certdesk.js');
  const store = join(ctx.tmp, 'store');
  const csrFile = (i) => join(ctx.tmp, `certdesk-${i}.csr`);
  ctx.log(`certdesk request new x${runs} (+1 warm-up that also creates the store and its keychain entry)`);
  const certdesk = await ctx.measureProcess(
    process.execPath,
    (i) => [cli, '--store', store, '--json', 'request', 'new', '--subject', `rp${i}.contoso.com`, '--san', `meet${i}.contoso.com`, '--out', csrFile(i)],
    { runs, warmup: 1, check: (r) => JSON.parse(r.stdout).status === 'pending' },
  );
  // The bench measures real output: the last CSR must be one OpenSSL accepts.
  const verify = spawnSync('openssl', ['req', '-in', csrFile(runs), '-noout', '-verify'], { encoding: 'utf8' });
  if (verify.status !== 0) throw new Error(`the CSR certdesk wrote does not verify: ${verify.stderr.trim()}`);

  ctx.log(`openssl req -new -newkey rsa:2048 x${runs}`);
  const openssl = await ctx.measureProcess(
    'openssl',
    (i) => [
      'req', '-new', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', join(ctx.tmp, `o-${i}.key`), '-out', join(ctx.tmp, `o-${i}.csr`),
      '-subj', `/CN=rp${i}.contoso.com`,
      '-addext', `subjectAltName=DNS:rp${i}.contoso.com,DNS:meet${i}.contoso.com`,
      '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment',
      '-addext', 'extendedKeyUsage=serverAuth,clientAuth',
    ],
    { runs, warmup: 1 },
  );

  ctx.log('process start-up: certdesk --version vs openssl version');
  const startCli = await ctx.measureProcess(process.execPath, [cli, '--version'], { runs, warmup: 1 });
  const startOpenssl = await ctx.measureProcess('openssl', ['version'], { runs, warmup: 1 });
  return [
    {
      label: 'request new, RSA 2048',
      ms: certdesk.median,
      baseline: { label: 'openssl req -newkey rsa:2048', ms: openssl.median },
      rssMb: certdesk.rssMb,
      baselineRssMb: openssl.rssMb,
      goal: '<= 1.5x',
      met: certdesk.median / openssl.median <= 1.5,
      note: `medians of ${runs} runs each, ${certdesk.min.toFixed(0)}-${certdesk.max.toFixed(0)} ms; 2 SANs; key encrypted into the store`,
    },
    {
      label: 'process start-up only',
      ms: startCli.median,
      baseline: { label: 'openssl version', ms: startOpenssl.median },
      rssMb: startCli.rssMb,
      baselineRssMb: startOpenssl.rssMb,
      note: 'the fixed cost of starting Node vs a C binary',
    },
  ];
}
