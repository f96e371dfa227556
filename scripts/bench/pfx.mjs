// PFX export (legacy and modern profiles) and CA-answer import, against openssl doing the same job
// with matching algorithms, in the same run. Two views: the in-process operation (what the app's UI
// waits for) and the whole `certdesk` process (what an admin at the CLI waits for). The openssl rows
// are whole processes, so in-process ratios carry openssl's start-up (see "process start-up only" in
// the request-new bench).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const title = 'PFX export and answer import';

function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

/** A root + intermediate CA with openssl, and a leaf for `csrPath` with the reverse-proxy profile. */
export function makeAnswer(tmp, csrPath) {
  const p = (n) => join(tmp, n);
  writeFileSync(p('ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n');
  writeFileSync(
    p('leaf.ext'),
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:webext.contoso.com,DNS:meet.contoso.com\n',
  );
  sh('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('root.key'), '-subj', '/CN=Bench Root', '-days', '30', '-out', p('root.pem'), '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  sh('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('inter.key'), '-subj', '/CN=Bench Issuing CA', '-out', p('inter.csr')]);
  sh('openssl', ['x509', '-req', '-in', p('inter.csr'), '-CA', p('root.pem'), '-CAkey', p('root.key'), '-CAcreateserial', '-days', '30', '-extfile', p('ca.ext'), '-out', p('inter.pem')]);
  sh('openssl', ['x509', '-req', '-in', csrPath, '-CA', p('inter.pem'), '-CAkey', p('inter.key'), '-CAcreateserial', '-days', '30', '-extfile', p('leaf.ext'), '-out', p('leaf.pem')]);
  sh('openssl', ['crl2pkcs7', '-nocrl', '-certfile', p('leaf.pem'), '-certfile', p('inter.pem'), '-certfile', p('root.pem'), '-outform', 'DER', '-out', p('answer.p7b')]);
}

/** Worst event-loop stall while `fn` runs (a 5 ms interval probe). */
async function worstLag(fn) {
  let worst = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const t = performance.now();
    worst = Math.max(worst, t - last - 5);
    last = t;
  }, 5);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  return worst;
}

export async function run(ctx) {
  const runs = ctx.quick ? 3 : 7;
  const p = (n) => join(ctx.tmp, n);
  const { createPfx } = ctx.require(join(ctx.dist, 'pki', 'pkcs12.js'));
  const { parsePfx } = ctx.require(join(ctx.dist, 'pki', 'pkcs12-parse.js'));
  const { parseCertificateFile } = ctx.require(join(ctx.dist, 'pki', 'certificate-file.js'));
  const { buildChain } = ctx.require(join(ctx.dist, 'pki', 'chain.js'));
  const cli = join(ctx.root, 'bin', 'certdesk.js');
  const store = p('store');

  ctx.log('set-up: a request through the CLI, signed by an openssl CA, imported');
  const record = JSON.parse(sh(process.execPath, [cli, '--store', store, '--json', 'request', 'new', '--subject', 'webext.contoso.com', '--san', 'meet.contoso.com', '--friendly-name', 'Bench', '--out', p('req.csr')]));
  makeAnswer(ctx.tmp, p('req.csr'));
  sh(process.execPath, [cli, '--store', store, 'import', p('answer.p7b')]);
  const password = 'Bench-Password-2024';
  writeFileSync(p('pw'), `${password}\n`);
  // The same key in clear for openssl and the in-process runs, taken from a PFX certdesk exported.
  sh(process.execPath, [cli, '--store', store, 'export', record.id, '--out', p('seed.pfx'), '--password-file', p('pw')]);
  sh('openssl', ['pkcs12', '-in', p('seed.pfx'), '-nocerts', '-nodes', '-passin', `file:${p('pw')}`, '-out', p('key.pem')]);
  const keyPem = readFileSync(p('key.pem'), 'utf8').replace(/^[\s\S]*?(-----BEGIN PRIVATE KEY-----)/, '$1');
  const der = (f) => Buffer.from(readFileSync(p(f), 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const content = { privateKeyPem: keyPem, certificate: der('leaf.pem'), caCertificates: [der('inter.pem')], friendlyName: 'Bench' };

  const profiles = {
    legacy: { iterations: 2048, openssl: ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1', '-iter', '2048'] },
    modern: { iterations: 10000, openssl: ['-keypbe', 'AES-256-CBC', '-certpbe', 'AES-256-CBC', '-macalg', 'sha256', '-iter', '10000'] },
  };
  const rows = [];
  for (const [profile, spec] of Object.entries(profiles)) {
    ctx.log(`${profile}: in-process createPfx x${runs}, openssl pkcs12 -export x${runs}, certdesk export (process) x${runs}`);
    const ours = await ctx.measure(() => createPfx(content, { profile, password, iterations: spec.iterations }), { runs, warmup: 1 });
    const theirs = await ctx.measureProcess(
      'openssl',
      (i) => ['pkcs12', '-export', '-inkey', p('key.pem'), '-in', p('leaf.pem'), '-certfile', p('inter.pem'), '-name', 'Bench', '-CSP', 'Microsoft RSA SChannel Cryptographic Provider', ...spec.openssl, '-passout', `file:${p('pw')}`, '-out', p(`o-${profile}-${i}.pfx`)],
      { runs, warmup: 1 },
    );
    const whole = await ctx.measureProcess(
      process.execPath,
      (i) => [cli, '--store', store, '--json', 'export', record.id, '--out', p(`c-${profile}-${i}.pfx`), '--profile', profile, '--password-file', p('pw')],
      { runs, warmup: 1, check: (r) => JSON.parse(r.stdout).profile === profile },
    );
    // Proof the measured files are the real thing: openssl reads ours with the algorithms named.
    const info = sh('openssl', ['pkcs12', '-in', p(`c-${profile}-${runs}.pfx`), '-info', '-nokeys', '-passin', `file:${p('pw')}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    const pfx = readFileSync(p(`c-${profile}-${runs}.pfx`));
    if (!info.includes('BEGIN CERTIFICATE')) throw new Error(`openssl cannot read the ${profile} PFX`);
    const readBack = await ctx.measure(() => parsePfx(pfx, password), { runs, warmup: 1 });
    const opensslRead = await ctx.measureProcess('openssl', ['pkcs12', '-in', p(`c-${profile}-${runs}.pfx`), '-nodes', '-passin', `file:${p('pw')}`, '-out', p('read.pem')], { runs, warmup: 1 });
    rows.push(
      { label: `PFX ${profile}, build in-process`, ms: ours.median, baseline: { label: `openssl pkcs12 -export (${profile} algs)`, ms: theirs.median }, baselineRssMb: theirs.rssMb, note: `${spec.iterations} iterations` },
      { label: `PFX ${profile}, certdesk export (process)`, ms: whole.median, baseline: { label: `openssl pkcs12 -export (${profile} algs)`, ms: theirs.median }, rssMb: whole.rssMb, baselineRssMb: theirs.rssMb, note: 'includes keychain, store lock, write, read-back check' },
      { label: `PFX ${profile}, read back in-process`, ms: readBack.median, baseline: { label: 'openssl pkcs12 -nodes', ms: opensslRead.median }, note: 'MAC check + decrypt' },
    );
  }

  ctx.log('answer import: parse a 3-certificate .p7b and build/verify the chain');
  const p7b = readFileSync(p('answer.p7b'));
  const parse = await ctx.measure(
    () => {
      const [leaf, ...rest] = parseCertificateFile(p7b);
      buildChain(leaf, rest.map((certificate) => ({ certificate, source: 'answer' })));
    },
    { runs: runs * 3, warmup: 3 },
  );
  const opensslParse = await ctx.measureProcess('openssl', ['pkcs7', '-inform', 'DER', '-in', p('answer.p7b'), '-print_certs', '-out', p('certs.pem')], { runs, warmup: 1 });
  const opensslVerify = await ctx.measureProcess('openssl', ['verify', '-CAfile', p('root.pem'), '-untrusted', p('inter.pem'), p('leaf.pem')], { runs, warmup: 1 });
  const wholeImport = await ctx.measureProcess(process.execPath, [cli, '--store', store, '--json', 'import', p('answer.p7b')], {
    runs,
    warmup: 1,
    check: (r) => JSON.parse(r.stdout).alreadyImported === true,
  });
  rows.push(
    { label: 'answer .p7b: parse + chain, in-process', ms: parse.median, baseline: { label: 'openssl pkcs7 -print_certs', ms: opensslParse.median }, note: 'every signature verified' },
    { label: 'certdesk import .p7b (process)', ms: wholeImport.median, baseline: { label: 'openssl verify (chain)', ms: opensslVerify.median }, rssMb: wholeImport.rssMb, baselineRssMb: opensslVerify.rssMb, note: 'already imported: parse, match, chain, report' },
  );

  ctx.log('event-loop lag while building a modern PFX at 600,000 iterations');
  let heavyMs = 0;
  const lag = await worstLag(async () => {
    const t = performance.now();
    await createPfx(content, { profile: 'modern', password, iterations: 600_000 });
    heavyMs = performance.now() - t;
  });
  rows.push({ label: 'PFX modern @600k iterations', ms: heavyMs, note: `worst event-loop stall ${lag.toFixed(0)} ms (the app stays responsive)` });
  return rows;
}
