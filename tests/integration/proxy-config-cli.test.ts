/**
 * `certdesk proxy-config` as a command: usage errors exit 2, input errors exit 1 with one line and
 * leave nothing behind, and the configuration alone goes to stdout without --out.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, requireBuiltCli, runCli, text } from './cli-requests-helpers.js';
import { tempDir } from '../interop/pfx-helpers.js';

const PLAN = join(REPO, 'examples', 'contoso.json');
let work: string;
let store: string;

beforeAll(() => {
  requireBuiltCli();
  work = tempDir('certdesk-proxy-cli-');
  store = join(work, 'store');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function oneErrorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l !== '' && !l.startsWith('dbus-daemon'));
  expect(lines).toHaveLength(1);
  return lines[0] ?? '';
}

describe('certdesk proxy-config', () => {
  it('prints the configuration alone to stdout without --out, with placeholders and a note about the missing CA', async () => {
    const r = await runCli(store, ['proxy-config', '--plan', PLAN, '--kind', 'haproxy', '--upstream', 'pool01=10.0.0.5']);
    expect(r.code).toBe(0);
    expect(text(r)).toMatch(/^# Certdesk reverse-proxy configuration for webext\.contoso\.com \(HAProxy 2\.6\+\)/);
    expect(text(r)).toContain('server pool01 10.0.0.5:4443 ssl verify required ca-file /etc/haproxy/certdesk/internal-ca.pem sni str(pool01) verifyhost pool01');
    expect(text(r)).toContain('PLACEHOLDER');
    expect(r.stderr).toMatch(/note: no internal CA given/);
  });

  it('--json gives the result with the rules and the text', async () => {
    const r = await runCli(store, ['--json', 'proxy-config', '--plan', PLAN, '--kind', 'tmg']);
    expect(r.code).toBe(0);
    const j = JSON.parse(text(r)) as { kind: string; subject: string; certificate: number; rules: unknown[]; fileName: string; placeholders: boolean; text: string };
    expect(j).toMatchObject({ kind: 'tmg', subject: 'webext.contoso.com', certificate: 1, fileName: 'tmg-checklist-webext.contoso.com.txt', placeholders: true });
    expect(j.rules).toHaveLength(11);
    expect(j.text).toContain('TMG 2010 web publishing checklist');
  });

  it('--topology NAME plans from a topology saved in the store, exactly as from its file', async () => {
    expect((await runCli(store, ['topology', 'save', 'contoso', PLAN])).code).toBe(0);
    const fromStore = await runCli(store, ['--json', 'proxy-config', '--topology', 'contoso', '--kind', 'nginx', '--upstream', 'pool01=10.0.0.5']);
    const fromFile = await runCli(store, ['--json', 'proxy-config', '--plan', PLAN, '--kind', 'nginx', '--upstream', 'pool01=10.0.0.5']);
    expect(fromStore.code).toBe(0);
    const a = JSON.parse(text(fromStore)) as { rules: unknown[]; text: string };
    const b = JSON.parse(text(fromFile)) as { rules: unknown[]; text: string };
    expect(a.rules).toEqual(b.rules);
    expect(a.text.replace(/generated \S+/, '')).toBe(b.text.replace(/generated \S+/, ''));
    const missing = await runCli(store, ['proxy-config', '--topology', 'nosuch', '--kind', 'nginx']);
    expect(missing.code).toBe(1);
    expect(oneErrorLine(missing.stderr)).toMatch(/^error: .*nosuch/);
  });

  it('bad usage exits 2', async () => {
    for (const args of [
      ['proxy-config', '--plan', PLAN],
      ['proxy-config', '--plan', PLAN, '--kind', 'squid'],
      ['proxy-config', '--kind', 'nginx'],
      ['proxy-config', '--plan', PLAN, '--topology', 'contoso', '--kind', 'nginx'],
      ['proxy-config', '--plan', PLAN, '--kind', 'nginx', '--trust', 'a.cer', '--farm', 'dmz'],
      ['proxy-config', '--plan', PLAN, '--kind', 'nginx', '--password-file', 'pw.txt'],
    ]) {
      const r = await runCli(store, args);
      expect(r.code, args.join(' ')).toBe(2);
    }
  });

  it('input errors exit 1 with one line and write nothing', async () => {
    const out = join(work, 'never');
    const bad = join(work, 'bad.json');
    writeFileSync(bad, JSON.stringify({ version: 1, sipDomains: ['contoso.com'], pools: [{ name: 'p', externalWebFqdn: 'webext.contoso.com', remoteAccess: false }], simpleUrls: { meet: [], dialin: 'https://dialin.contoso.com' } }));
    const cases: [string[], RegExp][] = [
      [['--plan', bad, '--kind', 'nginx'], /^error: the plan from bad\.json has \d+ errors? \(.*NO_PUBLISHED_POOL/],
      [['--plan', PLAN, '--kind', 'nginx', '--upstream', 'pool1=10.0.0.5'], /^error: upstream pool1: no rule forwards to it/],
      [['--plan', PLAN, '--kind', 'nginx', '--listen', '127.0.0.1;'], /^error: the listen address "127\.0\.0\.1;" is not an IP address/],
      [['--plan', PLAN, '--kind', 'nginx', '--install-dir', 'relative/dir'], /^error: the install folder "relative\/dir" must be an absolute path/],
      [['--plan', PLAN, '--kind', 'nginx', '--certificate', '3'], /^error: certificate 3 does not exist/],
      [['--plan', PLAN, '--kind', 'nginx', '--trust', join(work, 'missing.cer')], /^error: cannot read .*missing\.cer: no such file/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(store, ['proxy-config', ...args, '--out', out]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(oneErrorLine(r.stderr)).toMatch(re);
    }
    expect(() => readdirSync(out)).toThrow();
  });

  it('never overwrites a file in the output folder', async () => {
    const out = join(work, 'taken');
    mkdirSync(out);
    writeFileSync(join(out, 'haproxy.cfg'), 'mine\n');
    const r = await runCli(store, ['proxy-config', '--plan', PLAN, '--kind', 'haproxy', '--out', out]);
    expect(r.code).toBe(1);
    expect(oneErrorLine(r.stderr)).toMatch(/^error: .*haproxy\.cfg already exists/);
    expect(readdirSync(out)).toEqual(['haproxy.cfg']);
  });
});
