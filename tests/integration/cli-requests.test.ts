import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src-main/common/requests.js';
import { oneLineError, REPO, requireBuiltCli, runCli, scanForPlaintextKeys, text, treeListing } from './cli-requests-helpers.js';

let work: string;
let store: string;
/** Created in beforeAll; most tests read it. */
let first: RequestRecord;

beforeAll(async () => {
  requireBuiltCli();
  work = await mkdtemp(join(tmpdir(), 'certdesk-cli-'));
  store = join(work, 'store');
  const r = await runCli(store, [
    '--json', 'request', 'new', '--subject', 'webext.contoso.com', '--san', 'meet.contoso.com', '--san', 'dialin.contoso.com',
    '--friendly-name', 'Reverse Proxy Listener for Lync Server', '--description', 'farm A', '--org', 'Contoso', '--country', 'US',
  ]);
  expect(r.stderr).toBe('');
  first = JSON.parse(text(r)) as RequestRecord;
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});
// No command may ever leave key material in plaintext anywhere under the store.
afterEach(async () => {
  expect(await scanForPlaintextKeys(store)).toEqual([]);
});

/** Runs a command that must fail, and asserts the store is byte-for-byte unchanged afterwards. */
async function failsLeavingStoreUnchanged(args: string[], code: 1 | 2): Promise<string> {
  const before = await treeListing(store);
  const r = await runCli(store, args, {}, work);
  expect(r.code).toBe(code);
  expect(r.stdout.length).toBe(0);
  const line = oneLineError(r);
  expect(line).toMatch(code === 2 ? /^usage error: / : /^error: /);
  expect(await treeListing(store)).toEqual(before);
  return line;
}

describe('certdesk request new', () => {
  it('stores a pending request and prints the record with --json', () => {
    expect(first).toMatchObject({
      status: 'pending',
      subject: 'webext.contoso.com',
      sans: ['webext.contoso.com', 'meet.contoso.com', 'dialin.contoso.com'],
      keySize: 2048,
      exportable: true,
      keySpec: 'exchange',
      friendlyName: 'Reverse Proxy Listener for Lync Server',
      distinguishedName: 'CN=webext.contoso.com, O=Contoso, C=US',
    });
    expect(first.id).toMatch(/^\d{8}-[0-9a-z]{8}$/);
  });

  it('prints a summary with the CN note and the PEM CSR, which openssl verifies', async () => {
    const r = await runCli(store, ['request', 'new', '--subject', 'lyncdiscover.contoso.com', '--key-size', '3072', '--no-exportable'], {}, work);
    expect(r.code, r.stderr).toBe(0);
    const out = text(r);
    expect(out).toMatch(/^Created request \d{8}-[0-9a-z]{8} \(pending\)$/m);
    expect(out).toMatch(/RSA 3072 bits, not exportable/);
    expect(out).toMatch(/CN was added to the SAN list/);
    const pem = out.slice(out.indexOf('-----BEGIN CERTIFICATE REQUEST-----'));
    const verified = execFileSync('openssl', ['req', '-noout', '-verify', '-text'], { input: pem, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    expect(verified).toMatch(/Public-Key: \(3072 bit\)/);
    expect(verified).toMatch(/DNS:lyncdiscover\.contoso\.com/);
  });

  it('writes Base64 or DER with --out, refuses to overwrite without --force', async () => {
    const reqFile = join(work, 'a.req');
    let r = await runCli(store, ['request', 'new', '--subject', 'a.contoso.com', '--out', 'a.req'], {}, work);
    expect(r.code, r.stderr).toBe(0);
    expect(text(r)).toContain(`CSR (Base64) written to ${reqFile}`);
    expect(text(r)).not.toContain('BEGIN CERTIFICATE REQUEST');
    expect(await readFile(reqFile, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
    const kept = await readFile(reqFile);
    const line = await failsLeavingStoreUnchanged(['request', 'new', '--subject', 'b.contoso.com', '--out', 'a.req'], 1);
    expect(line).toBe(`error: ${reqFile} already exists; add --force to overwrite it`);
    expect(await readFile(reqFile)).toEqual(kept);
    r = await runCli(store, ['request', 'new', '--subject', 'b.contoso.com', '--out', 'a.req', '--force', '--format', 'der'], {}, work);
    expect(r.code, r.stderr).toBe(0);
    const der = await readFile(reqFile);
    expect(der[0]).toBe(0x30);
    execFileSync('openssl', ['req', '-inform', 'DER', '-in', reqFile, '-noout', '-verify'], { stdio: 'pipe' });
  });

  it('fills subject and SANs from a plan with --plan', async () => {
    const r = await runCli(store, ['--json', 'request', 'new', '--plan', join(REPO, 'examples', 'contoso.json'), '--certificate', '1'], {}, work);
    expect(r.code, r.stderr).toBe(0);
    const rec = JSON.parse(text(r)) as RequestRecord;
    expect(rec.sans[0]).toBe(rec.subject);
    expect(rec.sans.length).toBeGreaterThan(1);
  });

  it('refuses bad input with one line, exit 1, and changes nothing', async () => {
    expect(await failsLeavingStoreUnchanged(['request', 'new', '--subject', '*.contoso.com', '--san', 'x_y.contoso.com'], 1)).toMatch(/names are refused \(2 errors\)/);
    expect(await failsLeavingStoreUnchanged(['request', 'new', '--subject', 'c.contoso.com', '--country', 'USA'], 1)).toMatch(/two-letter/);
    expect(await failsLeavingStoreUnchanged(['request', 'new', '--subject', 'c.contoso.com', '--key-size', '1024'], 1)).toMatch(/--key-size must be one of 2048, 3072, 4096/);
    expect(await failsLeavingStoreUnchanged(['request', 'new', '--subject', 'c.contoso.com', '--format', 'pem'], 1)).toMatch(/--format must be base64 or der/);
    expect(await failsLeavingStoreUnchanged(['request', 'new', '--subject', 'c.contoso.com', '--out', join(work, 'no', 'such', 'dir', 'x.req')], 1)).toMatch(
      /^error: cannot write .*x\.req: the folder does not exist$/,
    );
    expect(await failsLeavingStoreUnchanged(['request', 'new', '--plan', join(work, 'missing.json')], 1)).toMatch(/^error: /);
  });

  it('refuses an --out path under a file before generating anything', async () => {
    await writeFile(join(work, 'plain-file'), 'x');
    expect(await failsLeavingStoreUnchanged(['request', 'new', '--subject', 'c.contoso.com', '--out', join(work, 'plain-file', 'x.req')], 1)).toMatch(
      /^error: cannot write .*x\.req: a part of the path is not a folder$/,
    );
  });

  // root ignores folder permissions, so this one only means something for a normal user.
  it.skipIf(process.getuid?.() === 0)('refuses to write into a read-only folder before generating anything', async () => {
    const ro = join(work, 'ro');
    await mkdir(ro, { mode: 0o500 });
    try {
      expect(await failsLeavingStoreUnchanged(['request', 'new', '--subject', 'c.contoso.com', '--out', join(ro, 'x.req')], 1)).toMatch(/permission denied/);
    } finally {
      await chmod(ro, 0o700);
    }
  });

  it('treats bad usage as exit 2 and changes nothing', async () => {
    expect(await failsLeavingStoreUnchanged(['request', 'new'], 2)).toMatch(/--subject FQDN is required/);
    expect(await failsLeavingStoreUnchanged(['request', 'new', '--subject', 'c.contoso.com', '--bogus'], 2)).toMatch(/bogus/);
    expect(await failsLeavingStoreUnchanged(['request', 'new', '--plan', 'p.json', '--subject', 'c.contoso.com'], 2)).toMatch(/leave out --subject/);
    expect(await failsLeavingStoreUnchanged(['request', 'new', '--subject', 'c.contoso.com', '--certificate', '2'], 2)).toMatch(/with --plan/);
    expect(await failsLeavingStoreUnchanged(['request', 'new', '--subject', 'c.contoso.com', '--format', 'der'], 2)).toMatch(/--out FILE/);
  });
});

describe('certdesk request list, show, csr', () => {
  it('lists requests as a table, and as JSON with --json, filtered by --status and --search', async () => {
    const table = text(await runCli(store, ['request', 'list']));
    expect(table.split('\n')[0]).toMatch(/^ID\s+STATUS\s+CREATED \(UTC\)\s+KEY\s+SUBJECT\s+SANS\s+FRIENDLY NAME$/);
    expect(table).toMatch(new RegExp(`^${first.id}\\s+pending\\s+.*webext\\.contoso\\.com\\s+3\\s+Reverse Proxy Listener for Lync Server$`, 'm'));
    const all = JSON.parse(text(await runCli(store, ['--json', 'request', 'list']))) as RequestRecord[];
    expect(all.map((x) => x.id)).toContain(first.id);
    const found = JSON.parse(text(await runCli(store, ['request', 'list', '--json', '--search', 'FARM A']))) as RequestRecord[];
    expect(found.map((x) => x.id)).toEqual([first.id]);
    expect(JSON.parse(text(await runCli(store, ['--json', 'request', 'list', '--status', 'issued'])))).toEqual([]);
    expect(text(await runCli(store, ['request', 'list', '--search', 'no-such-thing']))).toBe('No requests match.\n');
    expect(await failsLeavingStoreUnchanged(['request', 'list', '--status', 'done'], 1)).toMatch(/unknown status "done"/);
  });

  it('shows the record and the decoded CSR, by a unique id prefix', async () => {
    const ids = (JSON.parse(text(await runCli(store, ['--json', 'request', 'list']))) as RequestRecord[]).map((x) => x.id).filter((id) => id !== first.id);
    let n = 10;
    while (ids.some((id) => id.startsWith(first.id.slice(0, n)))) n++;
    const r = await runCli(store, ['request', 'show', first.id.slice(0, n)]);
    expect(r.code, r.stderr).toBe(0);
    const out = text(r);
    expect(out).toContain(`Request ${first.id}`);
    expect(out).toMatch(/key-generated: RSA 2048-bit key generated/);
    expect(out).toMatch(/csr-created: .*the CN was added to the SAN list automatically/);
    expect(out).toContain('PKCS10 Certificate Request:');
    expect(out).toContain('Signature matches Public Key');
    const j = JSON.parse(text(await runCli(store, ['--json', 'request', 'show', first.id]))) as { record: RequestRecord; csr: { sha256: string } };
    expect(j.record.id).toBe(first.id);
    expect(j.csr.sha256).toBe(first.csrSha256);
  });

  it('reports unknown and ambiguous ids as errors', async () => {
    expect(await failsLeavingStoreUnchanged(['request', 'show', '20990101-zzzzzzzz'], 1)).toBe('error: no request 20990101-zzzzzzzz');
    expect(await failsLeavingStoreUnchanged(['request', 'show', '../../etc/passwd'], 1)).toMatch(/^error: no request/);
    expect(await failsLeavingStoreUnchanged(['request', 'show', first.id.slice(0, 4)], 1)).toMatch(/matches \d+ requests/);
    expect(await failsLeavingStoreUnchanged(['request', 'show'], 2)).toMatch(/wrong number of arguments/);
  });

  it('gives the CSR as PEM on stdout and identical DER bytes through a pipe or --out', async () => {
    const pem = text(await runCli(store, ['request', 'csr', first.id]));
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+-----END CERTIFICATE REQUEST-----\n$/);
    const der = (await runCli(store, ['request', 'csr', first.id, '--format', 'der'])).stdout;
    const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    expect(Buffer.from(body, 'base64').equals(der)).toBe(true);
    const r = await runCli(store, ['request', 'csr', first.id, '--format', 'der', '--out', 'first.der'], {}, work);
    expect(text(r)).toMatch(/written to .*first\.der/);
    expect((await readFile(join(work, 'first.der'))).equals(der)).toBe(true);
    expect(await failsLeavingStoreUnchanged(['request', 'csr', first.id, '--out', 'first.der'], 1)).toMatch(/already exists/);
  });
});

describe('certdesk request delete and csr decode', () => {
  it('requires --yes, then deletes the request and its key and audits it', async () => {
    const created = JSON.parse(text(await runCli(store, ['--json', 'request', 'new', '--subject', 'gone.contoso.com']))) as RequestRecord;
    expect(await failsLeavingStoreUnchanged(['request', 'delete', created.id], 2)).toMatch(/add --yes/);
    const r = await runCli(store, ['request', 'delete', created.id, '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(text(r)).toBe(`Deleted request ${created.id}; its private key is destroyed.\n`);
    expect(await readdir(join(store, 'requests'))).not.toContain(created.id);
    const audit = (await readFile(join(store, 'audit.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { event: string; requestId: string });
    expect(audit.filter((a) => a.requestId === created.id).map((a) => a.event)).toEqual(['key-generated', 'key-deleted']);
    expect(await failsLeavingStoreUnchanged(['request', 'delete', created.id, '--yes'], 1)).toMatch(/no request/);
  });

  it('decodes a CSR file, and says clearly when a file is not one', async () => {
    await writeFile(join(work, 'first.pem'), text(await runCli(store, ['request', 'csr', first.id])));
    const r = await runCli(store, ['csr', 'decode', 'first.pem'], {}, work);
    expect(r.code, r.stderr).toBe(0);
    expect(text(r)).toContain('DNS Name=dialin.contoso.com');
    const j = JSON.parse(text(await runCli(store, ['--json', 'csr', 'decode', join(work, 'first.pem')]))) as { sha256: string };
    expect(j.sha256).toBe(first.csrSha256);
    await writeFile(join(work, 'garbage.bin'), Buffer.from([0, 1, 2, 3, 255, 254]));
    expect(await failsLeavingStoreUnchanged(['csr', 'decode', 'garbage.bin'], 1)).toMatch(/^error: /);
    expect(await failsLeavingStoreUnchanged(['csr', 'decode', 'missing.req'], 1)).toMatch(/cannot read .*missing\.req: no such file/);
  });
});

describe('two processes at once', () => {
  it('creates requests from three concurrent processes without losing or mixing any', async () => {
    const runs = await Promise.all(['p1', 'p2', 'p3'].map((n) => runCli(store, ['--json', 'request', 'new', '--subject', `${n}.contoso.com`])));
    const ids = runs.map((r) => {
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(text(r)) as RequestRecord).id;
    });
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) {
      const shown = await runCli(store, ['--json', 'request', 'show', id]);
      expect(shown.code).toBe(0);
    }
  });
});
