/**
 * Shared set-up of the PFX/import interop tests: a store driven through the BUILT `certdesk` CLI (real
 * keychain: run under scripts/with-keyring.sh), an OpenSSL CA that signs our CSRs, and small
 * wrappers around the independent tools (openssl, certtool, pk12util) that check what we wrote.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ExportResult } from '../../src-main/common/exports.js';
import type { ImportResult } from '../../src-main/common/certificates.js';
import type { RequestRecord } from '../../src-main/common/requests.js';
import { runCli, text } from '../integration/cli-requests-helpers.js';

/** Runs a CLI command that must succeed with --json and returns its parsed output. */
export async function cliJson<T>(store: string, args: string[], cwd?: string): Promise<T> {
  const r = await runCli(store, ['--json', ...args], {}, cwd);
  const stderr = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('dbus-daemon') && !l.startsWith('warning:')).join('\n');
  expect(stderr, `certdesk ${args.join(' ')}`).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(text(r)) as T;
}

/** `certdesk request new` with the reverse-proxy names; returns the record and its CSR (PEM). */
export async function newRequest(store: string, cn: string, sans: string[], friendlyName = 'Reverse Proxy Listener for Lync Server'): Promise<{ record: RequestRecord; csr: string }> {
  const record = await cliJson<RequestRecord>(store, ['request', 'new', '--subject', cn, ...sans.flatMap((s) => ['--san', s]), '--friendly-name', friendlyName]);
  const csr = text(await runCli(store, ['request', 'csr', record.id]));
  return { record, csr };
}

/** `certdesk import FILE... --json`. */
export function importAnswer(store: string, files: string[], extra: string[] = []): Promise<ImportResult> {
  return cliJson<ImportResult>(store, ['import', ...files, ...extra]);
}

/** `certdesk export ... --json`. */
export function exportPfxCli(store: string, id: string, args: string[]): Promise<ExportResult> {
  return cliJson<ExportResult>(store, ['export', id, ...args]);
}

/** A fresh temp folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs openssl; returns stdout+stderr and the exit status (never throws). */
export function openssl(args: string[]): { status: number | null; out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The SubjectPublicKeyInfo PEM openssl derives from a certificate or a private key file. */
export function publicKeyOf(kind: 'cert' | 'key', path: string): string {
  const args = kind === 'cert' ? ['x509', '-in', path, '-pubkey', '-noout'] : ['pkey', '-in', path, '-pubout'];
  return execFileSync('openssl', args, { encoding: 'utf8' });
}
