import { Worker } from 'node:worker_threads';

/**
 * Runs node-forge's PKCS#12 parser (`pkcs12.pkcs12FromAsn1`) in a worker thread and returns its bags
 * as plain data. Forge derives keys in pure JavaScript: a PFX with 600,000 iterations takes it 5-15 s
 * of CPU, which must not freeze the app's main process, so the parse runs beside it.
 *
 * The worker is started from source text (`eval`) rather than a file: the same code then runs from
 * `dist/main` (CommonJS), from the packaged app and under Vitest, which cannot start a worker from a
 * TypeScript file. The text is deliberately small: it only calls forge and copies bytes out; every
 * decision (which key, which certificate, what is an error) is taken by pfx-read.ts in typed code.
 */

/** One bag attribute set as forge decodes it (only the attributes Windows reads). */
export interface ForgeBagAttributes {
  friendlyName: string[];
  /** Lowercase hex. */
  localKeyId: string[];
  /** Microsoft CSP name (1.3.6.1.4.1.311.17.1). */
  cspName: string[];
}

/** What forge found in a PFX. */
export interface ForgePfx {
  /** PKCS#8 PrivateKeyInfo DER of every key bag (shrouded or plain). */
  keys: { pkcs8Der: Uint8Array; attributes: ForgeBagAttributes }[];
  /** X.509 certificate DER of every certificate bag. */
  certificates: { der: Uint8Array; attributes: ForgeBagAttributes }[];
  /** How the password was given to forge: '' (BMPString of nothing plus its terminator) or none at all. */
  passwordForm: 'text' | 'empty' | 'absent';
}

/** Why forge could not read it: `mac` (MAC did not verify), `decrypt` (a bag would not decrypt), `format` (not PKCS#12 or unsupported). */
export type ForgeFailure = { kind: 'mac' | 'decrypt' | 'format'; message: string };

const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const forge = require(workerData.forgePath);
// Windows reads the CSP name attribute; forge skips attributes whose OID it does not know.
forge.pki.oids['1.3.6.1.4.1.311.17.1'] = 'msCspName';
forge.pki.oids.msCspName = '1.3.6.1.4.1.311.17.1';
// PBES2 (RFC 8018) takes the password as UTF-8 octets, as OpenSSL and Windows do; forge hands its
// JavaScript string to PBKDF2 as if every UTF-16 unit were one octet. This worker's forge is its own
// module instance, so the fix cannot leak into any other code.
const pbkdf2 = forge.pkcs5.pbkdf2;
forge.pkcs5.pbkdf2 = function (p, ...rest) { return pbkdf2.call(this, forge.util.encodeUtf8(p), ...rest); };

function bytesOf(binary) { return Uint8Array.from(Buffer.from(binary, 'binary')); }
function attrs(a) {
  return {
    friendlyName: (a.friendlyName || []).map(String),
    localKeyId: (a.localKeyId || []).map((v) => Buffer.from(v, 'binary').toString('hex')),
    cspName: (a.msCspName || []).map(String),
  };
}
function parse(der, password, withMac) {
  const top = forge.asn1.fromDer(der, { strict: false, parseAllBytes: true, decodeBitStrings: false });
  // Without the MAC: only to tell a damaged MAC from a wrong password (the bags then decrypt fine).
  if (!withMac && Array.isArray(top.value)) top.value = top.value.slice(0, 2);
  return forge.pkcs12.pkcs12FromAsn1(top, false, password);
}
function run(der, password, withMac) {
  const p12 = parse(der, password, withMac);
  const out = { keys: [], certificates: [] };
  for (const safe of p12.safeContents) {
    for (const bag of safe.safeBags) {
      if (bag.type === forge.pki.oids.pkcs8ShroudedKeyBag || bag.type === forge.pki.oids.keyBag) {
        const info = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1;
        out.keys.push({ pkcs8Der: bytesOf(forge.asn1.toDer(info).getBytes()), attributes: attrs(bag.attributes) });
      } else if (bag.type === forge.pki.oids.certBag) {
        const asn = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
        out.certificates.push({ der: bytesOf(forge.asn1.toDer(asn).getBytes()), attributes: attrs(bag.attributes) });
      }
    }
  }
  return out;
}
function classify(e) {
  const m = String(e && e.message || e);
  if (/MAC could not be verified/.test(m)) return { kind: 'mac', message: m };
  if (/decrypt|wrong password|Invalid password|padding/i.test(m)) return { kind: 'decrypt', message: m };
  return { kind: 'format', message: m };
}
const der = Buffer.from(workerData.pfx).toString('binary');
const tries = workerData.password === '' ? [['empty', ''], ['absent', null]] : [['text', workerData.password]];
let failure = null;
for (const [form, password] of tries) {
  try {
    const out = run(der, password, true);
    out.passwordForm = form;
    parentPort.postMessage({ ok: true, value: out });
    failure = null;
    break;
  } catch (e) {
    failure = classify(e);
    if (failure.kind !== 'mac') break;
  }
}
if (failure && failure.kind === 'mac') {
  // Does the password open the bags although the MAC fails? Then the MAC (or the data it covers) is damaged.
  try {
    run(der, tries[0][1], false);
    failure = { kind: 'mac-damaged', message: failure.message };
  } catch {
    // Garbage out of a wrong key fails in any number of ways: it stays a wrong password.
  }
}
if (failure) parentPort.postMessage({ ok: false, failure });
`;

/** Hang guard: far beyond a 600,000-iteration file on a slow machine. */
const WORKER_TIMEOUT_MS = 180_000;

/** Forge's outcome: the bags, or why not (`mac-damaged`: the password opens the bags but the MAC fails). */
export type ForgeOutcome = { ok: true; value: ForgePfx } | { ok: false; failure: { kind: ForgeFailure['kind'] | 'mac-damaged'; message: string } };

/** Parses `pfx` with node-forge in a worker thread. Never throws for a bad file: the outcome says why. */
export function parsePfxWithForge(pfx: Uint8Array, password: string): Promise<ForgeOutcome> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { pfx, password, forgePath: require.resolve('node-forge') },
      // A hostile file cannot make forge eat the main process's memory.
      resourceLimits: { maxOldGenerationSizeMb: 256 },
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const timer = setTimeout(() => {
      settle(() => reject(new Error('the PFX reader did not finish in time')));
      void worker.terminate();
    }, WORKER_TIMEOUT_MS);
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    worker.once('message', (m: ForgeOutcome) => settle(() => resolve(m)));
    worker.once('error', (e) => settle(() => resolve({ ok: false, failure: { kind: 'format', message: e.message } })));
    worker.once('exit', (code) => settle(() => reject(new Error(`the PFX reader stopped unexpectedly (exit ${code})`))));
  });
}
