/**
 * A real OpenSSL certificate authority in a temp folder, for tests that need a CA's answer to one of
 * our CSRs: a root and an intermediate (RSA 2048, or ECDSA P-384 root + P-256 intermediate), and a
 * `sign` that issues a leaf with chosen SANs, EKU, key usage and validity through `openssl ca`.
 *
 *   const ca = createTestCa('rsa');
 *   const leaf = ca.sign(csrPem, { sans: ['webext.contoso.com', 'meet.contoso.com'] });
 *   writeFileSync(p, ca.bundle(leaf, { order: 'root-first' }));     // PEM bundle, any order
 *   writeFileSync(p, ca.p7b(leaf, { format: 'der' }));              // certs-only PKCS#7
 *   ...
 *   ca.cleanup();
 *
 * Everything is synchronous (execFileSync): the CA is test scaffolding, not code under test.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A CA certificate of the test CA, with its files. */
export interface TestCaCert {
  subject: string;
  pem: string;
  der: Uint8Array;
  certPath: string;
  keyPath: string;
}

/** A certificate the test CA issued. */
export interface IssuedCert {
  pem: string;
  der: Uint8Array;
  /** The PEM file. */
  path: string;
}

/** How to issue a leaf; every field has a default matching the Certdesk request profile. */
export interface SignOptions {
  /** dNSName SANs; default: no SAN extension at all when `[]`, else the given list. Default ['webext.contoso.com']. */
  sans?: string[];
  /** EKU names as openssl spells them; default ['serverAuth', 'clientAuth']. Empty: no EKU extension. */
  eku?: string[];
  /** Key usage; default ['digitalSignature', 'keyEncipherment'] (critical). Empty: no KU extension. */
  keyUsage?: string[];
  /** Validity in days from now; default 90. Ignored when `startDate`/`endDate` are set. */
  days?: number;
  /** Explicit validity, e.g. an expired certificate: new Date('2020-01-01'). */
  startDate?: Date;
  endDate?: Date;
  /** Subject override in openssl form `/CN=x/O=y`; default: the CSR's subject. */
  subject?: string;
  /** Sign with the root instead of the intermediate. */
  issuer?: 'intermediate' | 'root';
}

/** A temporary two-level CA. */
export interface TestCa {
  kind: 'rsa' | 'ecdsa';
  dir: string;
  root: TestCaCert;
  intermediate: TestCaCert;
  /** Issues a leaf for a CSR (PEM text or DER bytes). */
  sign(csr: string | Uint8Array, opts?: SignOptions): IssuedCert;
  /** PEM text of the leaf plus the CA certificates in the chosen order. */
  bundle(leaf: IssuedCert, opts?: { order?: 'leaf-first' | 'root-first' | 'shuffled'; includeRoot?: boolean }): string;
  /** A certs-only PKCS#7 of leaf + intermediate (+ root), made by `openssl crl2pkcs7 -nocrl`. */
  p7b(leaf: IssuedCert, opts?: { format?: 'der' | 'pem'; includeRoot?: boolean }): Uint8Array;
  /** Removes the temp folder. */
  cleanup(): void;
}

function openssl(args: string[]): Buffer {
  return execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

function pemToDer(pem: string): Uint8Array {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

function opensslTime(d: Date): string {
  return `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

function genKey(kind: 'rsa' | 'ecdsa', path: string, curve: 'P-384' | 'P-256'): void {
  if (kind === 'rsa') openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', path]);
  else openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', path]);
}

function caConfig(dir: string, name: string): string {
  return `[ ca ]
default_ca = ${name}
[ ${name} ]
dir = ${dir}
database = ${join(dir, `${name}.index`)}
serial = ${join(dir, `${name}.serial`)}
new_certs_dir = ${join(dir, 'issued')}
certificate = ${join(dir, `${name}.pem`)}
private_key = ${join(dir, `${name}.key`)}
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
[ policy_any ]
commonName = optional
organizationName = optional
organizationalUnitName = optional
countryName = optional
stateOrProvinceName = optional
localityName = optional
[ req ]
distinguished_name = dn
[ dn ]
[ v3_root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_intermediate ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
`;
}

function leafExtensions(o: SignOptions): string {
  const lines = ['[ leaf ]', 'basicConstraints = CA:FALSE', 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid:always'];
  const ku = o.keyUsage ?? ['digitalSignature', 'keyEncipherment'];
  if (ku.length > 0) lines.push(`keyUsage = critical, ${ku.join(', ')}`);
  const eku = o.eku ?? ['serverAuth', 'clientAuth'];
  if (eku.length > 0) lines.push(`extendedKeyUsage = ${eku.join(', ')}`);
  const sans = o.sans ?? ['webext.contoso.com'];
  if (sans.length > 0) lines.push(`subjectAltName = ${sans.map((s) => `DNS:${s}`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** Creates the CA (root + intermediate) in a fresh temp folder. */
export function createTestCa(kind: 'rsa' | 'ecdsa', label = kind === 'rsa' ? 'RSA' : 'ECDSA'): TestCa {
  const dir = mkdtempSync(join(tmpdir(), `certdesk-ca-${kind}-`));
  execFileSync('mkdir', ['-p', join(dir, 'issued')]);
  for (const n of ['root', 'intermediate']) {
    writeFileSync(join(dir, `${n}.index`), '');
    writeFileSync(join(dir, `${n}.serial`), '1000\n');
  }
  const cnf = (n: string): string => {
    const p = join(dir, `${n}.cnf`);
    writeFileSync(p, caConfig(dir, n));
    return p;
  };
  const rootCnf = cnf('root');
  const interCnf = cnf('intermediate');

  const rootKey = join(dir, 'root.key');
  const rootPem = join(dir, 'root.pem');
  const rootSubject = `/O=Certdesk Tests/CN=Certdesk Test ${label} Root CA`;
  genKey(kind, rootKey, 'P-384');
  openssl(['req', '-config', rootCnf, '-x509', '-new', '-key', rootKey, '-subj', rootSubject, '-days', '3650', '-sha256', '-extensions', 'v3_root', '-out', rootPem]);

  const interKey = join(dir, 'intermediate.key');
  const interPem = join(dir, 'intermediate.pem');
  const interSubject = `/O=Certdesk Tests/CN=Certdesk Test ${label} Issuing CA`;
  genKey(kind, interKey, 'P-256');
  const interCsr = join(dir, 'intermediate.csr');
  openssl(['req', '-config', interCnf, '-new', '-key', interKey, '-subj', interSubject, '-out', interCsr]);
  openssl(['ca', '-batch', '-config', rootCnf, '-rand_serial', '-notext', '-preserveDN', '-days', '1825', '-extensions', 'v3_intermediate', '-extfile', rootCnf, '-in', interCsr, '-out', interPem]);

  const caCert = (subject: string, certPath: string, keyPath: string): TestCaCert => {
    const pem = readFileSync(certPath, 'utf8');
    return { subject, pem, der: pemToDer(pem), certPath, keyPath };
  };
  const root = caCert(rootSubject, rootPem, rootKey);
  const intermediate = caCert(interSubject, interPem, interKey);
  let counter = 0;

  return {
    kind,
    dir,
    root,
    intermediate,
    sign(csr, opts = {}) {
      const n = ++counter;
      const csrPath = join(dir, `leaf-${n}.csr`);
      writeFileSync(csrPath, csr);
      const inform = typeof csr === 'string' ? 'PEM' : 'DER';
      const pemCsr = join(dir, `leaf-${n}.req.pem`);
      openssl(['req', '-inform', inform, '-in', csrPath, '-out', pemCsr]);
      const ext = join(dir, `leaf-${n}.ext`);
      writeFileSync(ext, leafExtensions(opts));
      const out = join(dir, `leaf-${n}.pem`);
      const useRoot = opts.issuer === 'root';
      const args = ['ca', '-batch', '-config', useRoot ? rootCnf : interCnf, '-rand_serial', '-notext', '-preserveDN', '-extfile', ext, '-extensions', 'leaf', '-in', pemCsr, '-out', out];
      if (opts.startDate || opts.endDate) {
        const start = opts.startDate ?? new Date(Date.now() - 86_400_000);
        const end = opts.endDate ?? new Date(start.getTime() + 90 * 86_400_000);
        args.push('-startdate', opensslTime(start), '-enddate', opensslTime(end));
      } else {
        args.push('-days', String(opts.days ?? 90));
      }
      if (opts.subject) args.push('-subj', opts.subject);
      openssl(args);
      const pem = readFileSync(out, 'utf8').replace(/^[\s\S]*?(-----BEGIN CERTIFICATE-----)/, '$1');
      return { pem, der: pemToDer(pem), path: out };
    },
    bundle(leaf, opts = {}) {
      const cas = [intermediate.pem, ...(opts.includeRoot === false ? [] : [root.pem])];
      const order = opts.order ?? 'leaf-first';
      if (order === 'leaf-first') return [leaf.pem, ...cas].join('');
      if (order === 'root-first') return [...cas].reverse().concat(leaf.pem).join('');
      // A fixed "shuffle" (intermediate, leaf, root) keeps tests deterministic.
      return [cas[0], leaf.pem, ...cas.slice(1)].join('');
    },
    p7b(leaf, opts = {}) {
      const args = ['crl2pkcs7', '-nocrl', '-certfile', leaf.path, '-certfile', intermediate.certPath];
      if (opts.includeRoot !== false) args.push('-certfile', root.certPath);
      args.push('-outform', opts.format === 'pem' ? 'PEM' : 'DER');
      return new Uint8Array(openssl(args));
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
