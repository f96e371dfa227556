import { CertdeskError } from '../../common/errors.js';
import { type DriveInfo, isWindowsReadableFileSystem } from '../../common/farms.js';

/** The lsblk invocation whose output parseLsblkJson reads (util-linux 2.37+ knows MOUNTPOINTS). */
export const LSBLK_ARGS = ['-J', '-b', '-o', 'NAME,RM,HOTPLUG,TRAN,RO,SIZE,FSTYPE,LABEL,MOUNTPOINTS,FSAVAIL'];
/** The same for util-linux 2.33-2.36, which knows only MOUNTPOINT (and rejects MOUNTPOINTS). */
export const LSBLK_ARGS_OLD = ['-J', '-b', '-o', 'NAME,RM,HOTPLUG,TRAN,RO,SIZE,FSTYPE,LABEL,MOUNTPOINT,FSAVAIL'];
/** util-linux 2.32 and older (RHEL 8) has no FSAVAIL either; free space then comes from statfs. */
export const LSBLK_ARGS_OLDEST = ['-J', '-b', '-o', 'NAME,RM,HOTPLUG,TRAN,RO,SIZE,FSTYPE,LABEL,MOUNTPOINT'];

/** A mounted volume on a removable device, before the writability check on the mount itself. */
export interface LinuxVolume extends DriveInfo {
  /** The block device is read-only (write-protect switch, or a read-only medium). */
  readOnly: boolean;
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// lsblk before util-linux 2.33 printed every column as a string ("1", "15376318464"); later
// versions print JSON booleans and numbers. Accept both.
function bool(v: Json | undefined): boolean {
  return v === true || v === 1 || v === '1';
}

function num(v: Json | undefined): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v.trim());
  return null;
}

function text(v: Json | undefined): string {
  return typeof v === 'string' ? v : '';
}

/** The first real mount point: `mountpoints` (2.37+, may hold nulls) or the older `mountpoint`. */
function mountPointOf(d: JsonObject): string | null {
  const list = d.mountpoints;
  const candidates = Array.isArray(list) ? list : [d.mountpoint];
  for (const m of candidates) {
    // "[SWAP]" is how lsblk shows active swap: not a folder anyone can write a bundle to.
    if (typeof m === 'string' && m.startsWith('/')) return m;
  }
  return null;
}

/**
 * util-linux before 2.29 writes bytes outside printable ASCII as `\xNN` inside JSON strings (an
 * invalid escape: util-linux issue #330), e.g. a USB stick labelled "Clé" or mounted under a path
 * with spaces. Decode each run of them as the UTF-8 bytes they are. Only tried when the output is
 * not valid JSON, so a real `\\x41` in valid output is never touched.
 */
function unescapeOldLsblk(text: string): string {
  return text.replace(/(?:\\x[0-9a-fA-F]{2})+/g, (run) => {
    const bytes = Buffer.from(run.replace(/\\x/g, ''), 'hex');
    return JSON.stringify(bytes.toString('utf8')).slice(1, -1);
  });
}

/**
 * Mounted volumes on removable devices from `lsblk -J -b -o ...` output. A partition inherits
 * "removable" from its disk, because lsblk reports TRAN (usb) only on the whole disk and some USB
 * enclosures claim RM=0 but HOTPLUG=1.
 */
export function parseLsblkJson(output: string): LinuxVolume[] {
  let doc: Json;
  const body = output.replace(/^\uFEFF/, '');
  try {
    doc = JSON.parse(body) as Json;
  } catch {
    try {
      doc = JSON.parse(unescapeOldLsblk(body)) as Json;
    } catch {
      throw new CertdeskError('PARSE_ERROR', 'lsblk printed something that is not JSON');
    }
  }
  if (!isObject(doc) || !Array.isArray(doc.blockdevices)) {
    throw new CertdeskError('PARSE_ERROR', 'lsblk output has no "blockdevices" list');
  }
  const out: LinuxVolume[] = [];
  const walk = (nodes: Json[], parentRemovable: boolean, parentReadOnly: boolean): void => {
    for (const d of nodes) {
      if (!isObject(d)) continue;
      const removable = parentRemovable || bool(d.rm) || bool(d.hotplug) || text(d.tran) === 'usb';
      const readOnly = parentReadOnly || bool(d.ro);
      const mountPoint = mountPointOf(d);
      const name = text(d.name);
      if (removable && mountPoint !== null && name !== '') {
        const fileSystem = text(d.fstype);
        out.push({
          device: name.startsWith('/') ? name : `/dev/${name}`,
          label: text(d.label),
          mountPoint,
          freeBytes: num(d.fsavail),
          sizeBytes: num(d.size),
          fileSystem,
          windowsReadable: isWindowsReadableFileSystem(fileSystem),
          readOnly,
        });
      }
      if (Array.isArray(d.children)) walk(d.children, removable, readOnly);
    }
  };
  walk(doc.blockdevices, false, false);
  return out;
}
