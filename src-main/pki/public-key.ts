import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { CsrPublicKey, CsrSignature } from '../common/csr.js';
import { type DerNode, Tag, TagClass, expectTag, integerBitLength, parseDer, readBitString, readInteger, readOid, readSmallInteger } from './der.js';
import { EC_CURVES, HASH_ALGORITHMS, KEY_ALGORITHMS, OID, SIGNATURE_ALGORITHMS } from './oids.js';

/** Describes a SubjectPublicKeyInfo: algorithm, size, curve. Unknown algorithms are named by OID. */
export function describePublicKey(spki: DerNode, what: string): CsrPublicKey {
  const [alg, keyBits] = expectTag(spki, Tag.SEQUENCE, what).children;
  const [algOid, params] = expectTag(alg, Tag.SEQUENCE, what).children;
  const oid = readOid(algOid, what);
  const key = readBitString(keyBits, what).bytes;
  const out: CsrPublicKey = { algorithm: KEY_ALGORITHMS[oid] ?? oid, oid, bits: null, curve: null, exponent: null };
  switch (oid) {
    case OID.rsaEncryption:
    case OID.rsassaPss: {
      const inner = `${what} (RSA public key)`;
      const [n, e] = expectTag(parseDer(key, inner), Tag.SEQUENCE, inner).children;
      out.bits = integerBitLength(n, inner);
      const exp = readInteger(e, inner);
      out.exponent = exp <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(exp) : null;
      break;
    }
    case OID.ecPublicKey:
      if (params?.tagNumber === Tag.OID && params.tagClass === TagClass.universal) {
        const curveOid = readOid(params, what);
        const curve = EC_CURVES[curveOid];
        out.curve = curve?.name ?? curveOid;
        out.bits = curve?.bits ?? null;
      } else {
        out.curve = 'explicit parameters';
      }
      break;
    case OID.ed25519:
    case '1.3.101.110':
      out.bits = 256;
      break;
    case OID.ed448:
      out.bits = 456;
      break;
    case '1.3.101.111':
      out.bits = 448;
      break;
    case OID.dsa:
      if (params?.tagNumber === Tag.SEQUENCE) out.bits = integerBitLength(params.children[0], what);
      break;
    default:
      break;
  }
  return out;
}

interface PssParams {
  hash: string | null;
  mgfHash: string | null;
  saltLength: number;
}

/** RSASSA-PSS-params (RFC 4055): defaults SHA-1, MGF1 with SHA-1, salt 20. */
function pssParams(params: DerNode | undefined, what: string): PssParams {
  const out: PssParams = { hash: 'sha1', mgfHash: 'sha1', saltLength: 20 };
  if (!params || params.tagNumber === Tag.NULL) return out;
  for (const field of expectTag(params, Tag.SEQUENCE, what).children) {
    if (field.tagClass !== TagClass.context) continue;
    const inner = field.children[0];
    if (field.tagNumber === 0) out.hash = HASH_ALGORITHMS[readOid(expectTag(inner, Tag.SEQUENCE, what).children[0], what)] ?? null;
    if (field.tagNumber === 1) {
      const [, mgfParams] = expectTag(inner, Tag.SEQUENCE, what).children;
      out.mgfHash = mgfParams ? (HASH_ALGORITHMS[readOid(expectTag(mgfParams, Tag.SEQUENCE, what).children[0], what)] ?? null) : null;
    }
    if (field.tagNumber === 2) out.saltLength = readSmallInteger(inner, what);
  }
  return out;
}

function tryVerify(fn: () => boolean): { valid: boolean | null; note: string | null } {
  try {
    return { valid: fn(), note: null };
  } catch {
    // OpenSSL's reasons mean nothing to an admin; the usual cause is an algorithm that does not fit the key.
    return { valid: null, note: 'the signature algorithm does not fit the public key or is not supported here' };
  }
}

/**
 * Names the signature algorithm and checks the signature over `signedData` with node:crypto.
 * RSA PKCS#1 v1.5, RSASSA-PSS, ECDSA, EdDSA and DSA are checked; anything else is reported unchecked.
 */
export function verifySignature(algorithm: DerNode, signature: Uint8Array, signedData: Uint8Array, spkiDer: Uint8Array, what: string): CsrSignature {
  const [algOid, params] = expectTag(algorithm, Tag.SEQUENCE, what).children;
  const oid = readOid(algOid, what);
  const known = SIGNATURE_ALGORITHMS[oid];
  if (!known) return { algorithm: oid, oid, valid: null, note: `the signature algorithm ${oid} is not supported here` };
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
  } catch {
    return { algorithm: known.name, oid, valid: null, note: 'the public key cannot be loaded to check the signature' };
  }
  const data = Buffer.from(signedData);
  const sig = Buffer.from(signature);
  if (known.family === 'pss') {
    const p = pssParams(params, what);
    const name = `RSASSA-PSS (${p.hash ?? 'unknown hash'}, salt ${p.saltLength})`;
    if (!p.hash || p.hash !== p.mgfHash) return { algorithm: name, oid, valid: null, note: 'these RSASSA-PSS parameters cannot be checked here' };
    const hash = p.hash;
    return { algorithm: name, oid, ...tryVerify(() => verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: p.saltLength }, sig)) };
  }
  if (known.family === 'eddsa') return { algorithm: known.name, oid, ...tryVerify(() => verify(null, data, key, sig)) };
  if (!known.hash) return { algorithm: known.name, oid, valid: null, note: `${known.name} is obsolete and cannot be checked` };
  const hash = known.hash;
  const keyFamily = key.asymmetricKeyType;
  const fits = known.family === 'rsa' ? keyFamily === 'rsa' : known.family === 'ecdsa' ? keyFamily === 'ec' : keyFamily === 'dsa';
  if (!fits) return { algorithm: known.name, oid, valid: null, note: `the signature algorithm does not fit the ${keyFamily ?? 'unknown'} key` };
  return { algorithm: known.name, oid, ...tryVerify(() => verify(hash, data, key, sig)) };
}
