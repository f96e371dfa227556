import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CommandRunner, createSystemDrivePort } from '../../../src-main/media/drives/port.js';
import { parseMountInfo } from '../../../src-main/media/drives/sysfs.js';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'drives');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

function enoent(): Error {
  return Object.assign(new Error('spawn lsblk ENOENT'), { code: 'ENOENT' });
}

describe('the system drive port', () => {
  it('on Linux keeps only writable mounts and fills in missing free space', async () => {
    const calls: string[][] = [];
    const run: CommandRunner = (file, args) => {
      calls.push([file, ...args]);
      return Promise.resolve(fixture('lsblk-2.38-usb-stick.json'));
    };
    const port = createSystemDrivePort({
      platform: 'linux',
      run,
      // sdb1 is mounted read-only although the disk is writable
      isWritable: (dir) => Promise.resolve(dir !== '/media/admin/Backup Disk'),
      freeBytes: () => Promise.resolve(42),
    });
    const drives = await port.listDrives();
    expect(drives.map((d) => d.device)).toEqual(['/dev/sda1', '/dev/sdd']);
    expect(drives[0]).not.toHaveProperty('readOnly');
    expect(calls).toEqual([['lsblk', '-J', '-b', '-o', 'NAME,RM,HOTPLUG,TRAN,RO,SIZE,FSTYPE,LABEL,MOUNTPOINTS,FSAVAIL']]);
  });

  it('asks older lsblk again without the columns it rejects, and uses statfs for free space', async () => {
    const seen: string[] = [];
    const run: CommandRunner = (_file, args) => {
      const cols = args[3] ?? '';
      seen.push(cols);
      if (cols.includes('MOUNTPOINTS') || cols.includes('FSAVAIL')) return Promise.reject(Object.assign(new Error('lsblk: unknown column'), { code: 1 }));
      return Promise.resolve(fixture('lsblk-2.32-usb-stick-strings.json'));
    };
    const drives = await createSystemDrivePort({ platform: 'linux', run, isWritable: () => Promise.resolve(true), freeBytes: () => Promise.resolve(1234) }).listDrives();
    expect(seen).toHaveLength(3);
    // sr0 (a DVD) is read-only and left out.
    expect(drives).toEqual([{ device: '/dev/sdb', label: 'CERTS', mountPoint: '/run/media/admin/CERTS', freeBytes: 1234, sizeBytes: 15376318464, fileSystem: 'vfat', windowsReadable: true }]);
  });

  it('offers the real stick of a recorded old-lsblk output, with free space from statfs', async () => {
    // balena-io-modules/drivelist tests/data/lsblk/no-children-mountpoints.json: no FSAVAIL in it.
    const run: CommandRunner = () => Promise.resolve(fixture('lsblk-drivelist-usb-stick-no-partition-table.json'));
    const asked: string[] = [];
    const drives = await createSystemDrivePort({
      platform: 'linux',
      run,
      isWritable: () => Promise.resolve(true),
      freeBytes: (dir) => {
        asked.push(dir);
        return Promise.resolve(7_000_000_000);
      },
    }).listDrives();
    expect(drives).toEqual([{ device: '/dev/sda', label: '', mountPoint: '/media/jwentz/Temp', freeBytes: 7_000_000_000, sizeBytes: null, fileSystem: '', windowsReadable: false }]);
    expect(asked).toEqual(['/media/jwentz/Temp']);
  });

  it('reports a clear error when lsblk fails for good', async () => {
    const run: CommandRunner = () => Promise.reject(Object.assign(new Error('boom'), { code: 1 }));
    const nowhere = join(tmpdir(), 'certdesk-no-such-root');
    await expect(createSystemDrivePort({ platform: 'linux', run, linuxRoots: { sys: nowhere, proc: nowhere, dev: nowhere } }).listDrives()).rejects.toThrow('could not list removable drives: lsblk failed; choose a folder with --to instead');
  });

  describe('without lsblk, from sysfs', () => {
    const root = mkdtempSync(join(tmpdir(), 'certdesk-sysfs-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    const sys = join(root, 'sys');
    const proc = join(root, 'proc');
    const dev = join(root, 'dev');
    const put = (path: string, text: string): void => {
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, text);
    };
    // A removable stick sdb with one mounted partition, a non-removable sda, a write-protected card sdc.
    put(join(sys, 'block', 'sda', 'removable'), '0\n');
    put(join(sys, 'block', 'sda', 'sda1', 'dev'), '8:1\n');
    put(join(sys, 'block', 'sdb', 'removable'), '1\n');
    put(join(sys, 'block', 'sdb', 'ro'), '0\n');
    put(join(sys, 'block', 'sdb', 'dev'), '8:16\n');
    put(join(sys, 'block', 'sdb', 'sdb1', 'dev'), '8:17\n');
    put(join(sys, 'block', 'sdb', 'sdb1', 'size'), '30029824\n');
    put(join(sys, 'block', 'sdb', 'sdb1', 'ro'), '0\n');
    put(join(sys, 'block', 'sdc', 'removable'), '1\n');
    put(join(sys, 'block', 'sdc', 'ro'), '1\n');
    put(join(sys, 'block', 'sdc', 'sdc1', 'dev'), '8:33\n');
    put(
      join(proc, 'self', 'mountinfo'),
      [
        '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
        '95 22 8:17 / /media/admin/MY\\040CERTS rw,nosuid,nodev,relatime shared:50 - vfat /dev/sdb1 rw,fmask=0022',
        '96 22 8:33 / /media/admin/SD ro,nosuid,nodev,relatime shared:51 - exfat /dev/sdc1 ro',
      ].join('\n'),
    );
    mkdirSync(join(dev, 'disk', 'by-label'), { recursive: true });
    symlinkSync('../../sdb1', join(dev, 'disk', 'by-label', 'MY\\x20CERTS'));

    it('lists removable, writable, mounted partitions with their labels', async () => {
      const run: CommandRunner = () => Promise.reject(enoent());
      const drives = await createSystemDrivePort({ platform: 'linux', run, linuxRoots: { sys, proc, dev }, isWritable: () => Promise.resolve(true), freeBytes: () => Promise.resolve(99) }).listDrives();
      expect(drives).toEqual([{ device: '/dev/sdb1', label: 'MY CERTS', mountPoint: '/media/admin/MY CERTS', freeBytes: 99, sizeBytes: 30029824 * 512, fileSystem: 'vfat', windowsReadable: true }]);
    });

    it('falls back to sysfs when lsblk is too old for JSON output (CentOS 7: invalid option -- J)', async () => {
      const run: CommandRunner = () => Promise.reject(Object.assign(new Error("Command failed: lsblk -J\nlsblk: invalid option -- 'J'"), { code: 1 }));
      const drives = await createSystemDrivePort({ platform: 'linux', run, linuxRoots: { sys, proc, dev }, isWritable: () => Promise.resolve(true), freeBytes: () => Promise.resolve(99) }).listDrives();
      expect(drives.map((d) => d.mountPoint)).toEqual(['/media/admin/MY CERTS']);
    });
  });

  it('parses mountinfo escapes and read-only options', () => {
    expect(parseMountInfo('36 35 98:0 / /mnt/a\\040b ro,noatime master:1 - ext3 /dev/root rw\n')).toEqual([{ device: '98:0', mountPoint: '/mnt/a b', fileSystem: 'ext3', readOnly: true }]);
  });

  it('on Windows runs PowerShell without a profile and reads its JSON', async () => {
    let argv: readonly string[] = [];
    const run: CommandRunner = (file, args) => {
      argv = [file, ...args];
      return Promise.resolve(fixture('powershell-5.1-one-drive.json'));
    };
    const drives = await createSystemDrivePort({ platform: 'win32', run }).listDrives();
    expect(drives.map((d) => d.mountPoint)).toEqual(['E:\\']);
    expect(argv.slice(0, 4)).toEqual(['powershell.exe', '-NoProfile', '-NonInteractive', '-Command']);
    expect(argv[4]).toContain("Get-CimInstance Win32_LogicalDisk -Filter 'DriveType=2' | Select-Object DeviceID,VolumeName,FreeSpace,Size,FileSystem");
    expect(argv[4]).toContain('ConvertTo-Json');
  });

  it('on macOS asks diskutil info for each external volume', async () => {
    const infos: Record<string, string> = {
      disk4s1: 'diskutil-info-disk4s1-fat32.plist',
      disk5: 'diskutil-info-disk5-readonly-sd.plist',
      disk6s1: 'diskutil-info-disk6s1-efi-unmounted.plist',
      disk6s2: 'diskutil-info-disk6s2-exfat.plist',
    };
    const run: CommandRunner = (_file, args) => {
      if (args[0] === 'list') return Promise.resolve(fixture('diskutil-list-external-physical.plist'));
      return Promise.resolve(fixture(infos[args[2] ?? ''] ?? 'missing'));
    };
    const drives = await createSystemDrivePort({ platform: 'darwin', run }).listDrives();
    expect(drives.map((d) => [d.device, d.mountPoint])).toEqual([
      ['disk4s1', '/Volumes/CERTS'],
      ['disk6s2', '/Volumes/Transfer & Certs'],
    ]);
  });

  it('refuses platforms it cannot list drives on', async () => {
    await expect(createSystemDrivePort({ platform: 'aix' }).listDrives()).rejects.toThrow(/not supported on aix/);
  });
});
