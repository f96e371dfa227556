import { SaxesParser } from 'saxes';
import { CertdeskError } from '../common/errors.js';

/**
 * A small element tree of an untrusted XML document, built with saxes (a maintained, conformant,
 * non-validating parser). Why this is safe for hostile input:
 * - a DOCTYPE is refused outright, so no DTD is ever processed: no internal-subset entity can be
 *   declared, hence none expanded ("billion laughs"), and no external entity or DTD is ever fetched
 *   (saxes itself never reads files or URLs; it only knows the five predefined entities and
 *   character references, and reports any other entity reference as an error);
 * - the input is a string Certdesk already read within the topology size cap (1 MiB);
 * - depth, element count and text kept are bounded, so the tree stays small.
 */
export interface XmlElement {
  /** Namespace URI ('' when none). */
  ns: string;
  /** Local name. */
  name: string;
  /** Attributes by local name (namespace-qualified attributes are not needed for topologies). */
  attrs: ReadonlyMap<string, string>;
  children: XmlElement[];
  /** Character data directly inside the element (bounded). */
  text: string;
}

const MAX_DEPTH = 64;
const MAX_ELEMENTS = 100_000;
const MAX_TEXT = 4096;

/** Parses `text` into a tree; one PARSE_ERROR line (naming `source`, line and column) for anything that is not plain, DTD-free XML. */
export function parseXmlTree(text: string, source: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let count = 0;
  const fail = (why: string): never => {
    throw new CertdeskError('PARSE_ERROR', `${source} is not a topology document: ${why} (line ${parser.line}, column ${parser.column + 1})`);
  };
  parser.on('doctype', () => fail('it has a DOCTYPE (DTDs and entities are refused: a topology document never needs one)'));
  parser.on('opentag', (tag) => {
    const t = tag;
    if (++count > MAX_ELEMENTS) fail(`more than ${MAX_ELEMENTS} elements`);
    if (stack.length >= MAX_DEPTH) fail(`elements nested deeper than ${MAX_DEPTH} levels`);
    const attrs = new Map<string, string>();
    for (const a of Object.values(t.attributes)) if (a.prefix !== 'xmlns' && a.name !== 'xmlns') attrs.set(a.local, a.value);
    const el: XmlElement = { ns: t.uri, name: t.local, attrs, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    if (!t.isSelfClosing) stack.push(el);
  });
  parser.on('closetag', (tag) => {
    if (!(tag).isSelfClosing) stack.pop();
  });
  parser.on('text', (s) => {
    const top = stack[stack.length - 1];
    if (top && top.text.length < MAX_TEXT) top.text = (top.text + s).slice(0, MAX_TEXT);
  });
  parser.on('cdata', (s) => {
    const top = stack[stack.length - 1];
    if (top && top.text.length < MAX_TEXT) top.text = (top.text + s).slice(0, MAX_TEXT);
  });
  try {
    parser.write(text).close();
  } catch (e) {
    if (e instanceof CertdeskError) throw e;
    // saxes prefixes its message with "line:column: "; keep the complaint in plain words.
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'syntax error';
    const m = /^(?:[^:]*:)?(\d+):(\d+): (.*)$/.exec(msg);
    throw new CertdeskError('PARSE_ERROR', `${source} is not well-formed XML: ${m ? `${m[3]} (line ${m[1]}, column ${Number(m[2]) + 1})` : msg}`);
  }
  if (!root) throw new CertdeskError('PARSE_ERROR', `${source} has no XML root element`);
  return root;
}

/** Direct children named `name` (any namespace). */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

/** The first direct child named `name`, if any. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

/** Every descendant named `name`, document order. */
export function descendants(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}
