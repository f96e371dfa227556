import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };

interface Target {
  target: string;
}
interface Config {
  files: string[];
  asar: boolean;
  electronFuses: Record<string, boolean>;
  win: { target: Target[]; icon: string };
  linux: { target: Target[]; icon: string };
  mac: { target: Target[]; icon: string };
  directories: { buildResources: string };
}

function loadConfig(): Config {
  return yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Config;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(readFileSync(join(root, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as object);

describe('electron-builder.yml', () => {
  it("validates against electron-builder's own JSON schema", () => {
    const ok = validate(loadConfig());
    expect(ajv.errorsText(validate.errors)).toBe('No errors');
    expect(ok).toBe(true);
  });

  it('the schema check bites: an unknown key or a misspelt fuse is refused', () => {
    const config = loadConfig();
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNodee: false } })).toBe(false);
    expect(validate({ ...config, asarr: true })).toBe(false);
  });

  it('sets the security fuses the issue asks for', () => {
    expect(loadConfig().electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('packs into asar from an allow-list that names the built app and no sources', () => {
    const c = loadConfig();
    expect(c.asar).toBe(true);
    expect(c.files).toEqual(expect.arrayContaining(['package.json', 'dist/main/**/*', 'dist/preload/**/*', 'dist/renderer/**/*']));
    expect(c.files.some((f) => f.startsWith('src') || f === '**/*' || f.startsWith('tests'))).toBe(false);
  });

  it('builds nsis and portable for Windows, AppImage and deb for Linux, dmg for macOS', () => {
    const c = loadConfig();
    expect(c.win.target.map((t) => t.target)).toEqual(['nsis', 'portable']);
    expect(c.linux.target.map((t) => t.target)).toEqual(['AppImage', 'deb']);
    expect(c.mac.target.map((t) => t.target)).toEqual(['dmg']);
  });

  it('has real icons in build/: a 512 px PNG, an ICO and an ICNS', () => {
    const c = loadConfig();
    const png = readFileSync(join(root, c.linux.icon));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(512);
    expect(png.readUInt32BE(20)).toBe(512);
    const ico = readFileSync(join(root, c.win.icon));
    expect(ico.readUInt16LE(2)).toBe(1);
    expect(ico.readUInt16LE(4)).toBeGreaterThanOrEqual(1);
    const widths = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + i * 16] || 256);
    expect(widths).toContain(256); // electron-builder and Windows want a 256 px entry (stored as 0)
    const icns = readFileSync(join(root, c.mac.icon));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    expect(existsSync(join(root, c.directories.buildResources, 'icon.png'))).toBe(true);
  });
});
