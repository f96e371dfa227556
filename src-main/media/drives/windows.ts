import { CertdeskError } from '../../common/errors.js';
import { type DriveInfo, isWindowsReadableFileSystem } from '../../common/farms.js';

/**
 * The PowerShell pipeline whose output parseWin32LogicalDiskJson reads. DriveType 2 is "removable
 * disk"; Access (1 = read-only) is asked for too, so a write-protected card is left out. UTF-8 output,
 * because the console code page would mangle non-ASCII volume labels.
 */
export const POWERSHELL_DRIVES_SCRIPT =
  "[Console]::OutputEncoding = [System.Text.Encoding]::UTF8; Get-CimInstance Win32_LogicalDisk -Filter 'DriveType=2' | Select-Object DeviceID,VolumeName,FreeSpace,Size,FileSystem,Access | ConvertTo-Json";

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function num(v: Json | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * Removable, writable volumes from `Get-CimInstance Win32_LogicalDisk ... | ConvertTo-Json`.
 * ConvertTo-Json prints one object (not an array) when there is a single drive, and nothing at all
 * when there is none. A card reader without a card has a drive letter but no file system or size.
 */
export function parseWin32LogicalDiskJson(output: string): DriveInfo[] {
  const trimmed = output.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return [];
  let doc: Json;
  try {
    doc = JSON.parse(trimmed) as Json;
  } catch {
    throw new CertdeskError('PARSE_ERROR', 'PowerShell printed something that is not JSON');
  }
  const items = Array.isArray(doc) ? doc : [doc];
  const out: DriveInfo[] = [];
  for (const d of items) {
    if (typeof d !== 'object' || d === null || Array.isArray(d)) continue;
    const device = typeof d.DeviceID === 'string' ? d.DeviceID : '';
    const fileSystem = typeof d.FileSystem === 'string' ? d.FileSystem : '';
    const sizeBytes = num(d.Size);
    if (device === '' || fileSystem === '' || sizeBytes === null) continue; // no medium inserted
    if (d.Access === 1) continue; // readable only: write-protected
    out.push({
      device,
      label: typeof d.VolumeName === 'string' ? d.VolumeName : '',
      mountPoint: `${device}\\`,
      freeBytes: num(d.FreeSpace),
      sizeBytes,
      fileSystem,
      windowsReadable: isWindowsReadableFileSystem(fileSystem),
    });
  }
  return out;
}
