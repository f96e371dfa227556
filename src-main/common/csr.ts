import { escapeUntrusted } from './escape.js';
import type { Finding } from './findings.js';

/*
 * The decoded view of any PKCS#10 request, as plain data: what `certdesk csr decode`, `request show`
 * and the UI display. Produced by parseCsr in src-main/pki/csr-decode.ts; rendered here so the
 * renderer can show the same text without Node.
 */

/** One subject attribute, in the order the CSR encodes it. */
export interface CsrNameAttribute {
  oid: string;
  /** Short name such as CN, O, OU, C; null when the OID is not a known one. */
  shortName: string | null;
  /** The text value; non-text values are shown as `#` + hex (RFC 4514). */
  value: string;
}

/** GeneralName kinds of RFC 5280 4.2.1.6. */
export type GeneralNameType = 'dns' | 'ip' | 'email' | 'uri' | 'directoryName' | 'otherName' | 'registeredId' | 'x400Address' | 'ediPartyName';

/** One subject alternative name. */
export interface CsrGeneralName {
  type: GeneralNameType;
  /** DNS name, IP text, address, URI; otherName as `UPN=...` or `<oid>=#hex`. */
  value: string;
}

/** The requested public key. */
export interface CsrPublicKey {
  /** `RSA`, `EC`, `Ed25519`, `Ed448`, `RSASSA-PSS`, `DSA`, ... or the OID when unknown. */
  algorithm: string;
  oid: string;
  /** Key size in bits (RSA modulus, EC field size, 256 for Ed25519); null when unknown. */
  bits: number | null;
  /** EC curve name (e.g. `P-256`) or its OID; null for non-EC keys. */
  curve: string | null;
  /** RSA public exponent; null for non-RSA keys or an exponent too large to show. */
  exponent: number | null;
}

/** The CSR's self-signature. */
export interface CsrSignature {
  /** e.g. `sha256WithRSAEncryption`, `ecdsa-with-SHA256`, `RSASSA-PSS`, or the OID. */
  algorithm: string;
  oid: string;
  /** true: it verifies with the CSR's own key; false: it does not; null: could not be checked. */
  valid: boolean | null;
  /** Why it could not be checked, or other remarks; null when there is nothing to say. */
  note: string | null;
}

/** One requested extension (from the extensionRequest attribute). */
export interface CsrExtension {
  oid: string;
  /** e.g. `Key Usage`; null when unknown. */
  name: string | null;
  critical: boolean;
  /** The decoded value, one display line per item (unknown extensions: their length). */
  values: string[];
}

/** Microsoft enrollment CSP attribute (1.3.6.1.4.1.311.13.2.2). */
export interface MsEnrollmentCsp {
  /** 1 = AT_KEYEXCHANGE ("Exchange"), 2 = AT_SIGNATURE. */
  keySpec: number;
  /** `exchange`, `signature`, or `unknown`. */
  keySpecName: 'exchange' | 'signature' | 'unknown';
  cspName: string;
  /** Length in bytes of the CSP signature (certreq writes an empty one). */
  signatureBytes: number;
}

/** Microsoft client info attribute (1.3.6.1.4.1.311.21.20). */
export interface MsClientInfo {
  clientId: number;
  machine: string;
  user: string;
  process: string;
}

/** The Microsoft attributes certreq and the MMC add. */
export interface MsAttributes {
  /** 1.3.6.1.4.1.311.13.2.3, e.g. `6.3.9600.2`. */
  osVersion: string | null;
  clientInfo: MsClientInfo | null;
  enrollmentCsp: MsEnrollmentCsp | null;
  /** 1.3.6.1.4.1.311.13.2.1 name-value pairs (e.g. `CertificateTemplate`). */
  nameValuePairs: { name: string; value: string }[];
}

/** One request attribute as listed (values summarised; a challenge password is never shown). */
export interface CsrAttribute {
  oid: string;
  name: string | null;
  values: string[];
}

/** Everything Certdesk reads from a PKCS#10 request. */
export interface DecodedCsr {
  /** The PKCS#10 version field plus one, as certutil shows it (always 1 for v1 requests). */
  version: number;
  subject: CsrNameAttribute[];
  /** RFC 4514-style, most specific first, e.g. `CN=webext.contoso.com, O=Contoso, C=US`. */
  subjectDn: string;
  /** The (last) CN, or null when the subject has none. */
  commonName: string | null;
  subjectAltNames: CsrGeneralName[];
  publicKey: CsrPublicKey;
  signature: CsrSignature;
  extensions: CsrExtension[];
  /** Key usage bit names (`digitalSignature`, `keyEncipherment`, ...); null when not requested. */
  keyUsage: string[] | null;
  /** Extended key usages; null when not requested. */
  extendedKeyUsage: { oid: string; name: string | null }[] | null;
  basicConstraints: { ca: boolean; pathLength: number | null } | null;
  challengePassword: boolean;
  microsoft: MsAttributes;
  attributes: CsrAttribute[];
  /** Observations against the reverse-proxy profile (Lync needs RSA, no PSS, CN among the SANs...). */
  findings: Finding[];
  /** SHA-256 of the SubjectPublicKeyInfo DER, lowercase hex. */
  publicKeySha256: string;
  /** SHA-256 of the whole CSR DER, lowercase hex. */
  sha256: string;
  /** Size of the CSR DER in bytes. */
  derLength: number;
}

const RDN_ESCAPE = /[,+"\\<>;]/g;

/** One RDN value escaped as RFC 4514 asks (leading `#`/space, trailing space, special characters). */
export function escapeDnValue(v: string): string {
  let s = v.replace(RDN_ESCAPE, (c) => `\\${c}`);
  if (s.startsWith('#') || s.startsWith(' ')) s = `\\${s}`;
  if (s.endsWith(' ') && s.length > 1) s = `${s.slice(0, -1)}\\ `;
  return s;
}

/** `CN=..., O=..., C=..`: most specific first, as Windows and RFC 4514 print a DN. */
export function formatDistinguishedName(attrs: readonly CsrNameAttribute[]): string {
  return [...attrs]
    .reverse()
    .map((a) => `${a.shortName ?? a.oid}=${escapeDnValue(a.value)}`)
    .join(', ');
}

const SAN_LABEL: Record<GeneralNameType, string> = {
  dns: 'DNS Name',
  ip: 'IP Address',
  email: 'RFC822 Name',
  uri: 'URL',
  directoryName: 'Directory Address',
  otherName: 'Other Name',
  registeredId: 'Registered ID',
  x400Address: 'X400 Address',
  ediPartyName: 'EDI Party Name',
};

/** How certutil labels a SAN type (`DNS Name`, `IP Address`, ...). */
export function generalNameLabel(t: GeneralNameType): string {
  return SAN_LABEL[t];
}

function verdict(s: CsrSignature): string {
  if (s.valid === true) return 'Signature matches Public Key';
  if (s.valid === false) return 'Signature does NOT match the public key: the request was altered or is corrupt';
  return `Signature not checked${s.note ? `: ${s.note}` : ''}`;
}

function keyLine(k: CsrPublicKey): string {
  const size = k.bits !== null ? `${k.bits} bits` : 'unknown size';
  const extra = k.curve ? `, curve ${k.curve}` : k.exponent !== null ? `, exponent ${k.exponent}` : '';
  return `${k.algorithm} (${k.oid}), ${size}${extra}`;
}

/** certutil -dump-like text of a decoded CSR: what the CLI prints and the UI shows. */
export function renderCsrText(d: DecodedCsr): string {
  const out: string[] = [];
  // Every value below comes from a file someone sent: control and bidi characters are shown escaped.
  const line = (s = '') => out.push(escapeUntrusted(s));
  line('PKCS10 Certificate Request:');
  line(`Version: ${d.version}`);
  line('Subject:');
  if (d.subject.length === 0) line('    (empty)');
  for (const a of [...d.subject].reverse()) line(`    ${a.shortName ?? a.oid}=${a.value}`);
  line();
  line('Subject Alternative Names:');
  if (d.subjectAltNames.length === 0) line('    (none)');
  for (const n of d.subjectAltNames) line(`    ${generalNameLabel(n.type)}=${n.value}`);
  line();
  line(`Public Key: ${keyLine(d.publicKey)}`);
  line(`Signature Algorithm: ${d.signature.algorithm} (${d.signature.oid})`);
  line(verdict(d.signature));
  line();
  line(`Request Extensions: ${d.extensions.length}`);
  for (const e of d.extensions) {
    line(`    ${e.oid}: ${e.critical ? 'Critical' : 'Not critical'}`);
    line(`    ${e.name ?? 'Unknown extension'}`);
    for (const v of e.values) line(`        ${v}`);
  }
  line();
  line(`Request Attributes: ${d.attributes.length}`);
  for (const a of d.attributes) {
    line(`    ${a.oid}${a.name ? ` (${a.name})` : ''}`);
    for (const v of a.values) line(`        ${v}`);
  }
  line(`Challenge password: ${d.challengePassword ? 'present (not shown)' : 'none'}`);
  const ms = d.microsoft;
  if (ms.enrollmentCsp) {
    const c = ms.enrollmentCsp;
    line(`Key type (KeySpec): ${c.keySpec} = ${c.keySpecName === 'exchange' ? 'Exchange (AT_KEYEXCHANGE)' : c.keySpecName === 'signature' ? 'Signature (AT_SIGNATURE)' : 'unknown'}`);
    line(`Provider (CSP): ${c.cspName}`);
  }
  if (ms.osVersion !== null) line(`OS version: ${ms.osVersion}`);
  if (ms.clientInfo) line(`Client: machine ${ms.clientInfo.machine}, user ${ms.clientInfo.user}, process ${ms.clientInfo.process}`);
  line();
  line(`Key Id Hash(sha256): ${d.publicKeySha256}`);
  line(`Request Hash(sha256): ${d.sha256}`);
  if (d.findings.length > 0) {
    line();
    line('Findings:');
    for (const f of d.findings) line(`    ${f.severity}: ${f.message} [${f.code}]`);
  }
  return `${out.join('\n')}\n`;
}
