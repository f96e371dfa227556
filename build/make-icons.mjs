// Draws the Certdesk icon (a certificate with a seal on a blue rounded square) and writes
// build/icon.png (512 px), build/icon.ico (PNG entries 16-256) and build/icon.icns (128-1024), the
// files electron-builder takes from build/. Pure Node (zlib for PNG): run `node build/make-icons.mjs`.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

// The drawing, in unit coordinates (0..1); returns [r, g, b, a] (0..255) for a point.
function roundedRect(x, y, x0, y0, x1, y1, r) {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}
function paint(x, y) {
  if (!roundedRect(x, y, 0.04, 0.04, 0.96, 0.96, 0.2)) return [0, 0, 0, 0];
  let color = [Math.round(28 + 40 * y), Math.round(78 + 60 * y), Math.round(150 + 50 * y), 255];
  // the certificate sheet
  if (roundedRect(x, y, 0.2, 0.2, 0.8, 0.74, 0.04)) color = [250, 251, 253, 255];
  // text lines on it
  for (const [ly, lx1] of [
    [0.3, 0.7],
    [0.38, 0.66],
    [0.46, 0.7],
    [0.54, 0.52],
  ]) {
    if (roundedRect(x, y, 0.28, ly, lx1, ly + 0.035, 0.017)) color = [120, 140, 170, 255];
  }
  // the seal and its ribbon
  const sx = 0.66;
  const sy = 0.7;
  if (y > sy && y < 0.88 && Math.abs(x - (sx - 0.04)) < 0.035 - (y - sy) * 0.02) color = [196, 58, 49, 255];
  if (y > sy && y < 0.88 && Math.abs(x - (sx + 0.04)) < 0.035 - (y - sy) * 0.02) color = [196, 58, 49, 255];
  const d = Math.hypot(x - sx, y - sy);
  if (d < 0.115) color = [232, 176, 46, 255];
  if (d < 0.08 && d > 0.065) color = [250, 214, 120, 255];
  return color;
}
function render(size) {
  const out = Buffer.alloc(size * size * 4);
  const ss = 4; // 4x4 supersampling for smooth edges
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const [cr, cg, cb, ca] = paint((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size);
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const i = (py * size + px) * 4;
      out[i] = a ? Math.round(r / a) : 0;
      out[i + 1] = a ? Math.round(g / a) : 0;
      out[i + 2] = a ? Math.round(b / a) : 0;
      out[i + 3] = Math.round(a / (ss * ss));
    }
  }
  return png(size, out);
}

function ico(entries) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(entries.length, 4);
  const dir = Buffer.alloc(16 * entries.length);
  let offset = 6 + dir.length;
  entries.forEach(({ size, data }, i) => {
    const o = i * 16;
    dir[o] = size >= 256 ? 0 : size; // 0 means 256
    dir[o + 1] = size >= 256 ? 0 : size;
    dir.writeUInt16LE(1, o + 4); // planes
    dir.writeUInt16LE(32, o + 6); // bits per pixel
    dir.writeUInt32LE(data.length, o + 8);
    dir.writeUInt32LE(offset, o + 12);
    offset += data.length;
  });
  return Buffer.concat([header, dir, ...entries.map((e) => e.data)]);
}

function icns(entries) {
  const parts = entries.map(({ type, data }) => {
    const h = Buffer.alloc(8);
    h.write(type, 0, 'ascii');
    h.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([h, data]);
  });
  const body = Buffer.concat(parts);
  const h = Buffer.alloc(8);
  h.write('icns', 0, 'ascii');
  h.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([h, body]);
}

const sizes = new Map([16, 32, 48, 128, 256, 512, 1024].map((s) => [s, render(s)]));
writeFileSync(join(here, 'icon.png'), sizes.get(512));
writeFileSync(join(here, 'icon.ico'), ico([16, 32, 48, 256].map((size) => ({ size, data: sizes.get(size) }))));
writeFileSync(join(here, 'icon.icns'), icns([['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024]].map(([type, s]) => ({ type, data: sizes.get(s) }))));
console.log('wrote build/icon.png, build/icon.ico, build/icon.icns');
