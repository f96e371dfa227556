/**
 * topologies.* and requests.create with fromTopology through the real dispatcher, handlers and
 * services (browser shell, in-memory keychain, real disk): what the app's Plan view relies on. The
 * request's record and its topology.json copy are checked against a SHA-256 computed here.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

const root = join(__dirname, '..', '..', '..');
const contoso = JSON.parse(readFileSync(join(root, 'examples', 'contoso.json'), 'utf8')) as Topology;
const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const b64 = (file: string) => readFileSync(join(root, 'tests', 'fixtures', 'lync', file)).toString('base64');

describe('topologies.* and requests.create from a plan', () => {
  let dir: string;
  let dispatch: Dispatch;
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

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'certdesk-topo-rpc-'));
    const shell: ShellPort = { mode: 'browser', capabilities: BROWSER_CAPABILITIES };
    const ctx = { storeDir: join(dir, 'store'), secrets: createMemorySecretStore(), now: () => new Date('2026-03-15T10:00:00Z') };
    dispatch = createDispatcher(createHandlers({ ctx, shell, files: new FileAccess(shell, () => Promise.resolve([])), version: '9.9.9', examplesDir: join(root, 'examples') }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists nothing before a store exists, then saves, lists, shows and deletes a topology', async () => {
    expect(await ok('topologies.list')).toEqual([]);
    const saved = await ok('topologies.save', { name: 'contoso', topology: contoso, savedFrom: 'contoso.json' });
    expect(saved.replaced).toBe(false);
    expect(saved.topology).toMatchObject({ name: 'contoso', savedFrom: 'contoso.json', sipDomains: ['contoso.com'], pools: ['pool01'] });
    expect(saved.topology.sha256).toBe(sha(`${JSON.stringify((await ok('topologies.show', { name: 'CONTOSO' })).topology, null, 2)}\n`));
    expect((await ok('topologies.list')).map((t) => t.name)).toEqual(['contoso']);
    const again = await ok('topologies.save', { name: 'contoso', topology: { ...contoso, publicCa: true } });
    expect(again).toMatchObject({ replaced: true, previousSha256: saved.topology.sha256, topology: { savedFrom: 'the Plan view' } });
    await ok('topologies.save', { name: 'spare', topology: contoso });
    expect(await ok('topologies.delete', { name: 'spare' })).toEqual({ name: 'spare', deleted: true });
    expect((await fail('topologies.show', { name: 'spare' })).code).toBe('NOT_FOUND');
  });

  it('refuses a topology the validator refuses, listing each problem, and stores nothing', async () => {
    const e = await fail('topologies.save', { name: 'broken', topology: { ...contoso, sipDomains: [], pools: [] } });
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/2 problems/);
    expect(e.details).toEqual([expect.stringMatching(/^sipDomains: /), expect.stringMatching(/^pools: /)]);
    expect((await ok('topologies.list')).map((t) => t.name)).toEqual(['contoso']);
    // The structure is checked at the door: an unknown field (a typo) never reaches the store.
    expect((await fail('topologies.save', { name: 'typo', topology: { ...contoso, externalWebFQDN: 'x' } })).code).toBe('INVALID_INPUT');
  });

  it('imports Get-CsTopology XML and a UTF-16 Topology Builder document, with what was read and assumed', async () => {
    const xml = await ok('topologies.import', { source: { kind: 'bytes', name: 'contoso-get-cstopology.xml', base64: b64('contoso-get-cstopology.xml') } });
    expect(xml.format).toBe('lync-topology');
    expect(xml.fileName).toBe('contoso-get-cstopology.xml');
    expect(xml.topology.pools[0]).toMatchObject({ name: 'pool01', externalWebFqdn: 'webext.contoso.com', remoteAccess: true });
    expect(xml.findings.map((f) => f.code)).toContain('IMPORT_MEET_URL_PROPOSED');
    expect(xml.read.length).toBeGreaterThan(0);
    const tb = await ok('topologies.import', { source: { kind: 'bytes', name: 'fabrikam.tbxml', base64: b64('fabrikam-topology-builder.tbxml') } });
    expect(tb.format).toBe('lync-topology-builder');
    expect((await fail('topologies.import', { source: { kind: 'text', text: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Topology/>' } })).code).toMatch(/PARSE_ERROR|INVALID_INPUT/);
  });

  it('saves the topology as canonical JSON for the browser to download, and refuses one the validator refuses', async () => {
    const out = await ok('topologies.saveFile', { topology: contoso, fileName: 'my contoso.json', target: { kind: 'download' } });
    if (out.kind !== 'download') throw new Error('expected a download');
    expect(out.fileName).toBe('my_contoso.json');
    const text = Buffer.from(out.base64, 'base64').toString('utf8');
    expect(JSON.parse(text)).toEqual(contoso);
    expect(text.endsWith('}\n')).toBe(true);
    const bad = await fail('topologies.saveFile', { topology: { ...contoso, sipDomains: [], pools: [] }, fileName: 't.json', target: { kind: 'download' } });
    expect(bad.details?.length).toBe(2);
  });

  it('creates a request from the form topology: names from the plan, the topology recorded and kept', async () => {
    const record = await ok('requests.create', { subject: { commonName: '' }, sans: [], fromTopology: { kind: 'form', topology: contoso, certificate: 1 } });
    expect(record.subject).toBe('webext.contoso.com');
    expect(record.sans).toEqual(['webext.contoso.com', 'webdirext.contoso.com', 'meet.contoso.com', 'dialin.contoso.com', 'officewebapps01.contoso.com', 'lyncdiscover.contoso.com']);
    expect(record.friendlyName).toBe('Reverse proxy webext.contoso.com 2026-03');
    const copy = readFileSync(join(dir, 'store', 'requests', record.id, 'topology.json'), 'utf8');
    expect(record.topology).toEqual({ kind: 'form', source: 'Plan view', sha256: sha(copy), certificate: 1 });
    expect(JSON.parse(copy)).toEqual(contoso);
    expect(record.history.map((h) => h.event)).toContain('planned-from-topology');
  });

  it('creates a request from a stored topology by name, keeping a friendly name the admin gave', async () => {
    const stored = await ok('topologies.show', { name: 'contoso' });
    const record = await ok('requests.create', {
      subject: { commonName: 'webext.contoso.com', organization: 'Contoso' },
      sans: [...stored.topology.sipDomains.map(() => 'meet.contoso.com'), 'webdirext.contoso.com', 'dialin.contoso.com', 'officewebapps01.contoso.com', 'lyncdiscover.contoso.com'],
      friendlyName: 'Edge listener',
      fromTopology: { kind: 'stored', name: 'contoso' },
    });
    expect(record.topology).toEqual({ kind: 'stored', source: 'contoso', sha256: stored.sha256, certificate: 1 });
    expect(record.friendlyName).toBe('Edge listener');
    expect(record.subjectFields.organization).toBe('Contoso');
  });

  it('refuses names that are not the plan\'s, a missing stored topology, and a plan with errors, in the admin\'s words', async () => {
    const other = await fail('requests.create', { subject: { commonName: 'webext.contoso.com' }, sans: ['extra.contoso.com'], fromTopology: { kind: 'form', topology: contoso } });
    expect(other.code).toBe('INVALID_INPUT');
    expect(other.message).toMatch(/names differ from certificate 1 of the plan/);
    expect((await fail('requests.create', { subject: { commonName: '' }, sans: [], fromTopology: { kind: 'stored', name: 'nope' } })).code).toBe('NOT_FOUND');
    const broken = { ...contoso, simpleUrls: { ...contoso.simpleUrls, dialin: 'http://dialin.contoso.com' } };
    const e = await fail('requests.create', { subject: { commonName: '' }, sans: [], fromTopology: { kind: 'form', topology: broken, source: 'contoso.json' } });
    expect(e.message).toMatch(/^the plan from contoso\.json has 1 error: SIMPLE_URL_NOT_HTTPS/);
    expect(e.message).not.toMatch(/certdesk|--/);
  });
});
