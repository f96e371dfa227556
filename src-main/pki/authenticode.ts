import { createHash, createPrivateKey, sign, verify } from 'node:crypto';
import { CertdeskError } from '../common/errors.js';
import type { Certificate } from './certificate.js';
import { Tag, expectTag, parseDer } from './der.js';
import { derContextConstructed, derInteger, derNull, derOctetString, derOid, derSequence, derSet, concatBytes, sortSetOf, tlv } from './der-encode.js';

/**
 * Authenticode signatures of PowerShell scripts, as Set-AuthenticodeSignature writes them (docs/pki.md
 * section "Signing Install-Certificate.ps1"). The script's text is followed by a comment block holding
 * a base64 PKCS#7 SignedData whose content is an SpcIndirectDataContent: the PowerShell SIP's GUID
 * and the SHA-256 of the script as UTF-16LE (the byte order mark included as U+FEFF, the signature
 * block excluded), the digest osslsigncode's script.c and Jsign compute too. Written with our own DER
 * writer (der-encode.ts) because every byte is ours and must be exact; node:crypto signs.
 */

export const AUTHENTICODE_OID = {
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  spcIndirectData: '1.3.6.1.4.1.311.2.1.4',
  spcStatementType: '1.3.6.1.4.1.311.2.1.11',
  spcSpOpusInfo: '1.3.6.1.4.1.311.2.1.12',
  spcIndividualCodeSigning: '1.3.6.1.4.1.311.2.1.21',
  spcSipInfo: '1.3.6.1.4.1.311.2.1.30',
} as const;

/** The PowerShell SIP's GUID {603BCC1F-4B59-4E08-B724-D2C6297EF351}, as SpcSipInfo carries it (mixed-endian GUID bytes). */
const POWERSHELL_SIP_GUID = Uint8Array.from([0x1f, 0xcc, 0x3b, 0x60, 0x59, 0x4b, 0x08, 0x4e, 0xb7, 0x24, 0xd2, 0xc6, 0x29, 0x7e, 0xf3, 0x51]);

/** AlgorithmIdentifier of SHA-256 (parameters NULL): the digest in the content and the signer's digest algorithm. */
const SHA256_ALGORITHM = derSequence(derOid(AUTHENTICODE_OID.sha256), derNull());

const BEGIN = '# SIG # Begin signature block';
const END = '# SIG # End signature block';
/** Set-AuthenticodeSignature and osslsigncode both write 64 base64 characters a line. */
const LINE = 64;

/** Who signs: the key and the certificates that go into the signature. */
export interface ScriptSigner {
  /** PKCS#8 PEM of an RSA key. Key material: never log it. */
  privateKeyPem: string;
  leaf: Certificate;
  /** CA certificates to include after the leaf (the chain without its root, as Set-AuthenticodeSignature's default NotRoot). */
  chain: readonly Certificate[];
}

/** The script's text as the SIP reads it: UTF-8 (its byte order mark kept as U+FEFF). */
function scriptText(script: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(script);
  } catch {
    throw new CertdeskError('INTERNAL', 'the install script to sign is not UTF-8 text');
  }
}

/** UTF-16LE bytes of `text` (lone surrogates cannot occur: the text came from strict UTF-8). */
function utf16le(text: string): Buffer {
  return Buffer.from(text, 'utf16le');
}

/**
 * The SHA-256 the PowerShell SIP signs: of the script's text (before any signature block) as UTF-16LE,
 * a UTF-8 byte order mark included as the character U+FEFF (osslsigncode script.c converts the bytes
 * from the start of the file; Jsign keeps the mark, PowerShellScript.isByteOrderMarkSigned).
 */
export function powerShellScriptDigest(script: Uint8Array): Uint8Array {
  return createHash('sha256').update(utf16le(scriptText(script))).digest();
}

/** The SpcIndirectDataContent for a PowerShell script with this digest. */
export function spcIndirectDataContent(digest: Uint8Array): Uint8Array {
  const sipInfo = derSequence(derInteger(65536), derOctetString(POWERSHELL_SIP_GUID), derInteger(0), derInteger(0), derInteger(0), derInteger(0), derInteger(0));
  return derSequence(derSequence(derOid(AUTHENTICODE_OID.spcSipInfo), sipInfo), derSequence(SHA256_ALGORITHM, derOctetString(digest)));
}

function attribute(oid: string, value: Uint8Array): Uint8Array {
  return derSequence(derOid(oid), derSet(value));
}

/** The certificate's serialNumber INTEGER and issuer Name exactly as they are in its DER. */
function issuerAndSerial(cert: Certificate): Uint8Array {
  const tbs = expectTag(expectTag(parseDer(cert.der, 'the signing certificate'), Tag.SEQUENCE, 'the signing certificate').children[0], Tag.SEQUENCE, 'the signing certificate');
  // tbsCertificate: [0] version (v3), then serialNumber.
  const serial = tbs.children.find((n) => n.tagClass === 0 && n.tagNumber === Tag.INTEGER);
  if (!serial) throw new CertdeskError('INTERNAL', 'the signing certificate has no serial number');
  return derSequence(cert.issuerDer, serial.raw);
}

/** The DER PKCS#7 SignedData (ContentInfo) of an Authenticode signature over `digest`. */
export function authenticodeSignedData(digest: Uint8Array, signer: ScriptSigner): Uint8Array {
  let key;
  try {
    key = createPrivateKey(signer.privateKeyPem);
  } catch {
    throw new CertdeskError('INVALID_INPUT', 'the code-signing private key cannot be read');
  }
  if (key.asymmetricKeyType !== 'rsa') throw new CertdeskError('INVALID_INPUT', 'Certdesk signs scripts with RSA keys only');
  const content = spcIndirectDataContent(digest);
  // PKCS#7 1.5 section 9.3: the messageDigest covers the content's value octets, not its tag and length.
  const contentValue = expectTag(parseDer(content, 'SpcIndirectDataContent'), Tag.SEQUENCE, 'SpcIndirectDataContent').content;
  const attributes = sortSetOf([
    attribute(AUTHENTICODE_OID.contentType, derOid(AUTHENTICODE_OID.spcIndirectData)),
    // SpcSpOpusInfo without program name or URL: PowerShell shows neither.
    attribute(AUTHENTICODE_OID.spcSpOpusInfo, derSequence()),
    attribute(AUTHENTICODE_OID.spcStatementType, derSequence(derOid(AUTHENTICODE_OID.spcIndividualCodeSigning))),
    attribute(AUTHENTICODE_OID.messageDigest, derOctetString(createHash('sha256').update(contentValue).digest())),
  ]);
  // The signature covers the attributes encoded as a SET OF (tag 0x31), stored as [0] IMPLICIT.
  const signedAttributes = tlv(0x31, concatBytes(attributes));
  const signature = sign('sha256', signedAttributes, key);
  const signerInfo = derSequence(
    derInteger(1),
    issuerAndSerial(signer.leaf),
    SHA256_ALGORITHM,
    derContextConstructed(0, concatBytes(attributes)),
    derSequence(derOid(AUTHENTICODE_OID.rsaEncryption), derNull()),
    derOctetString(signature),
  );
  const certificates = sortSetOf([signer.leaf.der, ...signer.chain.map((c) => c.der)]);
  const signedData = derSequence(
    derInteger(1),
    derSet(SHA256_ALGORITHM),
    derSequence(derOid(AUTHENTICODE_OID.spcIndirectData), derContextConstructed(0, content)),
    derContextConstructed(0, concatBytes(certificates)),
    derSet(signerInfo),
  );
  // Read back before anything is written: a signature that does not verify with the leaf's own key is our bug.
  if (!verify('sha256', signedAttributes, { key: Buffer.from(signer.leaf.spkiDer), format: 'der', type: 'spki' }, signature)) {
    throw new CertdeskError('INVALID_INPUT', 'the code-signing private key does not belong to its certificate');
  }
  return derSequence(derOid(AUTHENTICODE_OID.signedData), derContextConstructed(0, signedData));
}

/** True when the script already ends in a signature block. */
export function hasSignatureBlock(script: Uint8Array): boolean {
  return scriptText(script).includes(`\r\n${BEGIN}\r\n`);
}

/**
 * Signs a PowerShell script (UTF-8 with CRLF line ends, as the bundle writes it): returns its bytes
 * followed by "\r\n# SIG # Begin signature block\r\n# <base64>...\r\n# SIG # End signature block\r\n".
 */
export function signPowerShellScript(script: Uint8Array, signer: ScriptSigner): Uint8Array {
  if (hasSignatureBlock(script)) throw new CertdeskError('INTERNAL', 'the install script is signed already');
  const b64 = Buffer.from(authenticodeSignedData(powerShellScriptDigest(script), signer)).toString('base64');
  const lines = [BEGIN];
  for (let i = 0; i < b64.length; i += LINE) lines.push(`# ${b64.slice(i, i + LINE)}`);
  lines.push(END);
  return concatBytes([script, new TextEncoder().encode(`\r\n${lines.join('\r\n')}\r\n`)]);
}
