import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../src-main/common/errors.js';
import { PLAN_RULES } from '../../../src-main/common/plan.js';
import { NAME_RULES } from '../../../src-main/pki/names.js';
import { codesEn, codesZhTW } from '../../../src-renderer/i18n/codes.js';
import { withoutCliHints } from '../../../src-renderer/lib/cli-hints.js';

/** Every .ts file under src-main: the codes the services can produce are read from the source itself. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}
const text = sources('src-main').map((p) => readFileSync(p, 'utf8')).join('\n');
// Literals the scan also meets that are not findings: error codes, and Windows certificate store names.
const ERROR_LIKE = new Set<string>([...ERROR_CODES, 'ENOTDIR', 'CA']);

/** Finding codes: the rule tables plus every literal a finding is built with (`code: 'X'`, `add('X', ...)`, `'X' as const`). */
function findingCodes(): string[] {
  const found = new Set<string>([...Object.keys(NAME_RULES), ...Object.keys(PLAN_RULES)]);
  for (const m of text.matchAll(/code: '([A-Z][A-Z0-9_]+)'|\badd\('([A-Z][A-Z0-9_]+)'|\(('[A-Z][A-Z0-9_]+)' as const\)/g)) {
    const code = (m[1] ?? m[2] ?? m[3] ?? '').replace(/'/g, '');
    if (!ERROR_LIKE.has(code)) found.add(code);
  }
  return [...found].sort();
}

/** History events: every `event: 'x'` literal, and the deployment events chosen by a ternary. */
function historyEvents(): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/event: '([a-z][a-z-]+)'|const event = [^;\n]*\? '([a-z][a-z-]+)' : '([a-z][a-z-]+)'/g)) {
    for (const e of [m[1], m[2], m[3]]) if (e) found.add(e);
  }
  return [...found].sort();
}

describe('codes rendered through the catalog', () => {
  it('finds the codes in the source (the scan itself works)', () => {
    expect(findingCodes()).toEqual(expect.arrayContaining(['CERT_SANS_MISSING', 'CHAIN_INCOMPLETE', 'CSR_PSS_SIGNATURE', 'MEET_URL_NOT_IN_SAN', 'NAME_UNDERSCORE']));
    expect(historyEvents()).toEqual(expect.arrayContaining(['key-generated', 'deployed', 'deployment-verified', 'bundle-written']));
  });

  it('every finding code any service can produce has a zh-TW sentence', () => {
    expect(findingCodes().filter((c) => codesZhTW.findings[c] === undefined)).toEqual([]);
  });

  it('every error code has a sentence in both languages', () => {
    for (const c of ERROR_CODES) {
      expect(codesZhTW.errors[c], c).toMatch(/\S/);
      expect(codesEn.errors[c], c).toMatch(/\S/);
    }
  });

  it('every history event the services record (audit-only ones aside) has a label in both languages', () => {
    // Audit-only events never reach a request's history; 'message' is a Node event-listener type the scan also meets.
    const auditOnly = new Set(['ca-imported', 'farm-added', 'key-deleted', 'farm-deleted', 'farm-updated', 'backup-created', 'backup-restored', 'audit-chain-started', 'interrupted-write-finished', 'interrupted-write-rolled-back', 'message']);
    const missing = historyEvents().filter((e) => !auditOnly.has(e) && (codesZhTW.historyEvents[e] === undefined || codesEn.historyEvents[e] === undefined));
    expect(missing).toEqual([]);
  });

  it('SAN sources and publishing kinds are typed records: both catalogs have every one', () => {
    expect(Object.keys(codesZhTW.sanSources).sort()).toEqual(Object.keys(codesEn.sanSources).sort());
    expect(Object.keys(codesZhTW.publishingKinds).sort()).toEqual(Object.keys(codesEn.publishingKinds).sort());
  });

  it('zh-TW sentences use full-width punctuation, never an ASCII colon, comma or full stop between words', () => {
    const all = [...Object.values(codesZhTW.findings), ...Object.values(codesZhTW.errors), ...Object.values(codesZhTW.sanSources), ...Object.values(codesZhTW.historyEvents)];
    const bad = all.filter((s) => /[\u4e00-\u9fff][:,;]|[:,;][\u4e00-\u9fff]|[\u4e00-\u9fff]\.$|[\u4e00-\u9fff][()]|[()][\u4e00-\u9fff]/.test(s));
    expect(bad).toEqual([]);
  });
});

describe('withoutCliHints', () => {
  it.each([
    ['/tmp/a.pfx already exists; overwrite it explicitly (--force) or choose another name', '/tmp/a.pfx already exists; overwrite it explicitly or choose another name'],
    [
      'the certificate differs from request 20260101-abcd: missing SAN meet.contoso.com; import it anyway only by accepting the mismatch explicitly (--accept-mismatch)',
      'the certificate differs from request 20260101-abcd: missing SAN meet.contoso.com; import it anyway only by accepting the mismatch explicitly',
    ],
    ['node rp1.contoso.com is in farms a, b: say which with --farm NAME', 'node rp1.contoso.com is in farms a, b'],
    [
      'no issuer for CN=Sub CA is known; import it first (certdesk ca import ISSUER.cer) or export anyway with --allow-incomplete-chain',
      'no issuer for CN=Sub CA is known; import it first',
    ],
    ['a PFX password is needed: --password-file FILE or --generate-password', 'a PFX password is needed'],
    ['plain message without advice', 'plain message without advice'],
  ])('%s', (input, expected) => {
    const out = withoutCliHints(input);
    expect(out).toBe(expected);
    expect(out).not.toMatch(/--[a-z]/);
  });
});
