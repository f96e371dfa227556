import { z } from 'zod';

/**
 * The on-disk form of an intent (store/intents.ts), validated before recovery acts on it: an intent
 * names files to rename and remove, so a damaged one is left alone rather than half-believed.
 * Loaded only when an intent file is found (zod is a tenth of a CLI start).
 *
 * Paths: `path`/`temp`/`createdDirs[i]` hold the path as text; a name that is not valid UTF-8 has the
 * escaped display text there and its exact bytes, base64, in `pathBytes`/`tempBytes`/
 * `createdDirsBytes[i]` (null for entries that are UTF-8). Intents written before these fields
 * existed have none and read as before.
 */
const base64 = z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/).min(1);
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

const target = z.looseObject({
  path: z.string().min(1),
  pathBytes: base64.optional(),
  temp: z.string().min(1),
  tempBytes: base64.optional(),
  folder: z.boolean(),
  sha256: hex64.nullable(),
  replaces: hex64.nullable(),
});

export const intentOnDisk = z
  .looseObject({
    schemaVersion: z.literal(1),
    id: z.string().regex(/^[0-9A-Za-z-]{1,80}$/),
    kind: z.enum(['pfx-export', 'bundle', 'proxy-config', 'request-create']),
    requestId: z.string().min(1),
    at: z.string(),
    exports: z.array(z.number().int().min(1)),
    accounts: z.array(z.string().min(1)),
    targets: z.array(target),
    createdDirs: z.array(z.string().min(1)),
    createdDirsBytes: z.array(base64.nullable()).optional(),
    audit: z.looseObject({ event: z.string(), requestId: z.string().optional(), detail: z.string() }),
  })
  .refine((v) => v.createdDirsBytes === undefined || v.createdDirsBytes.length === v.createdDirs.length, { path: ['createdDirsBytes'], message: 'not one entry per folder' });

export type IntentOnDisk = z.infer<typeof intentOnDisk>;

/** The parsed intent, or null when it is not one this version can act on safely. */
export function parseIntentOnDisk(value: unknown): IntentOnDisk | null {
  const r = intentOnDisk.safeParse(value);
  return r.success ? r.data : null;
}
