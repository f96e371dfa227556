#!/usr/bin/env node
// Scale fixture: `node scripts/bench/make-store.mjs DIR N` builds a Certdesk store with N requests in
// DIR (created; it must not hold a store yet), for LISTING benchmarks only (`request list`, `expiry`,
// the Requests and expiry views).
//
// How the records are made, honestly:
// - store.json, README.txt and requests/<id>/request.json are written in the exact format the store
//   writes (schema version 1, validated by the same record schema when Certdesk reads them).
// - No key is generated and no CSR is built: listing reads request.json only, and N real RSA keys
//   would take minutes. request.csr and key.enc are therefore ABSENT, publicKeySha256 and csrSha256
//   are random hex, and `request show`, `csr`, `export` on these requests report them as damaged.
//   Never use such a store for anything but listing.
// - The content is realistic in size and shape: Lync/Skype edge and reverse-proxy names with 2-12
//   SANs, friendly names and descriptions, the findings and history a real request carries; about
//   60% are issued, exported or deployed with a certificate summary (notAfter spread over the next
//   two years, some expired), so `expiry` has work to do.
// - Files are written with plain writeFile (no fsync): durability is not what this fixture is for,
//   and fsyncing 3 N files would make building a 10,000-request store take minutes.
// It is a bench module's helper, not a bench row, so scripts/bench.mjs skips it (it exports no run()).
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const base32 = (n, width) => {
  let s = '';
  for (let i = 0; i < width; i++) {
    s = ALPHABET[n % 32] + s;
    n = Math.floor(n / 32);
  }
  return s;
};
const hex = (bytes) => randomBytes(bytes).toString('hex');
const pick = (arr, i) => arr[i % arr.length];

const SITES = ['contoso', 'fabrikam', 'northwind', 'adatum', 'litware', 'tailspin', 'wingtip', 'woodgrove'];
const ROLES = ['webext', 'lyncext', 'sip', 'access', 'webconf', 'av', 'rp', 'owa'];
const SIMPLE = ['meet', 'dialin', 'lyncdiscover', 'scheduler', 'lyncweb', 'office-webapps'];
const STATUSES = ['pending', 'pending', 'issued', 'issued', 'exported', 'deployed', 'deployed', 'revoked', 'issued', 'pending'];

/** One request record as the store writes it; `i` makes names and ids unique and deterministic. */
function record(i, base) {
  const site = pick(SITES, i);
  const domain = `${site}${Math.floor(i / SITES.length) % 50}.com`;
  const cn = `${pick(ROLES, i >> 3)}${i}.${domain}`;
  const sanCount = 2 + (i % 11);
  const sans = [cn, ...Array.from({ length: sanCount - 1 }, (_, k) => `${pick(SIMPLE, k + i)}${k}.${domain}`)];
  const created = new Date(base.getTime() + i * 60_000);
  // Ids are yyyymmdd- + 4 chars of second-of-day + 4 chars unique here (the store's format).
  const day = created.toISOString().slice(0, 10).replaceAll('-', '');
  const sod = created.getUTCHours() * 3600 + created.getUTCMinutes() * 60 + created.getUTCSeconds();
  const id = `${day}-${base32(sod, 4)}${base32(i % 32 ** 4, 4)}`;
  const at = created.toISOString();
  const status = pick(STATUSES, i);
  const dn = `CN=${cn}, OU=IT, O=${site[0].toUpperCase()}${site.slice(1)} Ltd, L=Taipei, C=TW`;
  const r = {
    schemaVersion: 1,
    id,
    friendlyName: `${site} ${pick(ROLES, i >> 3)} ${2024 + (i % 3)}`,
    description: `Reverse proxy certificate for the ${site} Skype for Business pool, request ${i}`,
    subject: cn,
    subjectFields: { commonName: cn, organizationalUnit: 'IT', organization: `${site[0].toUpperCase()}${site.slice(1)} Ltd`, locality: 'Taipei', country: 'TW' },
    distinguishedName: dn,
    sans,
    keyAlgorithm: 'RSA',
    keySize: i % 5 === 0 ? 4096 : 2048,
    exportable: true,
    keySpec: 'exchange',
    windowsAttributes: true,
    status,
    createdAt: at,
    updatedAt: at,
    publicKeySha256: hex(32),
    csrSha256: hex(32),
    findings: i % 4 === 0 ? [{ code: 'NAME_CN_ADDED_TO_SAN', severity: 'info', message: `The CN ${cn} was added to the SAN list.`, subject: cn }] : [],
    history: [
      { at, event: 'key-generated', detail: `RSA 2048-bit key generated (exportable); public key SHA-256 ${hex(32)}` },
      { at, event: 'csr-created', detail: `CSR created for ${dn} with ${sans.length} DNS names (${sans.join(', ')}); with the Microsoft enrollment attribute (key type Exchange, SChannel CSP)` },
    ],
  };
  if (status !== 'pending') {
    // notAfter from 30 days ago to two years ahead of the base date.
    const notAfter = new Date(Date.now() + (((i * 7919) % 760) - 30) * 86_400_000);
    const notBefore = new Date(notAfter.getTime() - 397 * 86_400_000);
    r.certificate = {
      subject: `CN=${cn}`,
      issuer: `CN=${site} Issuing CA 01, DC=${site}, DC=com`,
      serialNumber: hex(16).toUpperCase(),
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
      thumbprint: hex(20).toUpperCase(),
      sha256: hex(32),
      keyAlgorithm: `RSA ${r.keySize}`,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      sans,
      importedAt: at,
    };
    r.history.push({ at, event: 'certificate-imported', detail: `certificate ${r.certificate.thumbprint} imported` });
  }
  if (status === 'exported' || status === 'deployed') {
    r.exports = [
      {
        n: 1,
        at,
        profile: 'modern',
        iterations: 600000,
        includeRoot: false,
        path: `/media/usb/${site}/${cn}.pfx`,
        sha256: hex(32),
        thumbprint: r.certificate.thumbprint,
        passwordSource: 'generated',
      },
    ];
  }
  return r;
}

/** Builds the store; returns the ids in creation order. */
export function makeStore(dir, n) {
  const abs = resolve(dir);
  if (existsSync(join(abs, 'store.json'))) throw new Error(`${abs} already holds a store`);
  mkdirSync(join(abs, 'requests'), { recursive: true, mode: 0o700 });
  const now = new Date();
  writeFileSync(join(abs, 'store.json'), `${JSON.stringify({ schemaVersion: 1, storeId: randomUUID(), createdAt: now.toISOString() }, null, 2)}\n`, { mode: 0o600 });
  writeFileSync(join(abs, 'README.txt'), 'Certdesk store built by scripts/bench/make-store.mjs for listing benchmarks only (no keys, no CSRs).\n', { mode: 0o600 });
  const base = new Date(Date.UTC(2025, 0, 1));
  const ids = [];
  for (let i = 0; i < n; i++) {
    const r = record(i, base);
    const rd = join(abs, 'requests', r.id);
    mkdirSync(rd, { mode: 0o700 });
    writeFileSync(join(rd, 'request.json'), `${JSON.stringify(r, null, 2)}\n`, { mode: 0o600 });
    ids.push(r.id);
  }
  return ids;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, nText] = process.argv.slice(2);
  const n = Number(nText);
  if (!dir || !Number.isInteger(n) || n < 0 || n > 1_000_000) {
    process.stderr.write('usage: node scripts/bench/make-store.mjs DIR N   (N requests, for listing benchmarks only)\n');
    process.exit(2);
  }
  try {
    const t = performance.now();
    makeStore(dir, n);
    process.stderr.write(`${n} requests written to ${resolve(dir)} in ${((performance.now() - t) / 1000).toFixed(1)} s (listing fixture: no keys, no CSRs)\n`);
  } catch (e) {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
