/**
 * proxyConfig.prepare and proxyConfig.save through the real dispatcher, handlers and services
 * (browser shell, in-memory keychain, real disk, a test CA made by openssl): what the app's "Proxy
 * configuration" section relies on. The renderer never receives key material: every reply is
 * searched for a private key and the password; the key file saved is checked with openssl.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, ApiParams, ApiValue, Topology } from '../../../src-main/common/api.js';
import type { ErrorInfo } from '../../../src-main/common/errors.js';
import { createDispatcher, type Dispatch } from '../../../src-main/ipc/dispatcher.js';
import { FileAccess } from '../../../src-main/ipc/file-access.js';
import { createHandlers } from '../../../src-main/ipc/handlers/index.js';
import { BROWSER_CAPABILITIES, type ShellPort } from '../../../src-main/ipc/shell.js';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import { createTestCa, type TestCa } from '../../helpers/openssl-ca.js';

const root = join(__dirname, '..', '..', '..');
const contoso = JSON.parse(readFileSync(join(root, 'examples', 'contoso.json'), 'utf8')) as Topology;
const PASSWORD = 'Proxy-Config-Save-2026!';

describe('proxyConfig.* for the app', () => {
  let dir: string;
  let dispatch: Dispatch;
  let ca: TestCa;
  let internal: TestCa;
  let planned = '';
  let plain = '';
  const secrets = createMemorySecretStore();
  const ok = async <M extends ApiMethod>(method: M, params?: ApiParams<M>): Promise<ApiValue<M>> => {
    const r = await dispatch(method, params);
    if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`);
    return r.value as ApiValue<M>;
  };
  const fail = async (method: ApiMethod, params: unknown): Promise<ErrorInfo> => {
    const r = await dispatch(method, params);
    if (r.ok) throw new Error(`${method} unexpectedly succeeded`);
    return r.error;
  };
  const issue = async (id: string, sans: string[]) => {
    const csr = await ok('requests.getCsr', { id, format: 'base64' });
    const leaf = ca.sign(csr.pem ?? '', { sans });
    await ok('certificates.importAnswer', { sources: [{ kind: 'text', text: ca.bundle(leaf, { includeRoot: true }) }] });
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'certdesk-proxy-rpc-'));
    ca = createTestCa('rsa', 'Public');
    internal = createTestCa('rsa', 'Internal');
    const shell: ShellPort = { mode: 'browser', capabilities: BROWSER_CAPABILITIES };
    const ctx = { storeDir: join(dir, 'store'), secrets, now: () => new Date(Date.now() + 60_000) };
    dispatch = createDispatcher(createHandlers({ ctx, shell, files: new FileAccess(shell, () => Promise.resolve([])), version: '9.9.9', examplesDir: join(root, 'examples') }));
    const record = await ok('requests.create', { subject: { commonName: '' }, sans: [], fromTopology: { kind: 'form', topology: contoso } });
    planned = record.id;
    await issue(planned, [record.subject, ...record.sans.filter((s) => s !== record.subject)]);
    plain = (await ok('requests.create', { subject: { commonName: 'plain.contoso.com' }, sans: [] })).id;
    await issue(plain, ['plain.contoso.com']);
    await ok('farms.add', {
      name: 'dmz',
      nodes: [{ host: 'ngx1.contoso.com', windowsVersion: 'other', kind: 'nginx' }],
      trust: [{ kind: 'text', text: internal.root.pem }],
    });
  });
  afterAll(() => {
    ca?.cleanup();
    internal?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prepares the Plan view\'s configuration with placeholders, its rules and nothing but its text', async () => {
    const r = await ok('proxyConfig.prepare', { kind: 'nginx', plan: { kind: 'form', topology: contoso } });
    expect(r.placeholders).toBe(true);
    expect(r.subject).toBe('webext.contoso.com');
    expect(r.rules.map((x) => `${x.externalName}:${x.externalPort}`)).toContain('meet.contoso.com:443');
    expect(r.preview.map((f) => [f.name, f.role])).toEqual([['certdesk-webext.contoso.com.conf', 'config']]);
    expect(r.preview[0]?.text).toBe(r.text);
    expect(r.text).toContain('server_name meet.contoso.com;');
    expect(r.files).toEqual([]);
  });

  it('writes the TMG checklist in the UI language', async () => {
    const zh = await ok('proxyConfig.prepare', { kind: 'tmg', plan: { kind: 'form', topology: contoso }, language: 'zh-TW' });
    const en = await ok('proxyConfig.prepare', { kind: 'tmg', plan: { kind: 'form', topology: contoso }, language: 'en' });
    expect(zh.text).toMatch(/[\u4e00-\u9fff]/);
    expect(en.text).not.toMatch(/[\u4e00-\u9fff]/);
    expect(zh.fileName).toBe(en.fileName);
  });

  it("a farm's request made from a plan: the request's plan, its thumbprint, PEM certificates as text, key material by name only", async () => {
    const r = await ok('proxyConfig.prepare', { kind: 'nginx', requestId: planned, farm: 'dmz' });
    expect(r.placeholders).toBe(false);
    expect(r.requestId).toBe(planned);
    expect(r.preview.map((f) => [f.name, f.role, f.text !== undefined])).toEqual([
      ['certdesk-webext.contoso.com.conf', 'config', true],
      ['internal-ca.pem', 'trusted-ca', true],
      ['webext.contoso.com.crt', 'certificate', true],
      ['webext.contoso.com.key', 'key', false],
    ]);
    const crt = r.preview.find((f) => f.role === 'certificate')?.text ?? '';
    const fp = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha1'], { input: crt, encoding: 'utf8' });
    expect(fp.split('=')[1]?.trim().replace(/:/g, '')).toBe(r.thumbprint);
    expect(r.preview.find((f) => f.role === 'trusted-ca')?.text).toBe(internal.root.pem);
    const haproxy = await ok('proxyConfig.prepare', { kind: 'haproxy', requestId: planned });
    expect(haproxy.preview.map((f) => [f.name, f.text !== undefined])).toEqual([
      ['haproxy.cfg', true],
      ['webext.contoso.com.pfx', false],
      ['install-haproxy-cert.sh', true],
    ]);
    for (const reply of [r, haproxy]) expect(JSON.stringify(reply)).not.toMatch(/PRIVATE KEY|MII[A-Za-z0-9+/]{60,}[\s\S]*PRIVATE/);
  });

  it('saves every file into a folder under the supplied password, which the reply never carries', async () => {
    const out = join(dir, 'nginx-out');
    const r = await ok('proxyConfig.save', { kind: 'nginx', requestId: planned, farm: 'dmz', target: { kind: 'path', path: out }, password: { kind: 'supplied', password: PASSWORD } });
    expect(r.files.map((f) => f.name).sort()).toEqual(['certdesk-webext.contoso.com.conf', 'internal-ca.pem', 'webext.contoso.com.crt', 'webext.contoso.com.key']);
    expect(JSON.stringify(r)).not.toContain(PASSWORD);
    const key = readFileSync(join(out, 'webext.contoso.com.key'), 'utf8');
    expect(key).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    execFileSync('openssl', ['pkey', '-in', join(out, 'webext.contoso.com.key'), '-passin', `pass:${PASSWORD}`, '-noout'], { stdio: ['ignore', 'pipe', 'pipe'] });
    expect((await ok('exports.list', { id: planned })).at(-1)).toMatchObject({ format: 'pkcs8-pem', proxyKind: 'nginx', passwordSource: 'supplied' });
    // Existing files are never overwritten.
    expect((await fail('proxyConfig.save', { kind: 'nginx', requestId: planned, target: { kind: 'path', path: out }, password: { kind: 'generate' } })).code).toBe('CONFLICT');
  });

  it('refuses, in words for the app, a request not made from a plan when no plan is given, and writes nothing', async () => {
    const e = await fail('proxyConfig.prepare', { kind: 'nginx', requestId: plain });
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/was not made from a plan/);
    expect(e.message).not.toMatch(/--/);
    const out = join(dir, 'never');
    expect((await fail('proxyConfig.save', { kind: 'iis-arr', requestId: plain, target: { kind: 'path', path: out }, password: { kind: 'generate' } })).code).toBe('INVALID_INPUT');
    expect(existsSync(out)).toBe(false);
    expect((await fail('proxyConfig.prepare', { kind: 'squid', plan: { kind: 'form', topology: contoso } })).code).toBe('INVALID_INPUT');
  });
});
