import * as z from 'zod/mini';
import { PFX_PROFILES } from '../common/exports.js';
import { KEY_SIZES, REQUEST_STATUSES, type RequestRecord } from '../common/requests.js';
import { REQUEST_ID_PATTERN } from './ids.js';

// zod/mini rather than zod's classic API: building this schema is on the path of every command that
// reads or writes a request (`request new` included), and classic zod objects carry every method on
// every instance, which made building it 2-3 times slower (60-90 ms vs 40-50 ms at load average 11,
// measured from the CLI bundle). Mini reports issues without text unless a locale is set: English,
// as the classic API gives (the reasons end up in STORE_CORRUPT messages).
z.config(z.locales.en());

const finding = z.looseObject({
  code: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  subject: z.optional(z.string()),
});

const subjectFields = z.looseObject({
  commonName: z.string(),
  organization: z.optional(z.string()),
  organizationalUnit: z.optional(z.string()),
  locality: z.optional(z.string()),
  state: z.optional(z.string()),
  country: z.optional(z.string()),
});

const hex64 = z.string().check(z.regex(/^[0-9a-f]{64}$/));
const base64 = z.string().check(z.regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/), z.minLength(1));
const isoTime = z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s))));

const thumbprint = z.string().check(z.regex(/^[0-9A-F]{40}$/));

// The issued certificate as imported (common/certificates.ts CertificateSummary). Validated like
// the rest: a hand-edited or damaged record must be STORE_CORRUPT naming the request, not a crash
// (or a wrong PFX) somewhere downstream.
const certificateSummary = z.looseObject({
  subject: z.string(),
  issuer: z.string(),
  serialNumber: z.string().check(z.regex(/^[0-9A-F]+$/)),
  notBefore: isoTime,
  notAfter: isoTime,
  thumbprint,
  sha256: hex64,
  keyAlgorithm: z.string(),
  signatureAlgorithm: z.string(),
  sans: z.array(z.string()),
  importedAt: isoTime,
});

// One written PFX (common/exports.ts ExportRecord).
const exportRecord = z.looseObject({
  n: z.int().check(z.minimum(1)),
  at: isoTime,
  profile: z.enum(PFX_PROFILES),
  iterations: z.int().check(z.minimum(1)),
  includeRoot: z.boolean(),
  path: z.string(),
  // The exact bytes of a name that is not valid UTF-8 (store/user-path.ts StoredPath).
  pathBytes: z.optional(base64),
  sha256: hex64,
  thumbprint,
  passwordSource: z.enum(['generated', 'supplied']),
});

// Loose objects: later issues add optional fields (certificate, exports...). An older reader keeps
// them on rewrite instead of dropping them.
const requestRecord = z.looseObject({
  schemaVersion: z.literal(1),
  id: z.string().check(z.regex(REQUEST_ID_PATTERN)),
  friendlyName: z.string(),
  description: z.string(),
  subject: z.string().check(z.minLength(1)),
  subjectFields,
  distinguishedName: z.string(),
  sans: z.array(z.string()),
  keyAlgorithm: z.literal('RSA'),
  keySize: z.union(KEY_SIZES.map((n) => z.literal(n))),
  exportable: z.boolean(),
  keySpec: z.literal('exchange'),
  windowsAttributes: z.boolean(),
  status: z.enum(REQUEST_STATUSES),
  createdAt: isoTime,
  updatedAt: isoTime,
  publicKeySha256: hex64,
  csrSha256: z.optional(hex64),
  origin: z.optional(z.literal('adopted')),
  renews: z.optional(z.string().check(z.regex(REQUEST_ID_PATTERN))),
  findings: z.array(finding),
  history: z.array(z.looseObject({ at: isoTime, event: z.string(), detail: z.string() })),
  topology: z.optional(
    z.looseObject({
      kind: z.enum(['stored', 'file', 'form']),
      source: z.string().check(z.maxLength(1024)),
      sha256: hex64,
      certificate: z.int().check(z.minimum(1)),
    }),
  ),
  certificate: z.optional(certificateSummary),
  exports: z.optional(z.array(exportRecord)),
});

// Only an adopted request may lack a CSR: every request made here has one.
const checkedRecord = requestRecord.check(z.refine((x) => x.csrSha256 !== undefined || x.origin === 'adopted', { path: ['csrSha256'], message: 'missing' }));

/** Checks a parsed request.json; returns the record or a one-line reason it is not one. */
export function validateRecord(value: unknown): { ok: true; record: RequestRecord } | { ok: false; reason: string } {
  if (value !== null && typeof value === 'object' && 'schemaVersion' in value && typeof value.schemaVersion === 'number' && value.schemaVersion > 1) {
    return { ok: false, reason: `it was written by a newer Certdesk (schema ${value.schemaVersion}); upgrade Certdesk to read it` };
  }
  const r = checkedRecord.safeParse(value);
  if (r.success) return { ok: true, record: r.data as RequestRecord };
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'the record';
  return { ok: false, reason: `${where} is invalid (${issue?.message ?? 'unknown problem'})` };
}
