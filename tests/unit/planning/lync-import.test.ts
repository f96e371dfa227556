/**
 * The Lync topology importer on documents written from the public format (tests/fixtures/lync,
 * see its README), both wrappers, UTF-8 and UTF-16 with CRLF, the proposed defaults and their
 * findings, and hostile XML.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readLine } from '../../../src-main/common/topology-import.js';
import { planTopology } from '../../../src-main/planning/planner.js';
import { decodeTopologyText, parseTopologyDocument } from '../../../src-main/planning/topology-file.js';
import { readTopologyDocument } from '../../../src-main/services/plans.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/lync/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'certdesk-lync-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const contosoXml = readFileSync(join(FIXTURES, 'contoso-get-cstopology.xml'), 'utf8');
const fabrikamBytes = readFileSync(join(FIXTURES, 'fabrikam-topology-builder.tbxml'));

describe('Get-CsTopology -AsXml', () => {
  it("reads the procedure's deployment and plans its six names", async () => {
    const doc = await readTopologyDocument(join(FIXTURES, 'contoso-get-cstopology.xml'));
    expect(doc.format).toBe('lync-topology');
    expect(doc.topology).toMatchObject({
      sipDomains: ['contoso.com'],
      pools: [{ name: 'pool01', externalWebFqdn: 'webext.contoso.com', remoteAccess: true, internalFqdn: 'pool01.contoso.com' }],
      directors: [{ name: 'dir01', externalWebFqdn: 'webdirext.contoso.com', internalFqdn: 'dir01.contoso.com' }],
      simpleUrls: { meet: [{ url: 'https://meet.contoso.com', sipDomain: 'contoso.com', active: true }], dialin: 'https://dialin.contoso.com' },
      officeWebApps: ['officewebapps01.contoso.com'],
      mobility: { autodiscoverPort: 443 },
      subjectPool: 'pool01',
    });
    expect(doc.topology.edge).toBeUndefined();
    const plan = planTopology(doc.topology);
    expect(plan.ok).toBe(true);
    expect(plan.plans[0]?.sans.map((s) => s.name)).toEqual([
      'webext.contoso.com',
      'webdirext.contoso.com',
      'meet.contoso.com',
      'dialin.contoso.com',
      'officewebapps01.contoso.com',
      'lyncdiscover.contoso.com',
    ]);
  });

  it('says what it proposed with stable codes and the field they concern', () => {
    const doc = parseTopologyDocument(contosoXml, 'contoso.xml');
    expect(doc.findings.map((f) => [f.code, f.severity, f.field])).toEqual([
      ['IMPORT_POOL_PUBLISHED', 'info', 'pools[0].remoteAccess'],
      ['IMPORT_MEET_URL_PROPOSED', 'info', 'simpleUrls.meet[0].url'],
      ['IMPORT_DIALIN_URL_PROPOSED', 'info', 'simpleUrls.dialin'],
      ['IMPORT_EDGE_FOUND', 'info', 'edge.sans'],
      ['IMPORT_MOBILITY_PROPOSED', 'info', 'mobility.autodiscoverPort'],
    ]);
    expect(doc.read).toContain('Director dir01.contoso.com: external web services webdirext.contoso.com');
    expect(doc.read).toContain('Edge Server edge01.contoso.net');
  });

  it('gives what it read as data too, each item worded as the same English line the CLI prints', () => {
    const doc = parseTopologyDocument(contosoXml, 'contoso.xml');
    expect(doc.readItems.map((r) => r.kind)).toEqual(['sip-domains', 'pool', 'director', 'office-web-apps', 'edge']);
    expect(doc.readItems).toContainEqual({ kind: 'director', fqdn: 'dir01.contoso.com', external: 'webdirext.contoso.com' });
    expect(doc.readItems.map(readLine)).toEqual(doc.read);
    expect(readLine({ kind: 'edge', fqdn: null })).toBe('Edge Server an Edge pool');
  });

  it('assumes mobility when a pool lists no web components, and not when it lists them without mobility or UCWA', () => {
    const none = contosoXml.replace(/<WebComponents[\s\S]*?<\/WebComponents>/, '');
    expect(parseTopologyDocument(none, 'x.xml').topology.mobility).toEqual({ autodiscoverPort: 443 });
    const noMcx = contosoXml.replace('<Component ComponentName="McxService" />', '').replace('<Component ComponentName="UcwaService" />', '');
    const doc = parseTopologyDocument(noMcx, 'x.xml');
    expect(doc.topology.mobility).toBeUndefined();
    expect(doc.findings.map((f) => f.code)).not.toContain('IMPORT_MOBILITY_PROPOSED');
  });
});

describe('Topology Builder document (UTF-16LE, BOM, CRLF)', () => {
  const expected = {
    sipDomains: ['fabrikam.com', 'fabrikam.eu'],
    pools: [
      { name: 'pool-sea', externalWebFqdn: 'webext-sea.fabrikam.com', remoteAccess: true, internalFqdn: 'pool-sea.fabrikam.com' },
      { name: 'pool-ams', externalWebFqdn: 'webext-ams.fabrikam.com', remoteAccess: true, internalFqdn: 'pool-ams.fabrikam.com' },
    ],
    directors: [{ name: 'dirpool', externalWebFqdn: 'webdir.fabrikam.com', internalFqdn: 'dirpool.fabrikam.com' }],
    simpleUrls: {
      meet: [
        { url: 'https://meet.fabrikam.com', sipDomain: 'fabrikam.com', active: true },
        { url: 'https://meet.fabrikam.eu', sipDomain: 'fabrikam.eu', active: true },
      ],
      dialin: 'https://dialin.fabrikam.com',
    },
  };

  it('reads the wrapped PartialTopology: default domain first, simple URLs from the document, unknown roles ignored', async () => {
    const doc = await readTopologyDocument(join(FIXTURES, 'fabrikam-topology-builder.tbxml'));
    expect(doc.format).toBe('lync-topology-builder');
    expect(doc.topology).toMatchObject(expected);
    expect(doc.topology.mobility).toBeUndefined();
    expect(doc.findings.map((f) => f.code)).toEqual(['IMPORT_POOL_PUBLISHED', 'IMPORT_POOL_PUBLISHED']);
    expect(planTopology(doc.topology).ok).toBe(true);
  });

  it('reads the same document as UTF-8, UTF-16BE and with LF line ends', () => {
    const text = decodeTopologyText(fabrikamBytes, 'f.tbxml');
    expect(text).toContain('\r\n');
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replace(/\r\n/g, '\n'), 'utf8')]);
    const be = Buffer.from(text, 'utf16le').swap16();
    for (const bytes of [utf8, Buffer.concat([Buffer.from([0xfe, 0xff]), be])]) {
      expect(parseTopologyDocument(decodeTopologyText(bytes, 'f'), 'f').topology).toMatchObject(expected);
    }
  });
});

describe('certdesk JSON still reads as before', () => {
  it('recognises JSON by content, whatever the name', async () => {
    const p = join(work, 'topology.xml');
    writeFileSync(p, readFileSync(fileURLToPath(new URL('../../../examples/contoso.json', import.meta.url))));
    expect((await readTopologyDocument(p)).format).toBe('certdesk-json');
  });
});

describe('refuses what is not a usable topology document, in one line, fast', () => {
  const cases: [string, string | Buffer, RegExp][] = [
    [
      'a DOCTYPE with an external entity',
      '<?xml version="1.0"?><!DOCTYPE Topology [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008">&xxe;</Topology>',
      /^x\.xml is not a topology document: it has a DOCTYPE \(DTDs and entities are refused/,
    ],
    [
      'billion laughs',
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><lolz>&lol9;</lolz>`,
      /DOCTYPE/,
    ],
    ['an undeclared entity without a DOCTYPE', '<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008">&xxe;</Topology>', /^x\.xml is not well-formed XML: .*line 1/],
    ['not XML at all', '<<<not xml', /^x\.xml is not well-formed XML/],
    ['XML of another kind', '<?xml version="1.0"?><project><name>x</name></project>', /^x\.xml is XML of another kind \(root element project\)/],
    ['a Topology in another namespace', '<Topology xmlns="urn:example"/>', /XML of another kind \(root element Topology in namespace urn:example\)/],
    [
      'a topology without a pool',
      '<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008"><InternalDomains DefaultDomain="contoso.com"><InternalDomain Name="contoso.com"/></InternalDomains><Services/></Topology>',
      /^x\.xml has no Front End pool with external web services/,
    ],
    ['a Topology Builder document without a topology', '<TopologyBuilder xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.TopologyBuilder.2008"><NewTopology/></TopologyBuilder>', /without a NewTopology\/PartialTopology/],
  ];
  it.each(cases)('%s', (_what, text, message) => {
    const started = Date.now();
    let error: unknown;
    try {
      parseTopologyDocument(String(text), 'x.xml');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'CertdeskError', message: expect.stringMatching(message) as unknown });
    expect((error as Error).message).not.toContain('\n');
    expect((error as Error).message).not.toContain('root:');
    // A hang guard, not a speed test: entity expansion would take minutes and gigabytes.
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a 50 MiB file from its size, without reading it', async () => {
    const p = join(work, 'big.xml');
    writeFileSync(p, '');
    const { truncateSync } = await import('node:fs');
    truncateSync(p, 50 * 1024 * 1024);
    await expect(readTopologyDocument(p)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: 'big.xml is too large (50.0 MiB); a topology file is at most 1 MiB' });
  });

  it('never expands entities, even deep in a document: the DOCTYPE is refused before any content', () => {
    const evil = contosoXml.replace('<Topology ', '<!DOCTYPE Topology SYSTEM "http://127.0.0.1:9/t.dtd"><Topology ');
    expect(() => parseTopologyDocument(evil, 'x.xml')).toThrow(/DOCTYPE/);
  });
});
