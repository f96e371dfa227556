import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDiskutilInfo, parseDiskutilList } from '../../../src-main/media/drives/diskutil.js';
import { parseLsblkJson } from '../../../src-main/media/drives/lsblk.js';
import { parsePlist, plistDict } from '../../../src-main/media/drives/plist.js';
import { parseWin32LogicalDiskJson } from '../../../src-main/media/drives/windows.js';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'drives');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

describe('lsblk JSON (Linux)', () => {
  it('finds no removable volume in the real output of this machine, in both column styles', () => {
    expect(parseLsblkJson(fixture('lsblk-2.38-this-machine.json'))).toEqual([]);
    expect(parseLsblkJson(fixture('lsblk-2.38-this-machine-mountpoint.json'))).toEqual([]);
    // A mounted loop device is not removable media.
    expect(parseLsblkJson(fixture('lsblk-2.38-this-machine-loop-mounted.json'))).toEqual([]);
  });

  it('lists mounted partitions of USB disks with label, mount point, free space and file system', () => {
    const v = parseLsblkJson(fixture('lsblk-2.38-usb-stick.json'));
    expect(v.map((x) => x.device)).toEqual(['/dev/sda1', '/dev/sdb1', '/dev/sdc1', '/dev/sdd']);
    expect(v[0]).toEqual({
      device: '/dev/sda1',
      label: 'CERTS',
      mountPoint: '/media/admin/CERTS',
      freeBytes: 15359434752,
      sizeBytes: 15374221312,
      fileSystem: 'vfat',
      windowsReadable: true,
      readOnly: false,
    });
  });

  it('treats a HOTPLUG USB disk as removable even when RM is 0, and takes its first mount point', () => {
    const sdb1 = parseLsblkJson(fixture('lsblk-2.38-usb-stick.json')).find((x) => x.device === '/dev/sdb1');
    expect(sdb1?.mountPoint).toBe('/media/admin/Backup Disk');
    expect(sdb1?.label).toBe('Backup Disk');
  });

  it('leaves out unmounted partitions, swap and internal disks', () => {
    const devices = parseLsblkJson(fixture('lsblk-2.38-usb-stick.json')).map((x) => x.device);
    expect(devices).not.toContain('/dev/sdb2');
    expect(devices.some((d) => d.startsWith('/dev/nvme'))).toBe(false);
  });

  it('marks a write-protected card read-only and an ext4 stick as unreadable by Windows', () => {
    const v = parseLsblkJson(fixture('lsblk-2.38-usb-stick.json'));
    expect(v.find((x) => x.device === '/dev/sdc1')?.readOnly).toBe(true);
    expect(v.find((x) => x.device === '/dev/sdd')).toMatchObject({ readOnly: false, windowsReadable: false, fileSystem: 'ext4' });
  });

  it('reads util-linux 2.33-2.36 output with the singular mountpoint column', () => {
    const v = parseLsblkJson(fixture('lsblk-2.34-usb-stick-mountpoint.json'));
    expect(v).toEqual([
      { device: '/dev/sdb1', label: 'LYNC-RP', mountPoint: '/media/admin/LYNC-RP', freeBytes: 7853572096, sizeBytes: 7862222848, fileSystem: 'vfat', windowsReadable: true, readOnly: false },
    ]);
  });

  it('reads util-linux 2.32 output where every value is a string and FSAVAIL is missing', () => {
    const v = parseLsblkJson(fixture('lsblk-2.32-usb-stick-strings.json'));
    expect(v).toEqual([
      { device: '/dev/sdb', label: 'CERTS', mountPoint: '/run/media/admin/CERTS', freeBytes: null, sizeBytes: 15376318464, fileSystem: 'vfat', windowsReadable: true, readOnly: false },
      {
        device: '/dev/sr0',
        label: 'RHEL-8-4-0-BaseOS-x86_64',
        mountPoint: '/run/media/admin/RHEL-8-4-0-BaseOS-x86_64',
        freeBytes: null,
        sizeBytes: 1073741312,
        fileSystem: 'iso9660',
        windowsReadable: false,
        readOnly: true,
      },
    ]);
  });

  // Recorded by a drivelist user (balena-io-modules/drivelist tests/data/lsblk/no-children-mountpoints.json):
  // old lsblk, every value a string, a stick formatted without a partition table, no -b.
  it('lists a real USB stick mounted on the whole disk and leaves the internal NVMe out', () => {
    expect(parseLsblkJson(fixture('lsblk-drivelist-usb-stick-no-partition-table.json'))).toEqual([
      // No LABEL/FSTYPE columns were asked for; "14.3G" (no -b) is not a byte count, so it is not guessed at.
      { device: '/dev/sda', label: '', mountPoint: '/media/jwentz/Temp', freeBytes: null, sizeBytes: null, fileSystem: '', windowsReadable: false, readOnly: false },
    ]);
  });

  it('decodes the \\xNN bytes util-linux before 2.29 wrote into JSON strings (util-linux #330) as UTF-8', () => {
    // Shape of util-linux 2.28 output for a stick labelled "Clé USB" (bytes c3 a9 and a space escaped).
    const old = String.raw`{"blockdevices": [{"name": "sdb", "rm": "1", "hotplug": "1", "tran": "usb", "ro": "0", "size": "8004304896", "fstype": null, "label": null, "mountpoint": null,
      "children": [{"name": "sdb1", "rm": "1", "hotplug": "1", "tran": null, "ro": "0", "size": "8003256320", "fstype": "vfat", "label": "Cl\xc3\xa9\x20USB", "mountpoint": "/media/admin/Cl\xc3\xa9\x20USB"}]}]}`;
    expect(() => JSON.parse(old) as unknown).toThrow();
    expect(parseLsblkJson(old)).toEqual([
      { device: '/dev/sdb1', label: 'Clé USB', mountPoint: '/media/admin/Clé USB', freeBytes: null, sizeBytes: 8003256320, fileSystem: 'vfat', windowsReadable: true, readOnly: false },
    ]);
  });

  it('rejects output that is not lsblk JSON with a clear error', () => {
    expect(() => parseLsblkJson('lsblk: unknown column: MOUNTPOINTS')).toThrow(/lsblk printed something that is not JSON/);
    expect(() => parseLsblkJson('{"devices": []}')).toThrow(/no "blockdevices" list/);
  });
});

describe('Win32_LogicalDisk JSON (Windows PowerShell)', () => {
  it('reads a single drive, which ConvertTo-Json prints as an object rather than an array', () => {
    expect(parseWin32LogicalDiskJson(fixture('powershell-5.1-one-drive.json'))).toEqual([
      { device: 'E:', label: 'CERTS', mountPoint: 'E:\\', freeBytes: 15359434752, sizeBytes: 15374221312, fileSystem: 'FAT32', windowsReadable: true },
    ]);
  });

  it('reads an array with a BOM, skipping a card reader without media and a write-protected card', () => {
    const v = parseWin32LogicalDiskJson(fixture('powershell-5.1-four-drives-bom.json'));
    expect(v.map((d) => d.device)).toEqual(['E:', 'H:']);
    expect(v[0]?.label).toBe('Zertifikate-Ü');
    expect(v[1]).toMatchObject({ label: '', fileSystem: 'FAT', mountPoint: 'H:\\' });
  });

  it('returns no drives when PowerShell prints nothing', () => {
    expect(parseWin32LogicalDiskJson(fixture('powershell-5.1-no-drives.txt'))).toEqual([]);
  });

  it('reads PowerShell 7 formatting too', () => {
    expect(parseWin32LogicalDiskJson(fixture('powershell-7-one-drive.json'))).toEqual([
      { device: 'D:', label: 'LYNC-RP', mountPoint: 'D:\\', freeBytes: 61736345600, sizeBytes: 61740154880, fileSystem: 'NTFS', windowsReadable: true },
    ]);
  });

  it('rejects an error message instead of JSON', () => {
    expect(() => parseWin32LogicalDiskJson("Get-CimInstance : Access denied")).toThrow(/PowerShell printed something that is not JSON/);
  });
});

describe('diskutil plists (macOS)', () => {
  it('lists the partitions and whole-disk volumes of external physical disks', () => {
    expect(parseDiskutilList(fixture('diskutil-list-external-physical.plist'))).toEqual(['disk4s1', 'disk5', 'disk6s1', 'disk6s2']);
  });

  it('lists nothing when no external disk is attached', () => {
    expect(parseDiskutilList(fixture('diskutil-list-external-physical-none.plist'))).toEqual([]);
  });

  it('reads a mounted, writable FAT32 stick', () => {
    expect(parseDiskutilInfo(fixture('diskutil-info-disk4s1-fat32.plist'))).toEqual({
      device: 'disk4s1',
      label: 'CERTS',
      mountPoint: '/Volumes/CERTS',
      freeBytes: 15359434752,
      sizeBytes: 15374221312,
      fileSystem: 'MS-DOS (FAT32)',
      windowsReadable: true,
    });
  });

  it('reads an external SSD partition and decodes XML entities in its name', () => {
    expect(parseDiskutilInfo(fixture('diskutil-info-disk6s2-exfat.plist'))).toMatchObject({ label: 'Transfer & Certs', mountPoint: '/Volumes/Transfer & Certs', fileSystem: 'ExFAT', windowsReadable: true });
  });

  // Recorded outputs from balena-io-modules/drivelist tests/data/diskutil (UUIDs masked by its authors).
  it('lists every partition and whole-disk volume of a real `diskutil list -plist`', () => {
    // Unfiltered `diskutil list`: the internal disks are in it too and are dropped by `diskutil info` below.
    expect(parseDiskutilList(fixture('diskutil-list-drivelist-no-partition.plist'))).toEqual(['disk0s1', 'disk0s2', 'disk0s3', 'disk1', 'disk2s1']);
  });

  it('leaves out the real internal boot volume although it is mounted and writable', () => {
    const xml = fixture('diskutil-info-drivelist-internal-macintosh-hd.plist');
    expect(plistDict(parsePlist(xml))).toMatchObject({ MountPoint: '/', Internal: true, WritableVolume: true });
    expect(parseDiskutilInfo(xml)).toBeNull();
  });

  it('leaves out a real SD card reader with no mounted volume', () => {
    expect(parseDiskutilInfo(fixture('diskutil-info-drivelist-old-mac-sd-card-reader.plist'))).toBeNull();
  });

  it('leaves out a locked SD card and an unmounted EFI partition', () => {
    expect(parseDiskutilInfo(fixture('diskutil-info-disk5-readonly-sd.plist'))).toBeNull();
    expect(parseDiskutilInfo(fixture('diskutil-info-disk6s1-efi-unmounted.plist'))).toBeNull();
  });
});

describe('the plist parser', () => {
  it('reads every value type, empty elements and entities', () => {
    const v = parsePlist(
      '<?xml version="1.0"?><!DOCTYPE plist><plist version="1.0"><dict><key>a</key><integer>-3</integer><key>b</key><real>1.5</real><key>c</key><string/>' +
        '<key>d</key><array/><key>e</key><dict/><key>f</key><data>AAEC</data><key>g</key><date>2026-03-15T10:00:00Z</date><key>h</key><string>&lt;&#65;&#x42;&gt;</string><key>__proto__</key><true/></dict></plist>',
    );
    expect(v).toEqual(
      Object.assign(Object.create(null) as object, {
        a: -3,
        b: 1.5,
        c: '',
        d: [],
        e: Object.create(null) as object,
        f: new Uint8Array([0, 1, 2]),
        g: new Date('2026-03-15T10:00:00Z'),
        h: '<AB>',
        ['__proto__']: true,
      }),
    );
  });

  it('rejects truncated or foreign XML with a clear error', () => {
    expect(() => parsePlist('<plist><dict><key>a</key>')).toThrow(/property list that could not be read/);
    expect(() => parsePlist('<html></html>')).toThrow(/expected <plist>/);
    expect(() => parsePlist('<plist><dict><key>a</key><integer>x</integer></dict></plist>')).toThrow(/bad <integer>/);
  });
});
