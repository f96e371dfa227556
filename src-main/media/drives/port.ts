import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { CertdeskError } from '../../common/errors.js';
import type { DriveInfo } from '../../common/farms.js';
import { DISKUTIL_LIST_ARGS, parseDiskutilInfo, parseDiskutilList } from './diskutil.js';
import { LSBLK_ARGS, LSBLK_ARGS_OLD, LSBLK_ARGS_OLDEST, type LinuxVolume, parseLsblkJson } from './lsblk.js';
import { readSysfsVolumes } from './sysfs.js';
import { POWERSHELL_DRIVES_SCRIPT, parseWin32LogicalDiskJson } from './windows.js';

/** The removable-drives port: what the services ask of the platform. */
export interface DrivePort {
  /** Removable, writable, mounted volumes. */
  listDrives(): Promise<DriveInfo[]>;
}

/** Runs a program and resolves with its stdout; rejects with an Error carrying `code` on failure. */
export type CommandRunner = (file: string, args: readonly string[]) => Promise<string>;

/** Test seams of the system port; production uses the defaults. */
export interface SystemDrivePortOptions {
  platform?: NodeJS.Platform;
  run?: CommandRunner;
  /** Roots of /sys, /proc and /dev for the Linux fallback. */
  linuxRoots?: { sys: string; proc: string; dev: string };
  /** Whether a mounted folder accepts writes (a read-only mount of a writable device). */
  isWritable?: (dir: string) => Promise<boolean>;
  /** Free bytes of the file system holding `dir`, or null. */
  freeBytes?: (dir: string) => Promise<number | null>;
}

const TIMEOUT_MS = 15_000;

/** execFile with a timeout and no shell: arguments are never interpreted by a shell. */
export const execRunner: CommandRunner = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: TIMEOUT_MS, maxBuffer: 8 * 1024 * 1024, windowsHide: true, encoding: 'utf8' }, (err, stdout) => {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- ExecFileException is an Error at run time (its type omits that); its `code` tells ENOENT apart
      if (err) reject(err);
      else resolve(stdout);
    });
  });

async function defaultIsWritable(dir: string): Promise<boolean> {
  try {
    // access(2) checks a read-only mount (EROFS) even for root.
    await access(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

async function defaultFreeBytes(dir: string): Promise<number | null> {
  try {
    const s = await statfs(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

function toolFailed(tool: string, e: unknown): CertdeskError {
  const code = errorCode(e);
  const why = code === 'ENOENT' ? 'is not installed' : code === 'ETIMEDOUT' || (e instanceof Error && /timed out|killed/i.test(e.message)) ? 'did not answer in time' : 'failed';
  return new CertdeskError('IO_ERROR', `could not list removable drives: ${tool} ${why}; choose a folder with --to instead`);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The port over the real system: lsblk (or sysfs) on Linux, PowerShell CIM on Windows, diskutil on macOS. */
export function createSystemDrivePort(opts: SystemDrivePortOptions = {}): DrivePort {
  const platform = opts.platform ?? process.platform;
  const run = opts.run ?? execRunner;
  const isWritable = opts.isWritable ?? defaultIsWritable;
  const freeBytes = opts.freeBytes ?? defaultFreeBytes;

  async function linux(): Promise<DriveInfo[]> {
    let volumes: LinuxVolume[] | null = null;
    let lastError: unknown;
    // Older util-linux rejects columns it does not know (MOUNTPOINTS before 2.37, FSAVAIL before
    // 2.33) with an error exit: ask again with fewer columns.
    for (const args of [LSBLK_ARGS, LSBLK_ARGS_OLD, LSBLK_ARGS_OLDEST]) {
      try {
        volumes = parseLsblkJson(await run('lsblk', args));
        break;
      } catch (e) {
        if (e instanceof CertdeskError) throw e;
        lastError = e;
        if (errorCode(e) === 'ENOENT') break;
      }
    }
    if (volumes === null) {
      // No lsblk, or one too old for JSON output (CentOS 7's says "invalid option -- 'J'"): the
      // kernel's own view in sysfs still tells removable disks, and mountinfo their mount points.
      const roots = opts.linuxRoots ?? { sys: '/sys', proc: '/proc', dev: '/dev' };
      if (errorCode(lastError) !== 'ENOENT' && !(await isDirectory(join(roots.sys, 'block')))) throw toolFailed('lsblk', lastError);
      volumes = await readSysfsVolumes(roots);
    }
    const out: DriveInfo[] = [];
    for (const v of volumes) {
      if (v.readOnly || !(await isWritable(v.mountPoint))) continue;
      const { readOnly: _ro, ...drive } = v;
      out.push({ ...drive, freeBytes: drive.freeBytes ?? (await freeBytes(v.mountPoint)) });
    }
    return out;
  }

  async function windows(): Promise<DriveInfo[]> {
    try {
      return parseWin32LogicalDiskJson(await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', POWERSHELL_DRIVES_SCRIPT]));
    } catch (e) {
      if (e instanceof CertdeskError) throw e;
      throw toolFailed('PowerShell', e);
    }
  }

  async function mac(): Promise<DriveInfo[]> {
    try {
      const ids = parseDiskutilList(await run('diskutil', DISKUTIL_LIST_ARGS));
      const out: DriveInfo[] = [];
      for (const id of ids) {
        const info = parseDiskutilInfo(await run('diskutil', ['info', '-plist', id]));
        if (info) out.push(info);
      }
      return out;
    } catch (e) {
      if (e instanceof CertdeskError) throw e;
      throw toolFailed('diskutil', e);
    }
  }

  return {
    listDrives(): Promise<DriveInfo[]> {
      if (platform === 'win32') return windows();
      if (platform === 'darwin') return mac();
      if (platform === 'linux') return linux();
      return Promise.reject(new CertdeskError('INVALID_INPUT', `listing removable drives is not supported on ${platform}; choose a folder with --to instead`));
    },
  };
}
