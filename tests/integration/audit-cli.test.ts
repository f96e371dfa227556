/**
 * The audit log's hash chain through the BUILT CLI (real keychain): `audit verify` accepts an intact
 * log and names the first bad line of one with an edited, removed or swapped line; an old log without
 * the chain is migrated by an audit-chain-started line; `audit show --request` filters.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src-main/common/requests.js';
import { tempDir } from '../interop/pfx-helpers.js';
import { requireBuiltCli, runCli, text } from './cli-requests-helpers.js';

let work: string;
let store: string;
let log: string;
let original: string[];
const ids: string[] = [];

beforeAll(async () => {
  requireBuiltCli();
  work = tempDir('certdesk-audit-');
  store = join(work, 'store');
  for (const cn of ['a.contoso.com', 'b.contoso.com', 'c.contoso.com']) {
    const r = await runCli(store, ['--json', 'request', 'new', '--subject', cn]);
    expect(r.code, r.stderr).toBe(0);
    ids.push((JSON.parse(text(r)) as RequestRecord).id);
  }
  log = join(store, 'audit.log');
  original = readFileSync(log, 'utf8').trimEnd().split('\n');
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

async function verifyWith(lines: string[]): Promise<{ code: number | null; stderr: string }> {
  writeFileSync(log, `${lines.join('\n')}\n`);
  const r = await runCli(store, ['audit', 'verify']);
  writeFileSync(log, `${original.join('\n')}\n`);
  return { code: r.code, stderr: r.stderr };
}

describe('certdesk audit verify', () => {
  it('accepts the intact chain, starting from the genesis value', async () => {
    expect(original.length).toBe(3);
    expect((JSON.parse(original[0] as string) as { prev: string }).prev).toBe('0'.repeat(64));
    const r = await runCli(store, ['audit', 'verify']);
    expect(r.code, r.stderr).toBe(0);
    expect(text(r)).toMatch(/^The audit log is intact: 3 lines/);
  });

  it('names the first bad line of an edited, a removed and a swapped line', async () => {
    const edited = [...original];
    edited[1] = (edited[1] as string).replace('b.contoso.com', 'evil.contoso.com');
    expect((await verifyWith(edited)).stderr).toMatch(/^error: audit\.log line 3 is bad: its hash of the previous line does not match/m);
    const removed = [original[0] as string, original[2] as string];
    const r2 = await verifyWith(removed);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/^error: audit\.log line 2 is bad/m);
    const swapped = [original[1] as string, original[0] as string, original[2] as string];
    expect((await verifyWith(swapped)).stderr).toMatch(/^error: audit\.log line 1 is bad: the first line does not carry the genesis value/m);
  });

  it('reports a request whose key-generated line is missing even when the chain is whole', async () => {
    const r = await verifyWith([original[0] as string]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`no key-generated line in the audit log for request(s) ${[ids[1], ids[2]].sort().join(', ')}`);
  });

  it('migrates an old log by starting the chain at the next line, and says so in the log', async () => {
    const legacy = original.map((l) => {
      const o = JSON.parse(l) as Record<string, unknown>;
      delete o.prev;
      return JSON.stringify(o);
    });
    writeFileSync(log, `${legacy.join('\n')}\n`);
    const r = await runCli(store, ['request', 'new', '--subject', 'd.contoso.com']);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[3]).toContain('"event":"audit-chain-started"');
    const v = await runCli(store, ['--json', 'audit', 'verify']);
    expect(v.code, v.stderr).toBe(0);
    expect(JSON.parse(text(v))).toMatchObject({ ok: true, lines: 5, chainedFrom: 4 });
    const edited = [...lines];
    edited[2] = (edited[2] as string).replace('c.contoso.com', 'x.contoso.com');
    writeFileSync(log, `${edited.join('\n')}\n`);
    const bad = await runCli(store, ['audit', 'verify']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: audit\.log line 4 is bad/m);
  });

  it('audit show --request prints only that request', async () => {
    const r = await runCli(store, ['audit', 'show', '--request', ids[0] as string]);
    expect(r.code, r.stderr).toBe(0);
    const out = text(r).trim().split('\n');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(new RegExp(`key-generated\\s+${ids[0]}`));
  });
});
