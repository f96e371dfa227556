/**
 * Install-Certificate.ps1 rendered for many generated farms and checked as text, because nothing
 * here can run PowerShell: Debian packages no PowerShell, and the npm registry offers only
 * installers that download it at install time (pwsh, node-powershell needs a local one). What runs
 * offline is a grammar: tree-sitter-powershell (Airbus CERT's tree-sitter grammar, WebAssembly build,
 * through web-tree-sitter). It is not Microsoft's parser and does not know, for instance, that a
 * duplicate hashtable key is a parse error, so the token-level checks of tests/helpers/ps-lexer.ts
 * run beside it: bracket and string balance, hashtable-key uniqueness, "$name:" in strings.
 */
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Language, Parser } from 'web-tree-sitter';
import { profileForWindowsVersion, WINDOWS_VERSIONS, type WindowsVersion } from '../../../src-main/common/farms.js';
import type { BundleCa, BundlePlan } from '../../../src-main/media/bundle-plan.js';
import { renderInstallScript } from '../../../src-main/media/install-script.js';
import { findAmbiguousNodes, netbiosNames } from '../../../src-main/media/windows-names.js';
import { assertNodesDistinctOnWindows } from '../../../src-main/services/farms.js';
import { codeTokens, hashtableLiterals, lexPowerShell, type PsToken } from '../../helpers/ps-lexer.js';

/** Deterministic pseudo-random numbers (mulberry32), so a failure names a farm that can be rebuilt. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const hex = (r: () => number, n: number): string => Array.from({ length: n }, () => '0123456789ABCDEF'[Math.floor(r() * 16)]).join('');
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

// Shared first labels, internationalized labels and labels up to the 63-octet limit.
const FIRST_LABELS = ['rp01', 'rp02', 'proxy', 'reverseproxy-node01', 'reverseproxy-node02', 'bücher-rp', 'прокси1', 'rp', 'a'.repeat(63), 'arr-' + 'x'.repeat(40)];
const DOMAINS = ['contoso.com', 'dmz1.contoso.com', 'dmz2.contoso.com', 'contoso.local', '例え.jp', 'fabrikam.de', `${'d'.repeat(60)}.${'e'.repeat(60)}.contoso.com`];
// Untrusted CA subjects: quotes, typographic quotes, a comment end, subexpressions, line breaks, non-ASCII.
const SUBJECTS = ["CN=Contoso Root CA, O=Contoso", "CN=O'Brien ' ; Remove-Item C:\\ -Recurse ; '", 'CN=Evil \u2019; Start-Process calc; \u2018', 'CN=#> Write-Host pwned <#', 'CN=$(Stop-Computer) "x"', 'CN=Zürich Issuing CA\r\nO=Line', 'CN=`whoami`'];

function ca(r: () => number, prefix: string, i: number): BundleCa {
  const der = new Uint8Array(Array.from({ length: 16 + Math.floor(r() * 64) }, () => Math.floor(r() * 256)));
  return { fileName: `${prefix}-${i}-CA_${i}.cer`, subject: pick(r, SUBJECTS), thumbprint: hex(r, 40), notAfter: '2035-01-01T00:00:00.000Z', der };
}

function farm(seed: number): BundlePlan {
  const r = rng(seed);
  const count = 1 + Math.floor(r() * 10);
  const hosts = new Set<string>();
  while (hosts.size < count) {
    const host = domainToASCII(r() < 0.15 ? pick(r, FIRST_LABELS) : `${pick(r, FIRST_LABELS)}.${pick(r, DOMAINS)}`);
    if (host !== '') hosts.add(host);
  }
  const versions: readonly WindowsVersion[] = WINDOWS_VERSIONS;
  const nodes = [...hosts].map((host) => {
    const windowsVersion = pick(r, versions);
    return { host, windowsVersion, profile: profileForWindowsVersion(windowsVersion), notes: '' };
  });
  const profiles = [...new Set(nodes.map((n) => n.profile))].sort();
  const several = (prefix: string, max: number): BundleCa[] => Array.from({ length: Math.floor(r() * (max + 1)) }, (_, i) => ca(r, prefix, i + 1));
  return {
    requestId: '20260315-3f2kx9ab',
    friendlyName: 'Reverse Proxy Listener for Lync Server',
    subject: 'webext.contoso.com',
    distinguishedName: 'CN=webext.contoso.com',
    sans: ['webext.contoso.com'],
    issuer: 'CN=Public CA',
    serialNumber: '0A',
    thumbprint: hex(r, 40),
    certificateSha256: 'f'.repeat(64),
    notBefore: '2026-03-15T00:00:00.000Z',
    notAfter: '2026-09-30T00:00:00.000Z',
    farm: `farm-${seed}`,
    nodes,
    pfx: profiles.map((profile) => ({ fileName: `webext.contoso.com-${profile}.pfx`, profile, data: new Uint8Array([seed & 0xff, 1, 2, profile.length]) })),
    roots: several('internal-root', 2),
    intermediates: several('internal-intermediate', 2),
    publicIntermediates: several('public-intermediate', 2),
    publicRoot: r() < 0.5 ? ca(r, 'public-root', 1) : null,
    passwordExport: 1,
    createdAt: '2026-03-15T14:02:09.000Z',
  };
}

const FARMS = Array.from({ length: 60 }, (_, i) => farm(1000 + i));

/** The hashtable literal assigned to `$name`, as key -> value (values: the string after '='). */
function table(tokens: readonly PsToken[], name: string): Map<string, string> {
  const at = tokens.findIndex((t, i) => t.kind === 'variable' && t.text === name && tokens[i + 1]?.text === '=' && tokens[i + 2]?.text === '@{');
  const literal = hashtableLiterals(tokens).find((h) => h.start === at + 2);
  if (!literal) throw new Error(`no hashtable literal assigned to ${name}`);
  const out = new Map<string, string>();
  for (let j = literal.start + 1; j < literal.end; j++) {
    const t = tokens[j] as PsToken;
    if ((t.kind === 'string' || t.kind === 'word') && tokens[j + 1]?.text === '=' && tokens[j + 2]?.kind === 'string') out.set(t.value ?? t.text, tokens[j + 2]?.value ?? '');
  }
  return out;
}

/** The rows of `$CaFiles`: each "@{ File = ...; Store = ...; ... }" inside its "@( )". */
function caRows(tokens: readonly PsToken[]): Record<string, string>[] {
  const at = tokens.findIndex((t, i) => t.text === '$CaFiles' && tokens[i + 1]?.text === '=');
  const open = at + 2;
  if (tokens[open]?.text !== '@(') throw new Error('$CaFiles is not an array literal');
  let depth = 0;
  let end = open;
  for (let j = open; j < tokens.length; j++) {
    if (tokens[j]?.kind === 'open') depth++;
    if (tokens[j]?.kind === 'close' && --depth === 0) {
      end = j;
      break;
    }
  }
  return hashtableLiterals(tokens)
    .filter((h) => h.start > open && h.end < end)
    .map((h) => {
      const row: Record<string, string> = {};
      for (let j = h.start + 1; j < h.end; j++) {
        const t = tokens[j] as PsToken;
        if (t.kind === 'word' && tokens[j + 1]?.text === '=' && tokens[j + 2]?.kind === 'string') row[t.text] = tokens[j + 2]?.value ?? '';
      }
      return row;
    });
}

let parser: Parser;
beforeAll(async () => {
  const require = createRequire(import.meta.url);
  await Parser.init();
  parser = new Parser();
  parser.setLanguage(await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm')));
});

/** Syntax errors tree-sitter-powershell finds, with their line. */
function grammarErrors(script: string): string[] {
  const tree = parser.parse(script);
  if (!tree) throw new Error('tree-sitter returned no tree');
  // Walking every node is slow in WebAssembly: only a tree with an error is walked, to name it.
  if (!tree.rootNode.hasError) {
    tree.delete();
    return [];
  }
  const errors: string[] = [];
  const walk = (n: NonNullable<typeof tree>['rootNode']): void => {
    if (n.isError || n.isMissing) errors.push(`line ${n.startPosition.row + 1}: ${n.isMissing ? 'missing ' : ''}${n.type} ${JSON.stringify(n.text.slice(0, 60))}`);
    for (const c of n.children) if (c) walk(c);
  };
  walk(tree.rootNode);
  tree.delete();
  return errors;
}

describe('the checkers themselves', () => {
  it('tree-sitter-powershell and the token checker both catch a missing brace and an unclosed string', () => {
    const broken = "if ($x) { Write-Host 'a'\n$y = 'open\n";
    expect(grammarErrors(broken).length).toBeGreaterThan(0);
    expect(lexPowerShell(broken).problems.length).toBeGreaterThan(0);
    expect(grammarErrors("if ($x) { Write-Host 'a' }\n")).toEqual([]);
  });

  it('the token checker finds duplicate hashtable keys, case-insensitively, and "$name:" in a string', () => {
    const tokens = codeTokens(lexPowerShell("$t = @{\n    'RP01' = 'legacy'\n    'rp01' = 'modern'\n}\n").tokens);
    expect(hashtableLiterals(tokens).map((h) => h.keys)).toEqual([['RP01', 'rp01']]);
    expect(lexPowerShell('Write-Host "needs $Profile: now"\n').problems.join()).toContain('$Profile:');
    expect(lexPowerShell('Write-Host "$env:COMPUTERNAME $($p): ok"\n').problems).toEqual([]);
  });
});

describe(`Install-Certificate.ps1 for ${FARMS.length} generated farms`, () => {
  it('generates farms with shared first labels, IDNs, long names, 1-10 nodes and both profiles', () => {
    const shared = FARMS.filter((f) => findAmbiguousNodes(f.nodes.map((n) => n.host)) !== null);
    expect(shared.length).toBeGreaterThan(10);
    expect(FARMS.some((f) => f.nodes.some((n) => n.host.includes('xn--')))).toBe(true);
    expect(FARMS.some((f) => f.nodes.some((n) => n.host.length > 120))).toBe(true);
    expect(new Set(FARMS.map((f) => f.nodes.length))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    expect(FARMS.some((f) => f.pfx.length === 2)).toBe(true);
    expect(FARMS.some((f) => f.pfx.length === 1 && f.pfx[0]?.profile === 'modern')).toBe(true);
  });

  for (const plan of FARMS) {
    it(`${plan.farm} (${plan.nodes.length} nodes, ${plan.pfx.map((p) => p.profile).join('+')})`, () => {
      const script = renderInstallScript(plan);
      const lexed = lexPowerShell(script);
      expect(lexed.problems, 'token checker').toEqual([]);
      expect(grammarErrors(script), 'tree-sitter-powershell').toEqual([]);
      expect([...script].filter((c) => c > '~' || (c < ' ' && c !== '\n')), 'ASCII only').toEqual([]);
      const tokens = codeTokens(lexed.tokens);

      // 1. No duplicate hashtable keys anywhere (PowerShell compares them case-insensitively).
      for (const h of hashtableLiterals(tokens)) {
        const lower = h.keys.map((k) => k.toLowerCase());
        expect(new Set(lower).size, `keys of the hashtable on line ${h.line}: ${h.keys.join(', ')}`).toBe(lower.length);
      }
      // Nodes are keyed by their full name; the NetBIOS fallback holds only names one node can have.
      expect([...table(tokens, '$FarmNodes').entries()].sort()).toEqual(plan.nodes.map((n) => [n.host, n.profile]).sort());
      for (const [name, host] of table(tokens, '$FarmNodesByNetBiosName')) {
        expect(name.length).toBeLessThanOrEqual(15);
        expect(plan.nodes.filter((n) => netbiosNames(n.host).includes(name)).map((n) => n.host)).toEqual([host]);
      }

      // 2. Every CA file with its store, SHA-1 thumbprint and SHA-256; every PFX with its SHA-256.
      const expectedRows = [
        ...plan.roots.map((c) => ({ c, store: 'Root' })),
        ...(plan.publicRoot ? [{ c: plan.publicRoot, store: 'Root' }] : []),
        ...plan.intermediates.map((c) => ({ c, store: 'CA' })),
        ...plan.publicIntermediates.map((c) => ({ c, store: 'CA' })),
      ].map(({ c, store }) => ({ File: c.fileName, Store: store, Thumbprint: c.thumbprint, Sha256: sha256(c.der) }));
      expect(caRows(tokens).map(({ File, Store, Thumbprint, Sha256 }) => ({ File, Store, Thumbprint, Sha256 }))).toEqual(expectedRows);
      expect(Object.fromEntries(table(tokens, '$PfxSha256'))).toEqual(Object.fromEntries(plan.pfx.map((p) => [p.profile, sha256(p.data)])));
      // Untrusted subjects stay inside their string literals: no injected command became code.
      expect(tokens.filter((t) => t.kind === 'word' && /^(Remove-Item|Start-Process|Stop-Computer|whoami|pwned)$/i.test(t.text))).toEqual([]);

      // 3. The password is read, and the PFX opened in memory, before any store is touched.
      const first = (re: RegExp): number => tokens.findIndex((t) => t.kind === 'word' && re.test(t.text));
      const readHost = first(/^Read-Host$/);
      // Get-Command only asks whether a cmdlet exists.
      const writes = (t: PsToken, i: number): boolean =>
        (t.kind === 'word' && /^(Import-Certificate|Import-PfxCertificate|Add-CertificateToStore|Remove-CertificateFromStore|ReadWrite)$/.test(t.text) && tokens[i - 1]?.text !== 'Get-Command') ||
        (t.kind === 'word' && /^\.(Add|Remove)$/.test(t.text) && /^\$\w*store$/i.test(tokens[i - 1]?.text ?? ''));
      const storeWrites = tokens.map((t, i) => (writes(t, i) ? i : -1)).filter((i) => i >= 0);
      expect(readHost).toBeGreaterThan(0);
      expect(storeWrites.length).toBeGreaterThan(0);
      expect(Math.min(...storeWrites)).toBeGreaterThan(first(/^Get-PfxData$/));
      expect(first(/^Get-PfxData$/)).toBeGreaterThan(readHost);
      expect(tokens.some((t) => /SecureStringToBSTR|PtrToStringBSTR|ConvertFrom-SecureString|GetNetworkCredential/i.test(t.text))).toBe(false);

      // 4. Nothing from the PFX goes into Root: 'Root' is a store name only in the CA file table, the
      // PFX goes to My only, and stores are written only with table entries or 'My'.
      const rows = caRows(tokens).length;
      expect(tokens.filter((t) => t.kind === 'string' && t.value === 'Root').length).toBe(expectedRows.filter((r) => r.Store === 'Root').length);
      expect(rows).toBe(expectedRows.length);
      tokens.forEach((t, i) => {
        if (t.text === 'Import-PfxCertificate' && tokens[i - 1]?.text !== 'Get-Command') expect(tokens.slice(i, i + 8).map((u) => u.text).join(' ')).toContain('-CertStoreLocation Cert:\\LocalMachine\\My');
        // Lexed "$ca.Store" is the variable and the member: "$ca .Store".
        if (t.text === 'Add-CertificateToStore' && tokens[i - 1]?.text !== 'function') expect(tokens.slice(i + 1, i + 5).map((u) => u.text).join(' ')).toMatch(/^\$entry \.Certificate \$ca \.Store|^\$leaf 'My'/);
        if (t.text === 'Import-Certificate') expect(tokens.slice(i, i + 14).map((u) => u.text).join(' ')).toContain("'Cert:\\LocalMachine\\' + $ca .Store");
      });
    });
  }
});

describe('farm add: node names that would be ambiguous on Windows', () => {
  it('refuses every generated farm whose nodes share a NetBIOS name and accepts the others', () => {
    let refused = 0;
    for (const plan of FARMS) {
      const hosts = plan.nodes.map((n) => n.host);
      const clash = findAmbiguousNodes(hosts);
      if (clash) {
        refused++;
        expect(() => assertNodesDistinctOnWindows(hosts)).toThrow(`would both be "${clash.netbiosName}" on Windows`);
      } else {
        expect(() => assertNodesDistinctOnWindows(hosts)).not.toThrow();
      }
    }
    expect(refused).toBeGreaterThan(10);
  });

  it('knows the cases the issue names: same first label, bare name vs FQDN, 15-character cut, IDN', () => {
    expect(findAmbiguousNodes(['rp01.dmz1.contoso.com', 'rp01.dmz2.contoso.com'])?.netbiosName).toBe('RP01');
    expect(findAmbiguousNodes(['rp01', 'rp01.contoso.com'])?.netbiosName).toBe('RP01');
    expect(findAmbiguousNodes(['reverseproxy-node01.contoso.com', 'reverseproxy-node02.contoso.com'])?.netbiosName).toBe('REVERSEPROXY-NO');
    expect(findAmbiguousNodes([domainToASCII('bücher.contoso.com'), domainToASCII('bücher.fabrikam.com')])).not.toBeNull();
    expect(findAmbiguousNodes(['rp01.contoso.com', 'rp02.contoso.com', 'reverseproxy01.contoso.com'])).toBeNull();
  });
});
