import { CertdeskError } from '../common/errors.js';
import { type DerNode, Tag, TagClass, expectTag, parseDer, readOctetString, readOid, readSmallInteger, readString, toHex } from './der.js';
import { PKCS12_OID } from './pkcs12.js';
import { PBES2_CIPHERS, PBE_OID, PBKDF2_PRFS, type Pkcs12Digest, cbc, macEquals, pbeSha1TripleDes, pbkdf2Async, pfxMac } from './pkcs12-crypto.js';

/**
 * Reads a PFX back with its password: verifies the MAC, decrypts every safe and key bag, and returns
 * keys, certificates and their bag attributes. Export uses it to prove a file it just wrote opens,
 * and it reads PFX files made by Windows and OpenSSL 3 (3DES and PBES2/AES; not RC2-40, which
 * OpenSSL 3 itself only reads with its legacy provider).
 */

/** Bag attributes Windows reads. */
export interface PfxBagAttributes {
  friendlyName: string | null;
  /** Lowercase hex. */
  localKeyId: string | null;
  cspName: string | null;
  /** OIDs of other attributes. */
  other: string[];
}

/** A decrypted PFX. */
export interface ParsedPfx {
  macDigest: Pkcs12Digest;
  macIterations: number;
  keys: { pkcs8Der: Uint8Array; encryption: string; iterations: number | null; attributes: PfxBagAttributes }[];
  certificates: { der: Uint8Array; attributes: PfxBagAttributes }[];
  /** Encryption of each certificate safe ('none' for an unencrypted one). */
  certificateSafeEncryption: string[];
}

const WHAT = 'not a valid PFX file';
/** Far above any sane file (Windows stops at 600,000); keeps a hostile file from spinning for minutes. */
const MAX_ITERATIONS = 10_000_000;

const DIGEST_OIDS: Readonly<Record<string, Pkcs12Digest>> = {
  [PBE_OID.sha1]: 'sha1',
  [PBE_OID.sha256]: 'sha256',
  [PBE_OID.sha384]: 'sha384',
  [PBE_OID.sha512]: 'sha512',
};

function bad(why: string): never {
  throw new CertdeskError('PARSE_ERROR', `${WHAT}: ${why}`);
}

function iterationsOf(node: DerNode | undefined): number {
  const n = readSmallInteger(node, WHAT);
  if (n < 1 || n > MAX_ITERATIONS) bad(`an iteration count of ${n} is out of range`);
  return n;
}

/** Decrypts `data` per the AlgorithmIdentifier `alg`; returns the plaintext and a name for the scheme. */
async function decrypt(alg: DerNode | undefined, password: string, data: Uint8Array): Promise<{ plain: Buffer; scheme: string; iterations: number }> {
  const [oidNode, params] = expectTag(alg, Tag.SEQUENCE, WHAT).children;
  const oid = readOid(oidNode, WHAT);
  if (oid === PBE_OID.sha1And3DesCbc) {
    const [salt, iter] = expectTag(params, Tag.SEQUENCE, WHAT).children;
    const iterations = iterationsOf(iter);
    return { plain: await pbeSha1TripleDes('decrypt', password, readOctetString(salt, WHAT), iterations, data), scheme: 'pbeWithSHAAnd3-KeyTripleDES-CBC', iterations };
  }
  if (oid === PBE_OID.pbes2) {
    const [kdf, scheme] = expectTag(params, Tag.SEQUENCE, WHAT).children;
    const [kdfOid, kdfParams] = expectTag(kdf, Tag.SEQUENCE, WHAT).children;
    if (readOid(kdfOid, WHAT) !== PBE_OID.pbkdf2) bad('PBES2 with a key derivation other than PBKDF2');
    const kp = expectTag(kdfParams, Tag.SEQUENCE, WHAT).children;
    const salt = readOctetString(kp[0], WHAT);
    const iterations = iterationsOf(kp[1]);
    const prfNode = kp.slice(2).find((n) => n.tagNumber === Tag.SEQUENCE && n.tagClass === TagClass.universal);
    const prfOid = prfNode ? readOid(prfNode.children[0], WHAT) : PBE_OID.hmacWithSha1;
    const prf = PBKDF2_PRFS[prfOid];
    if (!prf) bad(`PBKDF2 with the unsupported PRF ${prfOid}`);
    const [cipherOid, ivNode] = expectTag(scheme, Tag.SEQUENCE, WHAT).children;
    const cipherId = readOid(cipherOid, WHAT);
    const cipher = PBES2_CIPHERS[cipherId];
    if (!cipher) bad(`the unsupported cipher ${cipherId}`);
    const iv = readOctetString(ivNode, WHAT);
    if (iv.length !== cipher.ivLength) bad('the cipher IV has the wrong length');
    const key = await pbkdf2Async(Buffer.from(password, 'utf8'), salt, iterations, cipher.keyLength, prf);
    return { plain: cbc('decrypt', cipher.name, key, iv, data), scheme: `PBES2 (PBKDF2-HMAC-${prf.toUpperCase()}, ${cipher.name.toUpperCase()})`, iterations };
  }
  if (oid === PBE_OID.sha1And40BitRc2) bad('it uses RC2-40 encryption, which is obsolete; re-export it with 3DES or AES');
  return bad(`the unsupported encryption algorithm ${oid}`);
}

function readAttributes(node: DerNode | undefined): PfxBagAttributes {
  const out: PfxBagAttributes = { friendlyName: null, localKeyId: null, cspName: null, other: [] };
  for (const attr of node ? expectTag(node, Tag.SET, WHAT).children : []) {
    const [oidNode, values] = expectTag(attr, Tag.SEQUENCE, WHAT).children;
    const oid = readOid(oidNode, WHAT);
    const value = expectTag(values, Tag.SET, WHAT).children[0];
    if (oid === PKCS12_OID.friendlyName) out.friendlyName = readString(value, WHAT);
    else if (oid === PKCS12_OID.localKeyId) out.localKeyId = toHex(readOctetString(value, WHAT));
    else if (oid === PKCS12_OID.msCspName) out.cspName = readString(value, WHAT);
    else out.other.push(oid);
  }
  return out;
}

function explicit0(node: DerNode | undefined): DerNode {
  const wrapper = expectTag(node, 0, WHAT, TagClass.context);
  const inner = wrapper.children[0];
  if (!inner) bad('an explicit [0] is empty');
  return inner;
}

async function readSafeContents(safe: Uint8Array, password: string, out: ParsedPfx): Promise<void> {
  for (const bag of expectTag(parseDer(safe, WHAT), Tag.SEQUENCE, WHAT).children) {
    const [idNode, valueWrapper, attrs] = expectTag(bag, Tag.SEQUENCE, WHAT).children;
    const bagId = readOid(idNode, WHAT);
    const value = explicit0(valueWrapper);
    const attributes = readAttributes(attrs);
    if (bagId === PKCS12_OID.pkcs8ShroudedKeyBag) {
      const [alg, enc] = expectTag(value, Tag.SEQUENCE, WHAT).children;
      const { plain, scheme, iterations } = await decrypt(alg, password, readOctetString(enc, WHAT));
      parseDer(plain, WHAT); // the decrypted key must be one well-formed structure
      out.keys.push({ pkcs8Der: plain, encryption: scheme, iterations, attributes });
    } else if (bagId === PKCS12_OID.keyBag) {
      out.keys.push({ pkcs8Der: value.raw, encryption: 'none', iterations: null, attributes });
    } else if (bagId === PKCS12_OID.certBag) {
      const [typeNode, certWrapper] = expectTag(value, Tag.SEQUENCE, WHAT).children;
      if (readOid(typeNode, WHAT) !== PKCS12_OID.x509Certificate) continue; // SDSI certificates: not ours
      out.certificates.push({ der: readOctetString(explicit0(certWrapper), WHAT), attributes });
    }
    // CRL, secret and nested safe bags carry nothing export needs.
  }
}

interface PfxOuter {
  authSafe: Uint8Array;
  mac: { digest: Pkcs12Digest; salt: Uint8Array; iterations: number; value: Uint8Array };
}

/** The PFX's outer structure: the authenticated safe's bytes and its MAC parameters, nothing decrypted. */
function readOuter(pfx: Uint8Array): PfxOuter {
  const top = expectTag(parseDer(pfx, WHAT), Tag.SEQUENCE, WHAT).children;
  if (readSmallInteger(top[0], WHAT) !== 3) bad('the version is not 3');
  const [ciType, ciContent] = expectTag(top[1], Tag.SEQUENCE, WHAT).children;
  if (readOid(ciType, WHAT) !== PKCS12_OID.data) bad('it is signed with a public key, which Certdesk does not read');
  const authSafe = readOctetString(explicit0(ciContent), WHAT);
  const macData = top[2];
  if (!macData) bad('it has no MAC, so its integrity and the password cannot be checked');
  const [digestInfo, macSaltNode, macIterNode] = expectTag(macData, Tag.SEQUENCE, WHAT).children;
  const [macAlg, macValue] = expectTag(digestInfo, Tag.SEQUENCE, WHAT).children;
  const macOid = readOid(expectTag(macAlg, Tag.SEQUENCE, WHAT).children[0], WHAT);
  const digest = DIGEST_OIDS[macOid];
  if (!digest) bad(`the MAC uses the unsupported digest ${macOid}`);
  return { authSafe, mac: { digest, salt: readOctetString(macSaltNode, WHAT), iterations: macIterNode ? iterationsOf(macIterNode) : 1, value: readOctetString(macValue, WHAT) } };
}

async function macOpens(outer: PfxOuter, password: string): Promise<boolean> {
  const { digest, salt, iterations, value } = outer.mac;
  return macEquals(await pfxMac(digest, password, salt, iterations, outer.authSafe), value);
}

/** Reads every safe of the authenticated safe into `out`. */
async function readSafes(authSafe: Uint8Array, password: string, out: ParsedPfx): Promise<void> {
  for (const ci of expectTag(parseDer(authSafe, WHAT), Tag.SEQUENCE, WHAT).children) {
    const [typeNode, content] = expectTag(ci, Tag.SEQUENCE, WHAT).children;
    const type = readOid(typeNode, WHAT);
    if (type === PKCS12_OID.data) {
      const safe = readOctetString(explicit0(content), WHAT);
      const before = out.certificates.length;
      await readSafeContents(safe, password, out);
      if (out.certificates.length > before) out.certificateSafeEncryption.push('none');
    } else if (type === PKCS12_OID.encryptedData) {
      const [, eci] = expectTag(explicit0(content), Tag.SEQUENCE, WHAT).children;
      const [, alg, encrypted] = expectTag(eci, Tag.SEQUENCE, WHAT).children;
      if (!encrypted || encrypted.tagClass !== TagClass.context || encrypted.tagNumber !== 0 || encrypted.constructed) bad('an encrypted safe has no content');
      const { plain, scheme } = await decrypt(alg, password, encrypted.content);
      await readSafeContents(plain, password, out);
      out.certificateSafeEncryption.push(scheme);
    } else {
      bad(`a safe of the unsupported type ${type}`);
    }
  }
}

/**
 * Parses and decrypts a PFX. A wrong password is INVALID_INPUT ("wrong password"), a damaged or
 * unsupported file PARSE_ERROR; both one line.
 */
export async function parsePfx(pfx: Uint8Array, password: string): Promise<ParsedPfx> {
  const outer = readOuter(pfx);
  if (!(await macOpens(outer, password))) throw new CertdeskError('INVALID_INPUT', 'the PFX password is wrong (or the file was changed)');
  const out: ParsedPfx = { macDigest: outer.mac.digest, macIterations: outer.mac.iterations, keys: [], certificates: [], certificateSafeEncryption: [] };
  await readSafes(outer.authSafe, password, out);
  return out;
}
