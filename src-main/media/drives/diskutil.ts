import { type DriveInfo, isWindowsReadableFileSystem } from '../../common/farms.js';
import { CertdeskError } from '../../common/errors.js';
import { type PlistValue, parsePlist, plistDict } from './plist.js';

/** `diskutil` arguments that list external physical disks and their partitions. */
export const DISKUTIL_LIST_ARGS = ['list', '-plist', 'external', 'physical'];

/**
 * The volume identifiers (`disk4s1`, or `disk5` for a disk formatted without a partition table)
 * in `diskutil list -plist external physical`, in the order diskutil lists them.
 */
export function parseDiskutilList(xml: string): string[] {
  const root = plistDict(parsePlist(xml));
  if (!root) throw new CertdeskError('PARSE_ERROR', 'diskutil list printed no dictionary');
  const disks = root.AllDisksAndPartitions;
  if (disks === undefined) return [];
  if (!Array.isArray(disks)) throw new CertdeskError('PARSE_ERROR', 'diskutil list: AllDisksAndPartitions is not a list');
  const ids: string[] = [];
  for (const disk of disks) {
    const d = plistDict(disk);
    if (!d) continue;
    const children = [...asArray(d.Partitions), ...asArray(d.APFSVolumes)];
    // A whole-disk volume (no partition table) carries its own MountPoint and no partitions.
    if (children.length === 0 && typeof d.DeviceIdentifier === 'string') ids.push(d.DeviceIdentifier);
    for (const c of children) {
      const p = plistDict(c);
      if (p && typeof p.DeviceIdentifier === 'string') ids.push(p.DeviceIdentifier);
    }
  }
  return ids;
}

function asArray(v: PlistValue | undefined): PlistValue[] {
  return Array.isArray(v) ? v : [];
}

function num(v: PlistValue | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * One volume from `diskutil info -plist IDENTIFIER`, or null when it is not a mounted, writable
 * volume on a removable or external device (an EFI partition, an unmounted partition, a locked SD card).
 */
export function parseDiskutilInfo(xml: string): DriveInfo | null {
  const d = plistDict(parsePlist(xml));
  if (!d) throw new CertdeskError('PARSE_ERROR', 'diskutil info printed no dictionary');
  const mountPoint = typeof d.MountPoint === 'string' ? d.MountPoint : '';
  if (mountPoint === '') return null;
  if (d.Internal === true && d.RemovableMediaOrExternalDevice !== true) return null;
  // WritableVolume is false for a read-only mount (NTFS without a driver, locked SD card);
  // WritableMedia for write-protected media. Older macOS had only Writable.
  if (d.WritableVolume === false || d.WritableMedia === false || d.Writable === false) return null;
  const fileSystem = [d.FilesystemUserVisibleName, d.FilesystemName, d.FilesystemType].find((v): v is string => typeof v === 'string' && v !== '') ?? '';
  const fsType = typeof d.FilesystemType === 'string' ? d.FilesystemType : fileSystem;
  return {
    device: typeof d.DeviceIdentifier === 'string' ? d.DeviceIdentifier : '',
    label: typeof d.VolumeName === 'string' ? d.VolumeName : '',
    mountPoint,
    // FreeSpace is deprecated but still printed; APFS volumes report free space per container.
    freeBytes: num(d.FreeSpace) ?? num(d.APFSContainerFree) ?? null,
    sizeBytes: num(d.TotalSize) ?? num(d.VolumeSize) ?? num(d.Size) ?? null,
    fileSystem,
    windowsReadable: isWindowsReadableFileSystem(fsType),
  };
}
