import { createPrivateKey, createPublicKey } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { KeySize } from '../../../src-main/common/requests.js';
import { generateRsaKeyPair } from '../../../src-main/pki/keys.js';

/**
 * How busy the event loop was while `work` ran (0 = always waiting, 1 = never got to wait). Unlike
 * timer lag this does not depend on machine load: a starved process waiting in epoll still counts as idle.
 */
async function loopUtilization<T>(work: () => Promise<T>): Promise<{ result: T; utilization: number }> {
  const start = performance.eventLoopUtilization();
  const result = await work();
  return { result, utilization: performance.eventLoopUtilization(start).utilization };
}

describe('generateRsaKeyPair', () => {
  it('makes a 2048-bit RSA key with e = 65537 as PKCS#8 and SPKI', async () => {
    const kp = await generateRsaKeyPair(2048);
    expect(kp.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/);
    expect(kp.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);
    // OpenSSL (through node:crypto), not forge, reads the result back.
    const priv = createPrivateKey(kp.privateKeyPem);
    expect(priv.asymmetricKeyType).toBe('rsa');
    expect(priv.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, publicExponent: 65537n });
    const spki = createPublicKey(priv).export({ type: 'spki', format: 'der' });
    expect(Buffer.from(kp.spkiDer).equals(spki)).toBe(true);
    expect(createPublicKey(kp.publicKeyPem).export({ type: 'spki', format: 'der' }).equals(spki)).toBe(true);
  });

  it('keeps the event loop free while a 3072-bit key is made', async () => {
    const { result, utilization } = await loopUtilization(() => generateRsaKeyPair(3072));
    expect(createPrivateKey(result.privateKeyPem).asymmetricKeyDetails?.modulusLength).toBe(3072);
    // Generation runs on the thread pool; only parsing the result touches the loop. A blocking or
    // pure-JavaScript generator keeps the loop busy all along (utilization near 1).
    expect(utilization).toBeLessThan(0.5);
  });

  it('makes a different key every time', async () => {
    const [a, b] = await Promise.all([generateRsaKeyPair(2048), generateRsaKeyPair(2048)]);
    expect(a.publicKeyPem).not.toBe(b.publicKeyPem);
  });

  it('refuses key sizes outside 2048, 3072 and 4096', async () => {
    await expect(generateRsaKeyPair(1024 as KeySize)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: 'the key size must be one of 2048, 3072, 4096 bits' });
    await expect(generateRsaKeyPair(2047 as KeySize)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('returns the private key object that the PEM encodes, so the CSR is signed without parsing it again', async () => {
    const kp = await generateRsaKeyPair(2048);
    const fromPem = createPrivateKey(kp.privateKeyPem);
    expect(kp.privateKey.equals(fromPem)).toBe(true);
  });
});
