import { describe, expect, it } from 'vitest';
import { createKeytarSecretStore, type Keytar } from '../../../src-main/keychain/keytar.js';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';

function fakeKeytar(over: Partial<Keytar>): () => Promise<Keytar> {
  const base: Keytar = {
    getPassword: () => Promise.resolve(null),
    setPassword: () => Promise.resolve(),
    deletePassword: () => Promise.resolve(false),
  };
  return () => Promise.resolve({ ...base, ...over });
}

describe('keytar SecretStore adapter', () => {
  it('passes service "Certdesk" and the account through', async () => {
    const calls: string[] = [];
    const secrets = createKeytarSecretStore({
      load: fakeKeytar({
        getPassword: (service, account) => {
          calls.push(`${service}/${account}`);
          return Promise.resolve('s3cret');
        },
      }),
    });
    expect(await secrets.get('store-key:abc')).toBe('s3cret');
    expect(calls).toEqual(['Certdesk/store-key:abc']);
  });

  it('gives up on a keychain that does not answer, with KEYCHAIN_UNAVAILABLE and how to fix it', async () => {
    const secrets = createKeytarSecretStore({ timeoutMs: 100, load: fakeKeytar({ getPassword: () => new Promise<never>(() => {}) }) });
    const started = Date.now();
    await expect(secrets.get('x')).rejects.toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE',
      message: expect.stringMatching(/^the OS keychain is not available \(no answer within .*\); on Linux start gnome-keyring/) as unknown,
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('turns a Secret Service failure into KEYCHAIN_UNAVAILABLE with the cause on one line', async () => {
    const secrets = createKeytarSecretStore({
      load: fakeKeytar({ setPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY\nmore')) }),
    });
    await expect(secrets.set('x', 'y')).rejects.toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE',
      message: expect.stringContaining('(Cannot autolaunch D-Bus without X11 $DISPLAY);') as unknown,
    });
  });

  it('reports a native module that cannot be loaded as KEYCHAIN_UNAVAILABLE', async () => {
    const secrets = createKeytarSecretStore({ load: () => Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file')) });
    await expect(secrets.delete('x')).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringContaining('libsecret-1.so.0') as unknown });
  });
});

describe('in-memory SecretStore (unit tests only)', () => {
  it('stores, replaces and deletes secrets by account', async () => {
    const s = createMemorySecretStore();
    expect(await s.get('a')).toBeNull();
    await s.set('a', '1');
    await s.set('a', '2');
    expect(await s.get('a')).toBe('2');
    expect(await s.delete('a')).toBe(true);
    expect(await s.delete('a')).toBe(false);
  });
});
