/**
 * Keychain faults through the BUILT CLI: a session bus that accepts and never answers (a local unix
 * socket), a D-Bus without a Secret Service (a private dbus-daemon with no service files), a missing
 * bus, and a locked gnome-keyring (a private D-Bus session whose login keyring is locked over D-Bus).
 * Each gives one clear error line, the command exits in time, and nothing is left behind.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src-main/common/requests.js';
import { tempDir } from '../interop/pfx-helpers.js';
import { hangGuardMs, oneLineError, REPO, requireBuiltCli, runCli, text } from './cli-requests-helpers.js';

let work: string;
let hangingBus: Server;
const sockets: Socket[] = [];
let busAddress: string;
let privateBus: ChildProcess | null = null;
let noSecretsBus: string;

beforeAll(async () => {
  requireBuiltCli();
  work = tempDir('certdesk-keychain-faults-');
  const path = join(work, 'bus.sock');
  hangingBus = createServer((s) => sockets.push(s)); // accepts, reads nothing, answers nothing
  await new Promise<void>((resolve) => hangingBus.listen(path, resolve));
  busAddress = `unix:path=${path}`;
  // A real D-Bus daemon that knows no services: no Secret Service can be activated on it.
  writeFileSync(
    join(work, 'bus.conf'),
    `<busconfig><type>session</type><listen>unix:path=${join(work, 'plain.sock')}</listen><auth>EXTERNAL</auth>` +
      '<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>',
  );
  privateBus = spawn('dbus-daemon', ['--config-file', join(work, 'bus.conf'), '--nofork', '--nopidfile'], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(join(work, 'plain.sock')); i++) await new Promise((r) => setTimeout(r, 50));
  noSecretsBus = `unix:path=${join(work, 'plain.sock')}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  // Only a server that was made: a set-up that failed before it must not leave this hook waiting out its timeout.
  const bus = hangingBus as Server | undefined;
  if (bus) await new Promise<void>((resolve) => bus.close(() => resolve()));
  privateBus?.kill();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('a keychain that never answers', () => {
  it('request new on a new store: KEYCHAIN_UNAVAILABLE, the CLI exits within 6 s, and no store folder is left', async () => {
    const store = join(work, 'hang', 'store');
    const limit = await hangGuardMs(3500, 3, 6000); // 6 s here; more only while the machine is busy
    const started = Date.now();
    const r = await runCli(store, ['request', 'new', '--subject', 'x.contoso.com'], { DBUS_SESSION_BUS_ADDRESS: busAddress });
    expect(Date.now() - started).toBeLessThan(limit);
    expect(r.code).toBe(1);
    expect(oneLineError(r)).toMatch(/^error: the OS keychain is not available \(no answer within 3\.5 s/);
    expect(existsSync(join(work, 'hang'))).toBe(false);
  });

  it('a command that needs a secret from an existing store exits within 6 s too', async () => {
    const store = join(work, 'existing');
    const made = await runCli(store, ['--json', 'request', 'new', '--subject', 'y.contoso.com']);
    expect(made.code, made.stderr).toBe(0);
    const id = (JSON.parse(text(made)) as RequestRecord).id;
    const limit = await hangGuardMs(3500, 3, 6000); // 6 s here; more only while the machine is busy
    const started = Date.now();
    const r = await runCli(store, ['request', 'delete', id, '--yes'], { DBUS_SESSION_BUS_ADDRESS: busAddress });
    expect(Date.now() - started).toBeLessThan(limit);
    expect(r.code).toBe(1);
    expect(oneLineError(r)).toMatch(/^error: the OS keychain is not available .*the request was not deleted.*add --force to delete it anyway$/);
    expect(existsSync(join(store, 'requests', id, 'request.json'))).toBe(true);

    const forced = await runCli(store, ['--json', 'request', 'delete', id, '--yes', '--force'], { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' });
    expect(forced.code, forced.stderr).toBe(0);
    expect(existsSync(join(store, 'requests', id))).toBe(false);
  });
});

describe('a D-Bus without a Secret Service', () => {
  it('fails request new quickly with KEYCHAIN_UNAVAILABLE and leaves no store folder', async () => {
    const store = join(work, 'nosecrets', 'store');
    const limit = await hangGuardMs(3500, 3, 6000); // 6 s here; more only while the machine is busy
    const started = Date.now();
    const r = await runCli(store, ['request', 'new', '--subject', 'z.contoso.com'], { DBUS_SESSION_BUS_ADDRESS: noSecretsBus });
    expect(Date.now() - started).toBeLessThan(limit);
    expect(r.code).toBe(1);
    expect(oneLineError(r)).toMatch(/^error: the OS keychain is not available \(/);
    expect(existsSync(join(work, 'nosecrets'))).toBe(false);
  });
});

describe('a locked keyring', () => {
  it('is KEYCHAIN_LOCKED ("unlock the login keyring, then retry"), never a missing store key', () => {
    const store = join(work, 'locked-store');
    const home = join(work, 'locked-home');
    mkdirSync(join(home, 'data'), { recursive: true });
    mkdirSync(join(home, 'run'), { recursive: true, mode: 0o700 });
    // A private session: locking the keyring the other tests share would break them.
    const script = [
      'set -e',
      'echo -n secret-pw | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null',
      `node bin/certdesk.js --store "${store}" request new --subject locked.contoso.com >/dev/null`,
      "gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets --method org.freedesktop.Secret.Service.Lock \"['/org/freedesktop/secrets/collection/login']\" >/dev/null",
      `node bin/certdesk.js --store "${store}" request new --subject again.contoso.com 2>"${join(work, 'locked-new.err')}" || true`,
    ].join('\n');
    const r = spawnSync('dbus-run-session', ['--', 'bash', '-c', script], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, CERTDESK_KEYRING_READY: '', XDG_DATA_HOME: join(home, 'data'), XDG_RUNTIME_DIR: join(home, 'run'), HOME: home },
    });
    expect(r.status, r.stderr).toBe(0);
    // libsecret answers "nothing found" in a locked keyring; that must not read as a lost store key.
    expect(readFileSync(join(work, 'locked-new.err'), 'utf8').trim()).toBe('error: the OS keychain is locked: unlock the login keyring, then retry');
  });
});
