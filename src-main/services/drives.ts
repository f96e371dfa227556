import type { DriveInfo } from '../common/farms.js';
import { createSystemDrivePort, type DrivePort } from '../media/drives/port.js';

/** Removable, writable, mounted volumes, ones Windows can read first, then by mount point. */
export async function listDrives(port: DrivePort = createSystemDrivePort()): Promise<DriveInfo[]> {
  const drives = await port.listDrives();
  return drives.sort((a, b) => Number(b.windowsReadable) - Number(a.windowsReadable) || a.mountPoint.localeCompare(b.mountPoint));
}
