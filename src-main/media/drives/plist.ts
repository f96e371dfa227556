import { CertdeskError } from '../../common/errors.js';

/** A value of an Apple XML property list. */
export type PlistValue = string | number | boolean | Date | Uint8Array | PlistValue[] | { [key: string]: PlistValue };

/**
 * Parses the XML property lists `diskutil -plist` prints. A dozen element types, no namespaces, no
 * attributes we need: a tiny recursive-descent parser beats a dependency for an offline tool.
 */
export function parsePlist(xml: string): PlistValue {
  const p = new Parser(xml.replace(/^\uFEFF/, ''));
  p.skipProlog();
  const open = p.tag();
  if (open.name !== 'plist' || open.kind !== 'open') throw p.fail('expected <plist>');
  const value = p.value();
  const close = p.tag();
  if (close.name !== 'plist' || close.kind !== 'close') throw p.fail('expected </plist>');
  return value;
}

interface Tag {
  name: string;
  kind: 'open' | 'close' | 'empty';
}

class Parser {
  private pos = 0;
  constructor(private readonly s: string) {}

  fail(what: string): CertdeskError {
    return new CertdeskError('PARSE_ERROR', `diskutil printed a property list that could not be read: ${what} at offset ${this.pos}`);
  }

  private skipSpace(): void {
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos] as string)) this.pos++;
  }

  /** Skips the XML declaration, DOCTYPE and comments before the root element. */
  skipProlog(): void {
    for (;;) {
      this.skipSpace();
      if (this.s.startsWith('<?', this.pos)) this.skipPast('?>');
      else if (this.s.startsWith('<!--', this.pos)) this.skipPast('-->');
      else if (this.s.startsWith('<!', this.pos)) this.skipPast('>');
      else return;
    }
  }

  private skipPast(end: string): void {
    const i = this.s.indexOf(end, this.pos);
    if (i < 0) throw this.fail(`missing ${end}`);
    this.pos = i + end.length;
  }

  tag(): Tag {
    this.skipSpace();
    while (this.s.startsWith('<!--', this.pos)) {
      this.skipPast('-->');
      this.skipSpace();
    }
    const m = /^<(\/?)([A-Za-z]+)[^>]*?(\/?)>/.exec(this.s.slice(this.pos, this.pos + 200));
    if (!m) throw this.fail('expected a tag');
    this.pos += m[0].length;
    const name = m[2] as string;
    if (m[1] === '/') return { name, kind: 'close' };
    return { name, kind: m[3] === '/' ? 'empty' : 'open' };
  }

  private text(name: string): string {
    const end = `</${name}>`;
    const i = this.s.indexOf(end, this.pos);
    if (i < 0) throw this.fail(`missing ${end}`);
    const raw = this.s.slice(this.pos, i);
    this.pos = i + end.length;
    return decodeEntities(raw);
  }

  value(): PlistValue {
    const t = this.tag();
    if (t.kind === 'close') throw this.fail(`unexpected </${t.name}>`);
    const empty = t.kind === 'empty';
    switch (t.name) {
      case 'true':
        return true;
      case 'false':
        return false;
      case 'string':
        return empty ? '' : this.text('string');
      case 'integer':
      case 'real': {
        const n = Number(empty ? '' : this.text(t.name).trim());
        if (empty || !Number.isFinite(n)) throw this.fail(`bad <${t.name}>`);
        return n;
      }
      case 'date': {
        const d = new Date(empty ? '' : this.text('date').trim());
        if (Number.isNaN(d.getTime())) throw this.fail('bad <date>');
        return d;
      }
      case 'data':
        return empty ? new Uint8Array() : Uint8Array.from(Buffer.from(this.text('data').replace(/\s+/g, ''), 'base64'));
      case 'array':
        return empty ? [] : this.arrayItems();
      case 'dict':
        return empty ? {} : this.dictEntries();
      default:
        throw this.fail(`unknown element <${t.name}>`);
    }
  }

  private arrayItems(): PlistValue[] {
    const items: PlistValue[] = [];
    for (;;) {
      const save = this.pos;
      const t = this.tag();
      if (t.kind === 'close') {
        if (t.name !== 'array') throw this.fail(`unexpected </${t.name}>`);
        return items;
      }
      this.pos = save;
      items.push(this.value());
    }
  }

  private dictEntries(): { [key: string]: PlistValue } {
    // A null prototype: keys come from a device's data, and "__proto__" must stay a plain key.
    const out = Object.create(null) as { [key: string]: PlistValue };
    for (;;) {
      const t = this.tag();
      if (t.kind === 'close') {
        if (t.name !== 'dict') throw this.fail(`unexpected </${t.name}>`);
        return out;
      }
      if (t.name !== 'key') throw this.fail('expected <key> in <dict>');
      const key = t.kind === 'empty' ? '' : this.text('key');
      out[key] = this.value();
    }
  }
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_m, e: string) => {
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const code = e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
  });
}

/** The dictionary `v` as a record, or null when it is not a dictionary. */
export function plistDict(v: PlistValue | undefined): { [key: string]: PlistValue } | null {
  return v !== undefined && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array) ? v : null;
}
