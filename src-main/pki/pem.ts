import { CertdeskError } from '../common/errors.js';

/**
 * Reading PEM/base64/DER the way admins actually hand files over: Windows certreq output
 * ("NEW CERTIFICATE REQUEST"), Notepad's UTF-16LE with or without a BOM, CRLF line ends, a UTF-8 BOM,
 * base64 pasted without its BEGIN/END lines, or plain binary DER.
 */

/** One decoded block: the PEM label (null for bare base64 or raw DER) and its DER bytes. */
export interface PemBlock {
  label: string | null;
  der: Uint8Array;
}

/** Default input cap: far above any CSR, certificate chain or PKCS#7 bundle an admin handles. */
export const MAX_INPUT_BYTES = 1024 * 1024;

/** Options for decodePemBlocks. */
export interface DecodeOptions {
  /** Refuse inputs larger than this (bytes); default MAX_INPUT_BYTES. */
  maxBytes?: number;
  /** Names the kind of file in error messages, e.g. "certificate request". */
  what?: string;
}

function parseError(what: string, why: string): never {
  throw new CertdeskError('PARSE_ERROR', `not a valid ${what}: ${why}`);
}

function formatSize(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

/** UTF-16 text without a BOM: every other byte of ASCII text is zero. */
function looksUtf16(b: Uint8Array, zeroAt: 0 | 1): boolean {
  const n = Math.min(b.length, 256) & ~1;
  if (n < 4) return false;
  for (let i = 0; i < n; i += 2) {
    const zero = b[i + zeroAt] as number;
    const other = b[i + 1 - zeroAt] as number;
    if (zero !== 0 || other === 0 || other > 0x7f) return false;
  }
  return true;
}

/** Turns the input into text, or returns null when it is binary (DER). */
function toText(input: Uint8Array, what: string): string | null {
  const b = input;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder('utf-8').decode(b.subarray(3));
  if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le').decode(b.subarray(2));
  if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be').decode(b.subarray(2));
  // DER always starts with a SEQUENCE (0x30) for the objects we read; base64 of one starts with "M".
  if (b[0] === 0x30) return null;
  if (looksUtf16(b, 1)) return new TextDecoder('utf-16le').decode(b);
  if (looksUtf16(b, 0)) return new TextDecoder('utf-16be').decode(b);
  // Text files are ASCII here; a NUL or other control byte means binary that is not DER.
  for (let i = 0; i < Math.min(b.length, 4096); i++) {
    const c = b[i] as number;
    if (c < 0x09 || (c > 0x0d && c < 0x20) || c === 0x7f) parseError(what, 'the file is neither PEM text, base64 nor DER');
  }
  return new TextDecoder('utf-8').decode(b);
}

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(body: string, what: string, where: string): Uint8Array {
  const s = body.replace(/\s+/g, '');
  if (s.length === 0) parseError(what, `${where} is empty`);
  if (!BASE64_RE.test(s)) parseError(what, `${where} contains characters that are not base64`);
  if (s.length % 4 === 1) parseError(what, `${where} is truncated base64`);
  return new Uint8Array(Buffer.from(s, 'base64'));
}

const BEGIN_RE = /-----BEGIN ([A-Z0-9 #./-]*)-----/g;

function pemBlocks(text: string, what: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  BEGIN_RE.lastIndex = 0;
  for (let m = BEGIN_RE.exec(text); m; m = BEGIN_RE.exec(text)) {
    const label = m[1] as string;
    const endMarker = `-----END ${label}-----`;
    const bodyStart = m.index + m[0].length;
    const endAt = text.indexOf(endMarker, bodyStart);
    if (endAt < 0) parseError(what, `the PEM block "${label}" has no matching END line`);
    let body = text.slice(bodyStart, endAt);
    // RFC 1421 headers (e.g. Proc-Type) sit before a blank line; skip them, the base64 follows.
    if (/^\s*[A-Za-z-]+:/.test(body)) {
      const blank = body.search(/\r?\n\s*\r?\n/);
      if (blank < 0) parseError(what, `the PEM block "${label}" has headers but no body`);
      body = body.slice(blank);
    }
    blocks.push({ label, der: decodeBase64(body, what, `the PEM block "${label}"`) });
    BEGIN_RE.lastIndex = endAt + endMarker.length;
  }
  if (blocks.length === 0) parseError(what, 'a PEM BEGIN line is malformed');
  return blocks;
}

/**
 * Splits input into DER blocks: every PEM block in order, or the whole input as one bare-base64 or
 * raw-DER blob (label null). Handles UTF-8 BOM, UTF-16LE/BE (with or without BOM) and CRLF.
 * Throws PARSE_ERROR (or INVALID_INPUT for an oversize input) with one plain line.
 */
export function decodePemBlocks(input: Uint8Array, opts: DecodeOptions = {}): PemBlock[] {
  const what = opts.what ?? 'PEM, base64 or DER file';
  const max = opts.maxBytes ?? MAX_INPUT_BYTES;
  // The size check comes first so a 10 MB file costs nothing.
  if (input.length > max) {
    throw new CertdeskError('INVALID_INPUT', `the file is too large for a ${what} (${formatSize(input.length)}; at most ${formatSize(max)})`);
  }
  if (input.length === 0) parseError(what, 'the file is empty');
  const text = toText(input, what);
  if (text === null) return [{ label: null, der: input }];
  if (text.trim().length === 0) parseError(what, 'the file is empty');
  if (text.includes('-----BEGIN ')) return pemBlocks(text, what);
  if (text.includes('-----END ')) parseError(what, 'a PEM END line has no BEGIN line');
  return [{ label: null, der: decodeBase64(text, what, 'the base64 text') }];
}

/** PEM text (RFC 7468: 64-character lines, LF line ends, trailing newline). */
export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
