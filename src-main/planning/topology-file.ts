import { CertdeskError } from '../common/errors.js';
import { MAX_TOPOLOGY_BYTES, type Topology } from '../common/plan.js';
import type { TopologyImport } from '../common/topology-import.js';
import { importLyncTopology, looksLikeXml } from './lync-import.js';
import { validateTopology } from './topology-schema.js';

/**
 * Topology text as admins save it: UTF-8 with or without a BOM, or UTF-16 from Notepad's "Unicode".
 * Anything that is not text of that kind is a PARSE_ERROR, never a crash.
 */
export function decodeTopologyText(bytes: Uint8Array, source: string): string {
  if (bytes.length > MAX_TOPOLOGY_BYTES) throw topologyTooBig(source, bytes.length);
  let text: string;
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    else text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new CertdeskError('PARSE_ERROR', `${source} is not a text file (expected UTF-8 or UTF-16 JSON or XML)`);
  }
  return text;
}

/** Parses topology JSON text and validates it; every failure is one clear line naming `source`. */
export function parseTopologyText(text: string, source = 'topology'): Topology {
  if (text.length > MAX_TOPOLOGY_BYTES) throw topologyTooBig(source, text.length);
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new CertdeskError('INVALID_INPUT', `${source} is empty; expected a topology JSON object`);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    throw new CertdeskError('PARSE_ERROR', `${source} is not valid JSON: ${jsonProblem(e, body)}`);
  }
  return validateTopology(json, source);
}

/**
 * Any topology document, recognised by content: Certdesk topology JSON, or a Lync Server topology
 * (`Get-CsTopology -AsXml`) or Topology Builder document, converted. Validated either way.
 */
export function parseTopologyDocument(text: string, source = 'topology'): TopologyImport {
  if (text.length > MAX_TOPOLOGY_BYTES) throw topologyTooBig(source, text.length);
  if (!looksLikeXml(text)) return { format: 'certdesk-json', topology: parseTopologyText(text, source), read: [], readItems: [], findings: [] };
  const imported = importLyncTopology(text, source);
  return { ...imported, topology: validateTopology(imported.topology, source) };
}

/** The refusal of a topology file over 1 MiB (`size` in bytes), for whoever reads the file. */
export function topologyTooBig(source: string, size: number): CertdeskError {
  const mib = (size / (1024 * 1024)).toFixed(1);
  return new CertdeskError('INVALID_INPUT', `${source} is too large (${size >= 2 * MAX_TOPOLOGY_BYTES ? `${mib} MiB` : `${size} bytes`}); a topology file is at most 1 MiB`);
}

/** JSON.parse's complaint with the position turned into line and column. */
function jsonProblem(e: unknown, text: string): string {
  const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'syntax error';
  const m = /^(.*?)(?: in JSON)? at position (\d+)/.exec(msg);
  // V8 sometimes quotes the input instead of giving a position: drop the quote, keep the complaint.
  if (!m) return msg.replace(/, ".*" is not valid JSON$/, '').replace(/ in JSON$/, '');
  const pos = Number(m[2]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `${m[1] ?? msg} (line ${line}, column ${column})`;
}
