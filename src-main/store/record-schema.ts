import { z } from 'zod';
import { PFX_PROFILES } from '../common/exports.js';
import { KEY_SIZES, REQUEST_STATUSES, type RequestRecord } from '../common/requests.js';
import { REQUEST_ID_PATTERN } from './ids.js';

const finding = z.looseObject({
  code: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  subject: z.string().optional(),
});

const subjectFields = z.looseObject({
  commonName: z.string(),
  organization: z.string().optional(),
  organizationalUnit: z.string().optional(),
  locality: z.string().optional(),
  state: z.string().optional(),
  country: z.string().optional(),
});

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const base64 = z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/).min(1);
const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)));

const thumbprint = z.string().regex(/^[0-9A-F]{40}$/);

// The issued certificate as imported (common/certificates.ts CertificateSummary). Validated like
// the rest: a hand-edited or damaged record must be STORE_CORRUPT naming the request, not a crash
// (or a wrong PFX) somewhere downstream.
const certificateSummary = z.looseObject({
  subject: z.string(),
  issuer: z.string(),
  serialNumber: z.string().regex(/^[0-9A-F]+$/),
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
  n: z.number().int().min(1),
  at: isoTime,
  profile: z.enum(PFX_PROFILES),
  iterations: z.number().int().min(1),
  includeRoot: z.boolean(),
  path: z.string(),
  // The exact bytes of a name that is not valid UTF-8 (store/user-path.ts StoredPath).
  pathBytes: base64.optional(),
  sha256: hex64,
  thumbprint,
  passwordSource: z.enum(['generated', 'supplied']),
});

// Loose objects: later issues add optional fields (certificate, exports...). An older reader keeps
// them on rewrite instead of dropping them.
const requestRecord = z.looseObject({
  schemaVersion: z.literal(1),
  id: z.string().regex(REQUEST_ID_PATTERN),
  friendlyName: z.string(),
  description: z.string(),
  subject: z.string().min(1),
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
  csrSha256: hex64.optional(),
  origin: z.literal('adopted').optional(),
  renews: z.string().regex(REQUEST_ID_PATTERN).optional(),
  findings: z.array(finding),
  history: z.array(z.looseObject({ at: isoTime, event: z.string(), detail: z.string() })),
  topology: z
    .looseObject({
      kind: z.enum(['stored', 'file', 'form']),
      source: z.string().max(1024),
      sha256: hex64,
      certificate: z.number().int().min(1),
    })
    .optional(),
  certificate: certificateSummary.optional(),
  exports: z.array(exportRecord).optional(),
});

/** Checks a parsed request.json; returns the record or a one-line reason it is not one. */
export function validateRecord(value: unknown): { ok: true; record: RequestRecord } | { ok: false; reason: string } {
  if (value !== null && typeof value === 'object' && 'schemaVersion' in value && typeof value.schemaVersion === 'number' && value.schemaVersion > 1) {
    return { ok: false, reason: `it was written by a newer Certdesk (schema ${value.schemaVersion}); upgrade Certdesk to read it` };
  }
  // Only an adopted request may lack a CSR: every request made here has one.
  const r = requestRecord.refine((x) => x.csrSha256 !== undefined || x.origin === 'adopted', { path: ['csrSha256'], message: 'missing' }).safeParse(value);
  if (r.success) return { ok: true, record: r.data as RequestRecord };
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'the record';
  return { ok: false, reason: `${where} is invalid (${issue?.message ?? 'unknown problem'})` };
}
