import { readdir, readFile, readlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isWindowsReadableFileSystem } from '../../common/farms.js';
import type { LinuxVolume } from './lsblk.js';

/** A mount from /proc/self/mountinfo. */
export interface MountInfo {
  /** "major:minor" of the mounted device. */
  device: string;
  mountPoint: string;
  fileSystem: string;
  readOnly: boolean;
}

// mountinfo escapes space, tab, newline and backslash in paths as octal (\040).
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Parses /proc/self/mountinfo (proc(5)); the first mount of each device wins. */
export function parseMountInfo(text: string): MountInfo[] {
  const out: MountInfo[] = [];
  for (const line of text.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(' ');
    const right = line.slice(sep + 3).split(' ');
    const device = left[2];
    const mountPoint = left[4];
    const options = left[5] ?? '';
    const fileSystem = right[0];
    if (device === undefined || mountPoint === undefined || fileSystem === undefined) continue;
    out.push({ device, mountPoint: unescapeMount(mountPoint), fileSystem, readOnly: options.split(',').includes('ro') });
  }
  return out;
}

async function readTrim(path: string): Promise<string | null> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return null;
  }
}

/** Volume labels by kernel device name, from the /dev/disk/by-label symlinks udev keeps. */
async function labelsByDevice(devRoot: string): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  const dir = join(devRoot, 'disk', 'by-label');
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return labels;
  }
  for (const name of names) {
    try {
      const target = basename(await readlink(join(dir, name)));
      // udev escapes unsafe characters as \xNN.
      labels.set(target, name.replace(/\\x([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))));
    } catch {
      // not a symlink: ignore
    }
  }
  return labels;
}

/**
 * The fallback when lsblk is missing: removable block devices from /sys/block (removable flag, or a
 * device path through a USB controller), matched to /proc/self/mountinfo by major:minor.
 * Free space is left null here; the port fills it in with statfs.
 */
export async function readSysfsVolumes(roots: { sys: string; proc: string; dev: string }): Promise<LinuxVolume[]> {
  const mounts = parseMountInfo((await readTrim(join(roots.proc, 'self', 'mountinfo'))) ?? '');
  const labels = await labelsByDevice(roots.dev);
  const out: LinuxVolume[] = [];
  let disks: string[];
  try {
    disks = await readdir(join(roots.sys, 'block'));
  } catch {
    return out;
  }
  for (const disk of disks.sort()) {
    const base = join(roots.sys, 'block', disk);
    let viaUsb = false;
    try {
      viaUsb = (await readlink(base)).includes('/usb');
    } catch {
      // a plain folder (not a symlink): no bus information
    }
    const removable = viaUsb || (await readTrim(join(base, 'removable'))) === '1';
    if (!removable) continue;
    const diskReadOnly = (await readTrim(join(base, 'ro'))) === '1';
    let entries: string[];
    try {
      entries = await readdir(base);
    } catch {
      continue;
    }
    const names = [disk, ...entries.filter((e) => e.startsWith(disk) && e !== disk).sort()];
    for (const name of names) {
      const dir = name === disk ? base : join(base, name);
      const devNo = await readTrim(join(dir, 'dev'));
      const mount = mounts.find((m) => m.device === devNo);
      if (!devNo || !mount) continue;
      const sectors = Number(await readTrim(join(dir, 'size')));
      out.push({
        device: `/dev/${name}`,
        label: labels.get(name) ?? '',
        mountPoint: mount.mountPoint,
        freeBytes: null,
        // /sys/block sizes are in 512-byte sectors whatever the device's real sector size.
        sizeBytes: Number.isFinite(sectors) && sectors > 0 ? sectors * 512 : null,
        fileSystem: mount.fileSystem,
        windowsReadable: isWindowsReadableFileSystem(mount.fileSystem),
        readOnly: diskReadOnly || mount.readOnly || (await readTrim(join(dir, 'ro'))) === '1',
      });
    }
  }
  return out;
}
