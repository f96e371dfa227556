import { describe, expect, it } from 'vitest';
import { isCertdeskError } from '../../../src-main/common/errors.js';
import { MAX_INPUT_BYTES, decodePemBlocks, toPem } from '../../../src-main/pki/pem.js';

// Any DER-looking bytes will do here: pem.ts only moves bytes, csr-decode.test.ts checks real CSRs.
const DER = Uint8Array.from([0x30, 0x82, 0x01, 0x0a, ...Array.from({ length: 266 }, (_, i) => (i * 7) % 256)]);
const B64 = Buffer.from(DER).toString('base64');
const pem = (label: string, eol = '\n') => `-----BEGIN ${label}-----${eol}${(B64.match(/.{1,64}/g) ?? []).join(eol)}${eol}-----END ${label}-----${eol}`;
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

function failure(input: Uint8Array): { code: string; message: string } {
  try {
    decodePemBlocks(input);
  } catch (e) {
    if (isCertdeskError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('decodePemBlocks accepted the input');
}

describe('decodePemBlocks', () => {
  it('reads a PEM block with the RFC 7468 label', () => {
    expect(decodePemBlocks(bytes(pem('CERTIFICATE REQUEST')))).toEqual([{ label: 'CERTIFICATE REQUEST', der: DER }]);
  });

  it('reads the Windows certreq label with CRLF line ends', () => {
    expect(decodePemBlocks(bytes(pem('NEW CERTIFICATE REQUEST', '\r\n')))).toEqual([{ label: 'NEW CERTIFICATE REQUEST', der: DER }]);
  });

  it('skips a UTF-8 byte order mark', () => {
    const input = Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes(pem('CERTIFICATE REQUEST'))]);
    expect(decodePemBlocks(input)[0]?.der).toEqual(DER);
  });

  it('reads Notepad UTF-16LE text with and without a BOM, and UTF-16BE with one', () => {
    const text = pem('NEW CERTIFICATE REQUEST', '\r\n');
    const le = new Uint8Array(Buffer.from(text, 'utf16le'));
    const be = new Uint8Array(Buffer.from(text, 'utf16le').swap16());
    expect(decodePemBlocks(Uint8Array.from([0xff, 0xfe, ...le]))[0]?.der).toEqual(DER);
    expect(decodePemBlocks(le)[0]?.der).toEqual(DER);
    expect(decodePemBlocks(Uint8Array.from([0xfe, 0xff, ...be]))[0]?.der).toEqual(DER);
  });

  it('reads bare base64 (no BEGIN/END lines) as one unlabeled blob', () => {
    expect(decodePemBlocks(bytes(`${B64.match(/.{1,76}/g)?.join('\r\n')}\r\n`))).toEqual([{ label: null, der: DER }]);
  });

  it('passes raw DER through unchanged', () => {
    expect(decodePemBlocks(DER)).toEqual([{ label: null, der: DER }]);
  });

  it('returns every block of a bundle in order, ignoring text around them', () => {
    const text = `subject=CN=x\n${pem('CERTIFICATE')}\nissuer: y\n${pem('PKCS7')}`;
    expect(decodePemBlocks(bytes(text)).map((b) => b.label)).toEqual(['CERTIFICATE', 'PKCS7']);
  });

  it('skips RFC 1421 headers before the base64 body', () => {
    const text = `-----BEGIN CERTIFICATE-----\nComment: made by hand\n\n${B64}\n-----END CERTIFICATE-----\n`;
    expect(decodePemBlocks(bytes(text))[0]?.der).toEqual(DER);
  });

  it('refuses a BEGIN line without its END line', () => {
    expect(failure(bytes(pem('CERTIFICATE REQUEST').replace('-----END CERTIFICATE REQUEST-----', '-----END CERTIFICATE-----'))).message).toMatch(
      /"CERTIFICATE REQUEST" has no matching END line/,
    );
  });

  it('refuses a malformed BEGIN line', () => {
    expect(failure(bytes(pem('certificate request'))).message).toMatch(/BEGIN line is malformed/);
  });

  it('refuses characters that are not base64', () => {
    expect(failure(bytes(pem('CERTIFICATE REQUEST').replace('M', '!'))).message).toMatch(/not base64/);
  });

  it('refuses an empty or blank file', () => {
    expect(failure(new Uint8Array(0)).message).toMatch(/empty/);
    expect(failure(bytes(' \r\n\t\n')).message).toMatch(/empty/);
  });

  it('refuses binary garbage that is not DER', () => {
    const garbage = Uint8Array.from({ length: 512 }, (_, i) => (i * 131 + 7) % 256);
    garbage[0] = 0x01;
    expect(failure(garbage)).toEqual({ code: 'PARSE_ERROR', message: 'not a valid PEM, base64 or DER file: the file is neither PEM text, base64 nor DER' });
  });

  it('refuses a 10 MB file at once, saying how large it is', () => {
    const big = new Uint8Array(10 * 1024 * 1024).fill(0x41);
    const t = performance.now();
    const f = failure(big);
    // A guard against pathological (super-linear or hanging) parsing, not a speed goal: those live in `npm run bench`.
    expect(performance.now() - t).toBeLessThan(2000);
    expect(f.code).toBe('INVALID_INPUT');
    expect(f.message).toMatch(/too large .*10\.0 MiB; at most 1\.0 MiB/);
    expect(MAX_INPUT_BYTES).toBe(1024 * 1024);
  });

  it('applies a caller-chosen size cap and names the kind of file', () => {
    try {
      decodePemBlocks(bytes(pem('CERTIFICATE')), { maxBytes: 100, what: 'certificate' });
      expect.unreachable();
    } catch (e) {
      expect(isCertdeskError(e) && e.message).toMatch(/too large for a certificate/);
    }
  });
});

describe('toPem', () => {
  it('writes 64-character lines with LF and round-trips', () => {
    const text = toPem(DER, 'CERTIFICATE REQUEST');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE REQUEST-----');
    expect(lines.at(-1)).toBe('-----END CERTIFICATE REQUEST-----');
    expect(lines.slice(1, -2).every((l) => l.length === 64)).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
    expect(decodePemBlocks(bytes(text))[0]?.der).toEqual(DER);
  });
});
