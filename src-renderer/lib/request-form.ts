import type { CreateRequestParams } from '../../src-main/common/api.js';
import { KEY_SIZES, type CsrFormat, type KeySize, type SubjectFields } from '../../src-main/common/requests.js';

/** The New request form as the user edits it: strings and switches, exactly the procedure's fields. */
export interface RequestForm {
  friendlyName: string;
  description: string;
  commonName: string;
  organization: string;
  organizationalUnit: string;
  locality: string;
  state: string;
  country: string;
  /** One SAN per line (commas and spaces also separate, as admins paste lists). */
  sansText: string;
  keySize: KeySize;
  exportable: boolean;
  windowsAttributes: boolean;
  format: CsrFormat;
}

/** The procedure's defaults: 2048-bit, exportable, key type Exchange (Microsoft attribute), Base 64. */
export function emptyForm(): RequestForm {
  return {
    friendlyName: '',
    description: '',
    commonName: '',
    organization: '',
    organizationalUnit: '',
    locality: '',
    state: '',
    country: '',
    sansText: '',
    keySize: 2048,
    exportable: true,
    windowsAttributes: true,
    format: 'base64',
  };
}

/** A form field a local check can point at. */
export type FormField = 'friendlyName' | 'description' | 'commonName' | 'organization' | 'organizationalUnit' | 'locality' | 'state' | 'country' | 'sansText' | 'keySize';

/** A local (pre-server) problem: which field, and a message key with parameters for the catalog. */
export interface FieldProblem {
  field: FormField;
  key: 'form.required' | 'form.tooLong' | 'form.countryCode' | 'form.badKeySize' | 'form.controlChars';
  params?: Record<string, string | number>;
}

/** The SAN lines as typed, trimmed, empty ones dropped, duplicates removed case-insensitively (first wins). */
export function parseSanLines(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[\s,;]+/)) {
    const name = raw.trim();
    if (!name || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    out.push(name);
  }
  return out;
}

// Upper bounds from X.520 (ub-common-name 64, ub-organization-name 64, ...); the friendly name and
// description are free text in MMC, capped here so a pasted document cannot end up in the PFX.
const MAX: Record<Exclude<FormField, 'sansText' | 'keySize' | 'country'>, number> = {
  friendlyName: 256,
  description: 1024,
  commonName: 64,
  organization: 64,
  organizationalUnit: 64,
  locality: 128,
  state: 128,
};

// eslint-disable-next-line no-control-regex -- rejecting control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Local checks that need no server: required CN, lengths, the two-letter country, the key size. */
export function checkForm(form: RequestForm): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!form.commonName.trim()) problems.push({ field: 'commonName', key: 'form.required' });
  for (const [field, max] of Object.entries(MAX) as [keyof typeof MAX, number][]) {
    const value = form[field];
    if (value.trim().length > max) problems.push({ field, key: 'form.tooLong', params: { max } });
    else if (field !== 'description' && CONTROL.test(value)) problems.push({ field, key: 'form.controlChars' });
  }
  if (form.country.trim() && !/^[A-Za-z]{2}$/.test(form.country.trim())) problems.push({ field: 'country', key: 'form.countryCode' });
  if (!KEY_SIZES.includes(form.keySize)) problems.push({ field: 'keySize', key: 'form.badKeySize' });
  return problems;
}

/** The API input for a checked form; optional parts are left out rather than sent empty. */
export function toNewRequestInput(form: RequestForm): CreateRequestParams {
  const subject: SubjectFields = { commonName: form.commonName.trim() };
  const opt = (v: string): string | undefined => (v.trim() ? v.trim() : undefined);
  const o = opt(form.organization);
  if (o !== undefined) subject.organization = o;
  const ou = opt(form.organizationalUnit);
  if (ou !== undefined) subject.organizationalUnit = ou;
  const l = opt(form.locality);
  if (l !== undefined) subject.locality = l;
  const st = opt(form.state);
  if (st !== undefined) subject.state = st;
  const c = opt(form.country);
  if (c !== undefined) subject.country = c.toUpperCase();
  const input: CreateRequestParams = {
    subject,
    sans: parseSanLines(form.sansText),
    keySize: form.keySize,
    exportable: form.exportable,
    windowsAttributes: form.windowsAttributes,
  };
  const fn = opt(form.friendlyName);
  if (fn !== undefined) input.friendlyName = fn;
  const d = opt(form.description);
  if (d !== undefined) input.description = d;
  return input;
}

/** A file name for the saved CSR: the CN with anything unsafe for Windows file names replaced. */
export function csrFileName(commonName: string, format: CsrFormat): string {
  const base = commonName.trim().replace(/^\*\./, 'wildcard.').replace(/[^A-Za-z0-9.-]+/g, '_') || 'request';
  return `${base}.${format === 'der' ? 'der' : 'csr'}`;
}
