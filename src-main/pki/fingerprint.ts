import { createHash } from 'node:crypto';

/** SHA-256 of `data`, lowercase hex: how requests, keys and certificates are identified. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-1 of `data`, lowercase hex: Windows shows certificate "thumbprints" this way. */
export function sha1Hex(data: Uint8Array): string {
  return createHash('sha1').update(data).digest('hex');
}

/** `AB:CD:...` uppercase colon form of a hex fingerprint, as OpenSSL and certutil print them. */
export function colonHex(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}
