import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import type * as AgeModule from 'age-encryption';

/**
 * age's scrypt recipient and identity (age-encryption.org/v1, "scrypt" stanza), with Node's native
 * scrypt instead of age-encryption's pure-JavaScript one: the same bytes, but it runs on libuv's
 * thread pool in a fraction of the time, so a backup does not freeze the app's main process for
 * seconds. The stanza is `-> scrypt <base64 salt> <logN>` whose body is the file key sealed with
 * ChaCha20-Poly1305 under scrypt(passphrase, "age-encryption.org/v1/scrypt" || salt), zero nonce.
 */

const LABEL = 'age-encryption.org/v1/scrypt';
/** The most work a file we open may ask for: what age-encryption's decrypter accepts (Go's age: 22). */
const MAX_LOG_N = 20;

function deriveKey(passphrase: string, salt: Buffer, logN: number): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) => {
    scrypt(passphrase, Buffer.concat([Buffer.from(LABEL, 'latin1'), salt]), 32, { N, r: 8, p: 1, maxmem: 1024 * N + 16 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

const ZERO_NONCE = Buffer.alloc(12);
const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');

/** Seals the file key for a passphrase (the stanza age writes for `age -p`). */
export function scryptRecipient(age: typeof AgeModule, passphrase: string, logN: number): AgeModule.Recipient {
  return {
    async wrapFileKey(fileKey: Uint8Array) {
      const salt = randomBytes(16);
      const key = await deriveKey(passphrase, salt, logN);
      const c = createCipheriv('chacha20-poly1305', key, ZERO_NONCE, { authTagLength: 16 });
      const body = Buffer.concat([c.update(fileKey), c.final(), c.getAuthTag()]);
      return [new age.Stanza(['scrypt', b64(salt), String(logN)], body)];
    },
  };
}

/** Thrown for a file whose scrypt stanza is malformed or asks for too much work. */
export class ScryptStanzaError extends Error {}

/**
 * Opens the file key with a passphrase; null when the passphrase is wrong (age-encryption then
 * reports "no identity matched"). Like age, a scrypt stanza must be the only one in the header.
 */
export function scryptIdentity(passphrase: string): AgeModule.Identity {
  return {
    async unwrapFileKey(stanzas) {
      const s = stanzas.find((x) => x.args[0] === 'scrypt');
      if (!s) return null;
      if (stanzas.length !== 1) throw new ScryptStanzaError('the scrypt stanza is not the only one in the header');
      const [, saltB64, logNText] = s.args;
      if (s.args.length !== 3 || !saltB64 || !logNText || !/^[1-9][0-9]?$/.test(logNText)) throw new ScryptStanzaError('invalid scrypt stanza');
      const salt = Buffer.from(saltB64, 'base64');
      const logN = Number(logNText);
      if (salt.length !== 16 || s.body.length !== 32) throw new ScryptStanzaError('invalid scrypt stanza');
      if (logN > MAX_LOG_N) throw new ScryptStanzaError('the scrypt work factor is too high');
      const key = await deriveKey(passphrase, salt, logN);
      const d = createDecipheriv('chacha20-poly1305', key, ZERO_NONCE, { authTagLength: 16 });
      d.setAuthTag(Buffer.from(s.body.subarray(16)));
      try {
        return Buffer.concat([d.update(s.body.subarray(0, 16)), d.final()]);
      } catch {
        return null;
      }
    },
  };
}
