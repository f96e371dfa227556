/**
 * The whole contract through the real dispatcher, handlers and services (in-memory keychain, real
 * disk), in both shells: Electron (fake native dialogs and clipboard) and browser mode.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, ApiParams, ApiValue, OpenPurpose, SavePurpose } from '../../../src-main/common/api.js';
import type { ErrorInfo } from '../../../src-main/common/errors.js';
import { createDispatcher, type Dispatch } from '../../../src-main/ipc/dispatcher.js';
import { FileAccess } from '../../../src-main/ipc/file-access.js';
import { createHandlers } from '../../../src-main/ipc/handlers/index.js';
import { BROWSER_CAPABILITIES, ELECTRON_CAPABILITIES, type ShellPort } from '../../../src-main/ipc/shell.js';
import { createMemorySecretStore } from '../../../src-main/keychain/memory.js';
import { createTestCa, type TestCa } from '../../helpers/openssl-ca.js';

const root = join(__dirname, '..', '..', '..');

class Client {
  constructor(private readonly dispatch: Dispatch) {}
  async ok<M extends ApiMethod>(method: M, ...params: ApiParams<M> extends undefined ? [] : [ApiParams<M>]): Promise<ApiValue<M>> {
    const r = await this.dispatch(method, params[0]);
    if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`);
    return r.value as ApiValue<M>;
  }
  async fail<M extends ApiMethod>(method: M, params: unknown): Promise<ErrorInfo> {
    const r = await this.dispatch(method, params);
    if (r.ok) throw new Error(`${method} unexpectedly succeeded`);
    return r.error;
  }
}

describe('the handlers over the real services', () => {
  let dir: string;
  let ca: TestCa;
  const secrets = createMemorySecretStore();
  const dialogAnswers: { open: string[]; save: string | null; folder: string | null } = { open: [], save: null, folder: null };
  const dialogCalls: { purpose: OpenPurpose | SavePurpose | 'folder'; suggestedName?: string }[] = [];
  const clipboard: { text: string; ms: number }[] = [];
  const electronShell: ShellPort = {
    mode: 'electron',
    capabilities: ELECTRON_CAPABILITIES,
    showOpenDialog: ({ purpose }) => {
      dialogCalls.push({ purpose });
      return Promise.resolve(dialogAnswers.open);
    },
    showSaveDialog: ({ purpose, suggestedName }) => {
      dialogCalls.push({ purpose, suggestedName });
      return Promise.resolve(dialogAnswers.save);
    },
    showFolderDialog: () => {
      dialogCalls.push({ purpose: 'folder' });
      return Promise.resolve(dialogAnswers.folder);
    },
    copyToClipboard: (text, ms) => {
      clipboard.push({ text, ms });
      return Promise.resolve();
    },
  };
  const browserShell: ShellPort = { mode: 'browser', capabilities: BROWSER_CAPABILITIES };
  let electron: Client;
  let browser: Client;
  let requestId = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'certdesk-handlers-'));
    ca = createTestCa('rsa');
    const ctx = { storeDir: join(dir, 'store'), secrets };
    const noDrives = () => Promise.resolve([]);
    const make = (shell: ShellPort) =>
      new Client(createDispatcher(createHandlers({ ctx, shell, files: new FileAccess(shell, noDrives), version: '9.9.9', examplesDir: join(root, 'examples') })));
    electron = make(electronShell);
    browser = make(browserShell);
  });
  afterAll(() => {
    ca.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('app.info tells the shell, the version and the store', async () => {
    expect(await electron.ok('app.info')).toMatchObject({ name: 'Certdesk', version: '9.9.9', mode: 'electron', storeDir: join(dir, 'store'), capabilities: { nativeDialogs: true } });
    expect(await browser.ok('app.info')).toMatchObject({ mode: 'browser', capabilities: { nativeDialogs: false, typedPaths: true, clipboard: 'renderer' } });
  });

  it('settings default to the legacy profile and persist a change in <store>/settings.json', async () => {
    expect(await electron.ok('settings.get')).toEqual({ storeDir: join(dir, 'store'), defaultPfxProfile: 'legacy', language: null, theme: 'system', expiryCriticalDays: 30, expiryWarningDays: 60 });
    expect(await electron.ok('settings.update', { defaultPfxProfile: 'modern' })).toMatchObject({ defaultPfxProfile: 'modern' });
    expect(await browser.ok('settings.get')).toMatchObject({ defaultPfxProfile: 'modern' });
    const file = join(dir, 'store', 'settings.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ schemaVersion: 1, defaultPfxProfile: 'modern' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, '{not json');
    expect((await electron.fail('settings.get', undefined)).code).toBe('STORE_CORRUPT');
    expect(await electron.ok('settings.update', { defaultPfxProfile: 'modern' })).toMatchObject({ defaultPfxProfile: 'modern' });
  });

  it('keeps the UI language in the store, so browser mode remembers it across launches (new port, new origin)', async () => {
    expect(await browser.ok('settings.update', { language: 'zh-TW' })).toMatchObject({ language: 'zh-TW' });
    // A later change of another setting keeps the language.
    expect(await electron.ok('settings.update', { defaultPfxProfile: 'modern' })).toMatchObject({ language: 'zh-TW', defaultPfxProfile: 'modern' });
    expect(await electron.ok('settings.get')).toMatchObject({ language: 'zh-TW' });
    expect(JSON.parse(readFileSync(join(dir, 'store', 'settings.json'), 'utf8'))).toEqual({ schemaVersion: 1, defaultPfxProfile: 'modern', language: 'zh-TW' });
    expect((await electron.fail('settings.update', { language: 'fr' })).code).toBe('INVALID_INPUT');
    expect(await electron.ok('settings.get')).toMatchObject({ language: 'zh-TW' });
  });

  it('plans the bundled Contoso example, and reports bad topology text in one line', async () => {
    const examples = await electron.ok('plans.examples');
    expect(examples[0]?.name).toBe('contoso');
    const plan = await electron.ok('plans.fromText', { text: examples[0]?.text ?? '' });
    expect(plan.plans[0]?.subject).toBe('webext.contoso.com');
    expect(plan.plans[0]?.sans.map((s) => s.name)).toContain('lyncdiscover.contoso.com');
    const bad = await electron.fail('plans.fromText', { text: '{"version": 1,' });
    expect(bad.code).toBe('PARSE_ERROR');
    expect(bad.message).not.toContain('\n');
  });

  it('opens a topology file only through a handle the native dialog issued', async () => {
    const path = join(dir, 'topology.json');
    writeFileSync(path, readFileSync(join(root, 'examples', 'contoso.json')));
    dialogAnswers.open = [path];
    const [handle] = await electron.ok('dialogs.openFile', { purpose: 'topology' });
    expect(handle).toMatchObject({ name: 'topology.json', path });
    expect(dialogCalls.at(-1)).toEqual({ purpose: 'topology' });
    const opened = await electron.ok('plans.openFile', { source: { kind: 'handle', handle: handle?.handle ?? '' } });
    expect(opened.result.plans[0]?.subject).toBe('webext.contoso.com');
    expect((await electron.fail('plans.openFile', { source: { kind: 'handle', handle: 'h-0123456789abcdef0123456789abcdef' } })).code).toBe('INVALID_INPUT');
    expect((await browser.fail('dialogs.openFile', { purpose: 'topology' })).message).toMatch(/no native file dialogs/);
  });

  it('creates a request, shows it with its decoded CSR, and checks names as the admin types', async () => {
    const names = await electron.ok('names.check', { commonName: 'webext.contoso.com', sans: ['meet.contoso.com', 'WEBEXT.contoso.com'] });
    expect(names.sans).toEqual(['webext.contoso.com', 'meet.contoso.com']);
    const record = await electron.ok('requests.create', { subject: { commonName: 'webext.contoso.com', organization: 'Contoso' }, sans: ['meet.contoso.com'], friendlyName: 'Reverse Proxy Listener' });
    requestId = record.id;
    expect(record).toMatchObject({ status: 'pending', sans: ['webext.contoso.com', 'meet.contoso.com'], keySize: 2048 });
    const detail = await browser.ok('requests.show', { id: requestId });
    expect(detail.record.id).toBe(requestId);
    expect(detail.csr?.commonName).toBe('webext.contoso.com');
    expect(detail.csrText).toContain('webext.contoso.com');
    expect(detail.deployments).toEqual([]);
    expect(JSON.stringify(detail)).not.toMatch(/PRIVATE KEY/);
    expect((await electron.ok('requests.list', { search: 'meet.contoso' })).map((r) => r.id)).toEqual([requestId]);
  });

  it('saves the CSR through a single-use save handle in Electron, and as a download or typed path in browser mode', async () => {
    const out = join(dir, 'webext.req');
    dialogAnswers.save = out;
    const handle = await electron.ok('dialogs.saveFile', { purpose: 'csr', suggestedName: '../../etc/webext.contoso.com.req' });
    expect(dialogCalls.at(-1)).toEqual({ purpose: 'csr', suggestedName: 'webext.contoso.com.req' });
    const target = { kind: 'handle' as const, handle: handle?.handle ?? '' };
    expect(await electron.ok('requests.saveCsr', { id: requestId, format: 'base64', target })).toEqual({ kind: 'saved', path: out });
    expect(execFileSync('openssl', ['req', '-in', out, '-noout', '-verify'], { stdio: ['ignore', 'pipe', 'pipe'] }).toString()).toBe('');
    expect((await electron.fail('requests.saveCsr', { id: requestId, format: 'base64', target })).message).toMatch(/expired or is unknown/);
    expect((await electron.fail('requests.saveCsr', { id: requestId, format: 'der', target: { kind: 'path', path: join(dir, 'x.der') } })).message).toMatch(/with the dialog/);
    expect((await electron.fail('requests.saveCsr', { id: requestId, format: 'der', target: { kind: 'download' } })).code).toBe('INVALID_INPUT');

    const download = await browser.ok('requests.saveCsr', { id: requestId, format: 'der', target: { kind: 'download' } });
    expect(download).toMatchObject({ kind: 'download', fileName: 'webext.contoso.com.der', mediaType: 'application/pkcs10' });
    const der = download.kind === 'download' ? Buffer.from(download.base64, 'base64') : Buffer.alloc(0);
    expect(der[0]).toBe(0x30);
    const typed = join(dir, 'typed.req');
    expect(await browser.ok('requests.saveCsr', { id: requestId, format: 'base64', target: { kind: 'path', path: typed } })).toEqual({ kind: 'saved', path: typed });
    expect((await browser.fail('requests.saveCsr', { id: requestId, format: 'base64', target: { kind: 'path', path: typed } })).code).toBe('CONFLICT');
    expect((await browser.fail('requests.saveCsr', { id: requestId, format: 'base64', target: { kind: 'path', path: 'relative.req' } })).message).toMatch(/full path/);
  });

  it('decodes a dropped CSR and a dropped certificate file', async () => {
    const csr = await electron.ok('requests.getCsr', { id: requestId, format: 'base64' });
    const asCsr = await browser.ok('decode.file', { source: { kind: 'bytes', name: 'x.req', base64: csr.base64 } });
    expect(asCsr).toMatchObject({ kind: 'csr', fileName: 'x.req' });
    const asText = await browser.ok('decode.file', { source: { kind: 'text', text: csr.pem ?? '' } });
    expect(asText.kind).toBe('csr');
    const asCert = await browser.ok('decode.file', { source: { kind: 'bytes', name: 'root.cer', base64: Buffer.from(ca.root.der).toString('base64') } });
    expect(asCert.kind).toBe('certificates');
    expect(asCert.text).toContain('Root Certificate');
    const garbage = await browser.fail('decode.file', { source: { kind: 'bytes', name: 'junk.bin', base64: Buffer.from('hello, not a certificate').toString('base64') } });
    expect(garbage.code).toBe('PARSE_ERROR');
  });

  it("imports the CA's answer, exports a PFX through the save dialog and copies its password to main's clipboard only", async () => {
    const csr = await electron.ok('requests.getCsr', { id: requestId, format: 'base64' });
    const leaf = ca.sign(csr.pem ?? '', { sans: ['webext.contoso.com', 'meet.contoso.com'] });
    const imported = await electron.ok('certificates.importAnswer', { sources: [{ kind: 'text', text: ca.bundle(leaf, { order: 'root-first', includeRoot: true }) }] });
    expect(imported).toMatchObject({ requestId, status: 'issued' });

    const pfxPath = join(dir, 'webext.pfx');
    dialogAnswers.save = pfxPath;
    const handle = await electron.ok('dialogs.saveFile', { purpose: 'pfx', suggestedName: 'webext.pfx' });
    const result = await electron.ok('exports.create', { id: requestId, password: { kind: 'generate' }, target: { kind: 'handle', handle: handle?.handle ?? '' } });
    // The profile comes from the settings (modern, set above) when the call names none.
    expect(result).toMatchObject({ requestId, exportNumber: 1, path: pfxPath, profile: 'modern', passwordGenerated: true });
    expect(JSON.stringify(result)).not.toMatch(/password"\s*:\s*"/);
    expect(existsSync(pfxPath)).toBe(true);

    const copied = await electron.ok('exports.copyPassword', { id: requestId });
    expect(copied).toEqual({ by: 'main', exportNumber: 1, clearAfterSeconds: 30 });
    expect(clipboard).toHaveLength(1);
    expect(clipboard[0]?.ms).toBe(30_000);
    const revealed = await electron.ok('exports.revealPassword', { id: requestId });
    expect(revealed).toEqual({ exportNumber: 1, password: clipboard[0]?.text });
    execFileSync('openssl', ['pkcs12', '-in', pfxPath, '-noout', '-passin', `pass:${revealed.password}`], { stdio: ['ignore', 'pipe', 'pipe'] });

    const inBrowser = await browser.ok('exports.copyPassword', { id: requestId, exportNumber: 1 });
    expect(inBrowser).toEqual({ by: 'renderer', exportNumber: 1, password: revealed.password, clearAfterSeconds: 30 });
    expect(await browser.ok('exports.list', { id: requestId })).toHaveLength(1);
    expect((await browser.fail('exports.create', { id: requestId, password: { kind: 'generate' }, target: { kind: 'download' } })).message).toMatch(/not downloaded/);
    expect((await browser.fail('exports.create', { id: requestId, password: { kind: 'supplied', password: 'short' }, target: { kind: 'path', path: join(dir, 'weak.pfx') } })).code).toBe('WEAK_PASSWORD');
    expect(existsSync(join(dir, 'weak.pfx'))).toBe(false);
    // A typed path never replaces a file unless the Overwrite box is ticked; then OpenSSL reads the new file.
    const refused = await browser.fail('exports.create', { id: requestId, password: { kind: 'generate' }, target: { kind: 'path', path: pfxPath } });
    expect(refused.code).toBe('CONFLICT');
    const replaced = await browser.ok('exports.create', { id: requestId, profile: 'legacy', password: { kind: 'generate' }, target: { kind: 'path', path: pfxPath }, overwrite: true });
    expect(replaced).toMatchObject({ path: pfxPath, profile: 'legacy' });
    const second = await browser.ok('exports.revealPassword', { id: requestId, exportNumber: replaced.exportNumber });
    execFileSync('openssl', ['pkcs12', '-in', pfxPath, '-noout', '-passin', `pass:${second.password}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  });

  it('adds a farm with its internal root, writes a verified bundle to a typed folder, and tracks the deployment', async () => {
    const farm = await browser.ok('farms.add', {
      name: 'edge-farm',
      nodes: [
        { host: 'rp1.contoso.com', windowsVersion: '2012R2' },
        { host: 'rp2.contoso.com', windowsVersion: '2019' },
      ],
      trust: [{ kind: 'bytes', name: 'root.cer', base64: Buffer.from(ca.root.der).toString('base64') }],
    });
    expect(farm.trustedCas.map((c) => c.role)).toEqual(['root']);
    const to = join(dir, 'usb');
    execFileSync('mkdir', ['-p', to]);
    const bundle = await browser.ok('bundles.write', { id: requestId, farm: 'edge-farm', target: { kind: 'path', path: to }, password: { kind: 'generate' } });
    expect(bundle.verified).toBe(true);
    expect(bundle.profiles.sort()).toEqual(['legacy', 'modern']);
    expect((await electron.fail('bundles.write', { id: requestId, farm: 'edge-farm', target: { kind: 'drive', mountPoint: '/media/none' }, password: { kind: 'generate' } })).message).toMatch(/no removable drive/);
    // A code-signing PFX that is not one: refused with a CODE_SIGNING_ reason (the form shows it by
    // the signing fields), its password nowhere in the answer, nothing written.
    const refused = await browser.fail('bundles.write', {
      id: requestId, farm: 'edge-farm', target: { kind: 'path', path: to }, password: { kind: 'generate' },
      signWith: { source: { kind: 'text', text: ca.root.pem }, password: 'Code-Sign-Pass-77' },
    });
    expect(refused).toMatchObject({ code: 'PARSE_ERROR', reason: 'CODE_SIGNING_PFX_NOT_PKCS12' });
    expect(refused.message).toMatch(/^code-signing PFX: the file is not a PFX/);
    expect(JSON.stringify(refused)).not.toContain('Code-Sign-Pass-77');
    expect(readdirSync(to)).toHaveLength(1);
    const deployment = await electron.ok('deployments.mark', { id: requestId, node: 'rp1.contoso.com' });
    expect(deployment.state).toBe('deployed');
    const views = await electron.ok('deployments.list', { id: requestId });
    expect(views.map((v) => [v.host, v.state])).toEqual([
      ['rp1.contoso.com', 'deployed'],
      ['rp2.contoso.com', 'not-deployed'],
    ]);
    expect((await electron.ok('farms.show', { name: 'edge-farm' })).requests.map((r) => r.id)).toEqual([requestId]);
    expect((await electron.ok('expiry.list', {})).map((e) => e.requestId)).toEqual([requestId]);
  });

  it('imports and lists CA certificates on their own', async () => {
    const r = await electron.ok('certificates.importCa', { sources: [{ kind: 'bytes', name: 'int.cer', base64: Buffer.from(ca.intermediate.der).toString('base64') }] });
    expect([...r.added, ...r.existing].map((c) => c.sha256)).toHaveLength(1);
    expect((await electron.ok('certificates.listCa')).length).toBeGreaterThanOrEqual(2);
  });

  it('previews and renews a request, shows the chain, and adopts a PFX without ever sending its password back', async () => {
    const preview = await browser.ok('requests.renewPreview', { id: requestId });
    expect(preview).toMatchObject({ renews: requestId, planned: null, use: 'current', pendingRenewals: [] });
    const renewed = await browser.ok('requests.renew', { id: requestId, keySize: 3072 });
    expect(renewed).toMatchObject({ renews: requestId, keySize: 3072, status: 'pending' });
    expect((await browser.fail('requests.renew', { id: requestId })).code).toBe('CONFLICT');
    expect((await browser.ok('requests.show', { id: renewed.id })).renewalChain?.map((c) => c.id)).toEqual([requestId, renewed.id]);
    expect((await browser.ok('farms.show', { name: 'edge-farm' })).rollouts?.[0]).toMatchObject({ newRequestId: renewed.id, complete: false });
    await electron.ok('requests.delete', { id: renewed.id });

    const key = join(dir, 'adopt.key');
    const csr = execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-subj', '/CN=adopt.contoso.com'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const leaf = ca.sign(csr.toString(), { sans: ['adopt.contoso.com'] });
    const pfxPath = join(dir, 'adopt.pfx');
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', leaf.path, '-out', pfxPath, '-passout', 'pass:Pfx-Secret-7788']);
    const source = { kind: 'bytes' as const, name: 'adopt.pfx', base64: readFileSync(pfxPath).toString('base64') };
    const wrong = await browser.fail('requests.adoptPfx', { source, password: 'Wrong-Secret-1234' });
    expect(wrong.code).toBe('INVALID_INPUT');
    expect(JSON.stringify(wrong)).not.toContain('Wrong-Secret-1234');
    const adopted = await browser.ok('requests.adoptPfx', { source, password: 'Pfx-Secret-7788', friendlyName: 'Adopted in the app' });
    expect(adopted).toMatchObject({ origin: 'adopted', status: 'issued', subject: 'adopt.contoso.com', friendlyName: 'Adopted in the app' });
    expect(JSON.stringify(adopted)).not.toContain('Pfx-Secret-7788');
    expect(readFileSync(join(dir, 'store', 'audit.log'), 'utf8')).not.toContain('Pfx-Secret-7788');
  });

  it('deletes a request', async () => {
    await electron.ok('requests.delete', { id: requestId });
    expect((await electron.fail('requests.show', { id: requestId })).code).toBe('NOT_FOUND');
  });
});
