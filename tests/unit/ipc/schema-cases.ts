/**
 * Builds, from a zod schema alone, one valid params value and a list of malformed ones, so every
 * contract method gets the same battery of hostile inputs and a new method cannot escape it. An
 * unsupported schema kind throws: extend this file rather than skipping a method.
 */
import type { z } from 'zod';

type Def = { type: string } & Record<string, unknown>;
type Schema = z.ZodType;

function def(s: Schema): Def {
  return (s as unknown as { _zod: { def: Def } })._zod.def;
}

function checks(s: Schema): Record<string, unknown>[] {
  const list = (def(s).checks as { _zod: { def: Record<string, unknown> } }[] | undefined) ?? [];
  return list.map((c) => c._zod.def);
}

function stringBounds(s: Schema): { min: number; max: number | null; format: string | null; pattern: RegExp | null } {
  const bag = s as unknown as { minLength: number | null; maxLength: number | null };
  const f = def(s).format;
  const pattern = checks(s).find((c) => c.format === 'regex')?.pattern;
  return { min: bag.minLength ?? 0, max: bag.maxLength, format: typeof f === 'string' ? f : null, pattern: pattern instanceof RegExp ? pattern : null };
}

function unwrapOptional(s: Schema): { inner: Schema; optional: boolean } {
  const d = def(s);
  return d.type === 'optional' ? { inner: d.innerType as Schema, optional: true } : { inner: s, optional: false };
}

/** A value the schema accepts (minimal: required fields only). */
export function validSample(s: Schema): unknown {
  const d = def(s);
  switch (d.type) {
    case 'undefined':
      return undefined;
    case 'string': {
      const { min, format } = stringBounds(s);
      if (format === 'base64') return 'QUJD';
      return 'a'.repeat(Math.max(1, min));
    }
    case 'number': {
      const n = s as unknown as { minValue: number | null };
      return Math.max(1, n.minValue ?? 1);
    }
    case 'boolean':
      return true;
    case 'enum':
      return (s as unknown as { options: unknown[] }).options[0];
    case 'literal':
      return (d.values as unknown[])[0];
    case 'array': {
      const min = Number(checks(s).find((c) => c.check === 'min_length')?.minimum ?? 0);
      return Array.from({ length: Math.max(1, min) }, () => validSample(d.element as Schema));
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(d.shape as Record<string, Schema>)) {
        if (!unwrapOptional(v).optional) out[k] = validSample(v);
      }
      return out;
    }
    case 'union':
      return validSample((d.options as Schema[])[0] as Schema);
    case 'optional':
      return validSample(d.innerType as Schema);
    default:
      throw new Error(`schema-cases: unsupported schema type "${d.type}"`);
  }
}

/** Values of the wrong type for a schema (each must be refused). */
function wrongValues(s: Schema): unknown[] {
  const d = def(s);
  switch (d.type) {
    case 'undefined':
      return [{}, null, 'x', 0];
    case 'string': {
      const { max, format, pattern } = stringBounds(s);
      const out: unknown[] = [42, null, ['a'], { a: 1 }];
      if (max !== null) out.push(format === 'base64' ? 'A'.repeat(Math.ceil((max + 1) / 4) * 4) : 'a'.repeat(max + 1));
      if (format === 'base64') out.push('not base64!');
      if (pattern) out.push('../etc/passwd');
      return out;
    }
    case 'number': {
      const n = s as unknown as { minValue: number | null; maxValue: number | null; isInt: boolean };
      const out: unknown[] = ['1', null, Number.NaN, Number.POSITIVE_INFINITY];
      if (n.minValue !== null && Number.isFinite(n.minValue)) out.push(n.minValue - 1);
      if (n.maxValue !== null && Number.isFinite(n.maxValue)) out.push(n.maxValue + 1);
      if (n.isInt) out.push(1.5);
      return out;
    }
    case 'boolean':
      return ['true', 1, null];
    case 'enum':
      return ['no-such-choice', 0, null];
    case 'literal':
      return ['no-such-literal', null];
    case 'array': {
      const out: unknown[] = ['x', { 0: 'a' }, null];
      const max = checks(s).find((c) => c.check === 'max_length')?.maximum;
      if (typeof max === 'number') out.push(Array.from({ length: max + 1 }, () => validSample(d.element as Schema)));
      return out;
    }
    case 'object':
      return ['x', [], null, 7];
    case 'union':
      return [{ kind: 'no-such-kind' }, 'x', null];
    default:
      throw new Error(`schema-cases: unsupported schema type "${d.type}"`);
  }
}

/** One hostile input and what it does. */
export interface MalformedCase {
  label: string;
  value: unknown;
}

function setAt(root: unknown, path: (string | number)[], value: unknown, remove = false): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const p of path.slice(0, -1)) node = node[p] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (remove) delete node[last];
  else node[last] = value;
  return copy;
}

/** Malformed cases for `s` placed at `path` inside `root` (a valid params value). */
function casesAt(s: Schema, root: unknown, path: (string | number)[], out: MalformedCase[]): void {
  const { inner } = unwrapOptional(s);
  const d = def(inner);
  const where = path.length ? path.join('.') : 'params';
  for (const v of wrongValues(inner)) {
    const shown = typeof v === 'string' ? `"${v.slice(0, 16)}${v.length > 16 ? '…' : ''}"(${v.length})` : Array.isArray(v) ? `array(${v.length})` : String(v);
    out.push({ label: `${where} = ${shown}`, value: path.length ? setAt(root, path, v) : v });
  }
  if (d.type === 'object') {
    const here = path.length ? (path.reduce<unknown>((n, p) => (n as Record<string | number, unknown>)[p], root) as Record<string, unknown>) : (root as Record<string, unknown>);
    out.push({ label: `${where} with an unknown field`, value: path.length ? setAt(root, path, { ...here, unexpectedField: 1 }) : { ...here, unexpectedField: 1 } });
    for (const [k, v] of Object.entries(d.shape as Record<string, Schema>)) {
      const fieldPath = [...path, k];
      if (!unwrapOptional(v).optional) out.push({ label: `${fieldPath.join('.')} missing`, value: setAt(root, fieldPath, undefined, true) });
      // Optional fields are tested present (with a valid value) so their own malformed cases apply.
      const withField = k in here ? root : setAt(root, fieldPath, validSample(v));
      casesAt(v, withField, fieldPath, out);
    }
  } else if (d.type === 'array') {
    const arr = path.reduce<unknown>((n, p) => (n as Record<string | number, unknown>)[p], root) as unknown[];
    if (arr.length > 0) casesAt(d.element as Schema, root, [...path, 0], out);
  } else if (d.type === 'union') {
    for (const option of d.options as Schema[]) casesAt(option, path.length ? setAt(root, path, validSample(option)) : validSample(option), path, out);
  }
}

/** Every malformed variant of the params a schema describes. */
export function malformedCases(s: Schema): MalformedCase[] {
  const out: MalformedCase[] = [];
  const d = def(s);
  if (d.type === 'undefined') {
    for (const v of wrongValues(s)) out.push({ label: `params = ${JSON.stringify(v)}`, value: v });
    return out;
  }
  out.push({ label: 'params missing', value: undefined });
  casesAt(s, validSample(s), [], out);
  return out;
}
