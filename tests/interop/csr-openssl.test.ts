import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { domainToUnicode } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeySize, SubjectFields } from '../../src-main/common/requests.js';
import { createCsr } from '../../src-main/pki/csr-create.js';
import { generateRsaKeyPair } from '../../src-main/pki/keys.js';

/*
 * Every CSR Certdesk makes must pass OpenSSL's `req -verify -text` and GnuTLS's `certtool --crq-info`
 * with exactly the reverse-proxy profile, read field by field from their own text output.
 */

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'certdesk-csr-interop-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(cmd: string, args: string[]): { out: string; err: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { out: r.stdout, err: r.stderr };
}

/** Groups indented lines under their headers: `header -> lines indented deeper` (raw), in order. */
function sections(lines: string[]): { header: string; body: string[] }[] {
  const indent = (l: string) => (/^\s*/.exec(l) as RegExpExecArray)[0].length;
  const base = lines.length ? indent(lines[0] as string) : 0;
  const out: { header: string; body: string[] }[] = [];
  for (const l of lines) {
    if (indent(l) <= base) out.push({ header: l.trim(), body: [] });
    else out.at(-1)?.body.push(l);
  }
  return out;
}

const trimmed = (secs: { header: string; body: string[] }[]) => secs.map((s) => ({ header: s.header, body: s.body.map((l) => l.trim()) }));

function between(text: string, start: RegExp, end: RegExp): string[] {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => start.test(l));
  const j = lines.findIndex((l, k) => k > i && end.test(l));
  if (i < 0 || j < 0) throw new Error(`section ${start} not found`);
  return lines.slice(i + 1, j).filter((l) => l.trim() !== '');
}

interface Case {
  bits: KeySize;
  subject: SubjectFields;
  sans: string[];
  windowsAttributes: boolean;
}

const CSP_HEX =
  '30620201011e5a' + Buffer.from('Microsoft RSA SChannel Cryptographic Provider', 'utf16le').swap16().toString('hex') + '030100';

/** OpenSSL: signature verifies; subject, key, extensions and attributes exactly as the profile says. */
function checkOpenssl(file: string, der: boolean, c: Case, expectedSubject: string): void {
  const { out, err } = run('openssl', ['req', ...(der ? ['-inform', 'DER'] : []), '-in', file, '-verify', '-text', '-noout']);
  expect(`${out}${err}`).toMatch(/self-signature verify OK/);
  expect(/^\s*Subject: (.*)$/m.exec(out)?.[1]).toBe(expectedSubject);
  expect(out).toContain(`Public-Key: (${c.bits} bit)`);
  expect(out).toContain('Exponent: 65537 (0x10001)');
  const sigAlgs = [...out.matchAll(/Signature Algorithm: (\S+)/g)].map((m) => m[1]);
  expect(sigAlgs.length).toBeGreaterThan(0);
  expect(new Set(sigAlgs)).toEqual(new Set(['sha256WithRSAEncryption']));
  const exts = trimmed(sections(between(out, /Requested Extensions:/, /Signature Algorithm:/)));
  expect(exts).toEqual([
    { header: 'X509v3 Subject Alternative Name:', body: [c.sans.map((s) => `DNS:${s}`).join(', ')] },
    { header: 'X509v3 Key Usage: critical', body: ['Digital Signature, Key Encipherment'] },
    { header: 'X509v3 Extended Key Usage:', body: ['TLS Web Server Authentication, TLS Web Client Authentication'] },
  ]);
  const attrs = between(out, /^\s*Attributes:/, /Requested Extensions:/).map((l) => l.trim().split(/\s+/)[0]);
  expect(attrs).toEqual(c.windowsAttributes ? ['1.3.6.1.4.1.311.13.2.2'] : []);
}

/** GnuTLS: the same facts through an independent ASN.1 stack, plus the SPKI pin. */
function checkCerttool(file: string, der: boolean, c: Case, expectedSubject: string, spkiSha256: string): void {
  const { out } = run('certtool', ['--crq-info', ...(der ? ['--inder'] : []), '--infile', file]);
  expect(out).toContain('Self signature: verified');
  expect(/^\s*Subject: (.*)$/m.exec(out)?.[1]).toBe(expectedSubject);
  expect(out).toContain('Subject Public Key Algorithm: RSA');
  expect(out).toContain(`Modulus (bits ${c.bits}):`);
  expect(/Signature Algorithm: (.*)/.exec(out)?.[1]).toBe('RSA-SHA256');
  // GnuTLS lists attributes in encoding order: the extension request is not always first.
  const attrs = sections(between(out, /^\s*Attributes:/, /^Other Information:/));
  expect(attrs.map((a) => a.header)).toEqual(c.windowsAttributes ? expect.arrayContaining(['Extensions:', 'Unknown attribute 1.3.6.1.4.1.311.13.2.2:']) : ['Extensions:']);
  expect(attrs).toHaveLength(c.windowsAttributes ? 2 : 1);
  const exts = trimmed(sections(attrs.find((a) => a.header === 'Extensions:')?.body ?? []));
  // certtool shows the U-label of an IDN beside the A-label.
  const shown = (s: string) => (domainToUnicode(s) === s ? s : `${s} (${domainToUnicode(s)})`);
  expect(exts).toEqual([
    { header: 'Subject Alternative Name (not critical):', body: c.sans.map((s) => `DNSname: ${shown(s)}`) },
    { header: 'Key Usage (critical):', body: ['Digital signature.', 'Key encipherment.'] },
    { header: 'Key Purpose (not critical):', body: ['TLS WWW Server.', 'TLS WWW Client.'] },
  ]);
  if (c.windowsAttributes) {
    const csp = attrs.find((a) => a.header.startsWith('Unknown attribute'))?.body.map((l) => l.trim()) ?? [];
    expect(csp.find((l) => l.startsWith('Hexdump: '))).toBe(`Hexdump: ${CSP_HEX}`);
  }
  expect(/pin-sha256:(\S+)/.exec(out)?.[1]).toBe(Buffer.from(spkiSha256, 'hex').toString('base64'));
}

const FULL: SubjectFields = { commonName: 'webext.contoso.com', organization: 'Contoso', organizationalUnit: 'IT', locality: 'Redmond', state: 'Washington', country: 'US' };
const CASES: [string, Case][] = [
  ['2048-bit, full subject, Windows attributes', { bits: 2048, subject: FULL, sans: ['webext.contoso.com', 'meet.contoso.com', 'dialin.contoso.com', 'lyncdiscover.contoso.com'], windowsAttributes: true }],
  ['3072-bit, CN only, IDN A-label SAN, no Windows attributes', { bits: 3072, subject: { commonName: 'webext.contoso.com' }, sans: ['webext.contoso.com', 'xn--bcher-kva.contoso.com'], windowsAttributes: false }],
  ['4096-bit, O and C, Windows attributes', { bits: 4096, subject: { commonName: 'rp.fabrikam.com', organization: 'Fabrikam', country: 'DE' }, sans: ['rp.fabrikam.com'], windowsAttributes: true }],
];

describe('CSRs Certdesk makes, as OpenSSL and GnuTLS read them', () => {
  it.each(CASES)('%s: Base64 and DER pass openssl req -verify and certtool --crq-info with the profile', async (name, c) => {
    const key = await generateRsaKeyPair(c.bits);
    const csr = createCsr({ subject: c.subject, sans: c.sans, windowsAttributes: c.windowsAttributes }, key.privateKeyPem);
    const slug = name.slice(0, 8).replace(/\W/g, '');
    const pemFile = join(tmp, `${slug}.csr`);
    const derFile = join(tmp, `${slug}.der`);
    writeFileSync(pemFile, csr.pem);
    writeFileSync(derFile, csr.der);
    const s = c.subject;
    const rdns: [string, string | undefined][] = [['C', s.country], ['ST', s.state], ['L', s.locality], ['O', s.organization], ['OU', s.organizationalUnit], ['CN', s.commonName]];
    const present = rdns.filter((r): r is [string, string] => r[1] !== undefined);
    const opensslSubject = present.map(([k, v]) => `${k} = ${v}`).join(', ');
    const gnutlsSubject = [...present].reverse().map(([k, v]) => `${k}=${v}`).join(',');
    const spkiSha256 = createHash('sha256').update(key.spkiDer).digest('hex');
    for (const [file, der] of [[pemFile, false], [derFile, true]] as const) {
      checkOpenssl(file, der, c, opensslSubject);
      checkCerttool(file, der, c, gnutlsSubject, spkiSha256);
    }
  });
});
