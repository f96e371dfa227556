/**
 * Escaping of untrusted text (names from CSRs, certificates, CA files, file names) before it reaches a
 * terminal, a text file Certdesk writes, or a log. Control characters would let a hostile file move the
 * cursor, recolour or clear an admin's terminal (ESC sequences) or truncate a line (NUL); bidirectional
 * overrides make `moc.osotnoc` read as `contoso.com`. Each is shown as an escape instead:
 * C0, DEL and C1 as `\x1b`, bidi controls, line/paragraph separators and lone surrogates as `\u202e`.
 * Backslashes are left alone, so Windows paths stay readable.
 */

// C0 (tab and line breaks too: a field is one line), DEL, C1; bidi embeddings, overrides, isolates and
// marks; U+2028/2029 (line breaks to some terminals and editors); U+FEFF; lone surrogates.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control, bidi-control and lone-surrogate character shown as an escape (one line). */
export function escapeUntrusted(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** True when `text` holds a character {@link escapeUntrusted} would escape. */
export function hasUnsafeCharacters(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}

/** Like {@link escapeUntrusted} but keeps line breaks (LF, and CR before LF), for multi-line text. */
export function escapeUntrustedLines(text: string): string {
  return text.split(/\r?\n/).map(escapeUntrusted).join('\n');
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A file path for a message: text escaped as above; a path given as bytes (a Linux name that is not
 * valid UTF-8) shows its UTF-8 runs as text and every other byte as `\xNN`, never as U+FFFD (which
 * would name a different file).
 */
export function showPath(path: string | Uint8Array): string {
  if (typeof path === 'string') return escapeUntrusted(path);
  let out = '';
  for (let i = 0; i < path.length; ) {
    const b = path[i] as number;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let decoded: string | null = null;
    if (len > 0 && i + len <= path.length) {
      try {
        decoded = strictUtf8.decode(path.subarray(i, i + len));
      } catch {
        decoded = null;
      }
    }
    if (decoded === null) {
      out += `\\x${b.toString(16).padStart(2, '0')}`;
      i += 1;
    } else {
      out += escapeUntrusted(decoded);
      i += len;
    }
  }
  return out;
}
