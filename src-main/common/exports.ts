/** PFX protection profiles (docs/pki.md section 4). Never rename one: scripts and settings name them. */
export const PFX_PROFILES = ['legacy', 'modern'] as const;
/** One PFX protection profile. */
export type PfxProfile = (typeof PFX_PROFILES)[number];

/** The procedure's proxies (TMG 2010, Windows Server 2008 R2-2016) need `legacy`. */
export const DEFAULT_PFX_PROFILE: PfxProfile = 'legacy';

/** Windows refuses PFX files with more iterations than this. */
export const PFX_MAX_ITERATIONS = 600_000;

/** What each profile is and whom it serves, for the CLI, the app and the README. */
export const PFX_PROFILE_INFO: Readonly<
  Record<PfxProfile, { serves: string; keyProtection: string; certificateProtection: string; mac: string; defaultIterations: number; minIterations: number; maxIterations: number }>
> = {
  legacy: {
    serves: 'TMG 2010, IIS ARR and every Windows from Server 2008 R2 to Server 2016 (and newer)',
    keyProtection: 'pbeWithSHAAnd3-KeyTripleDES-CBC',
    certificateProtection: 'pbeWithSHAAnd3-KeyTripleDES-CBC',
    mac: 'HMAC-SHA1',
    defaultIterations: 2048,
    minIterations: 2000,
    maxIterations: 2048,
  },
  modern: {
    serves: 'Windows 10 1709+ and Windows Server 2019+ only (older Windows says "the password is incorrect")',
    keyProtection: 'PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)',
    certificateProtection: 'PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)',
    mac: 'HMAC-SHA256',
    defaultIterations: 10_000,
    minIterations: 10_000,
    maxIterations: PFX_MAX_ITERATIONS,
  },
};

/** One PFX export as the request record keeps it (the password lives only in the OS keychain). */
export interface ExportRecord {
  /** 1, 2, ... per request: `certdesk password ID --export N`. */
  n: number;
  /** ISO-8601. */
  at: string;
  profile: PfxProfile;
  iterations: number;
  includeRoot: boolean;
  /** Absolute path written; for a name that is not valid UTF-8, its escaped display text (`r\\xff.pfx`). */
  path: string;
  /** Only for a name that is not valid UTF-8: its exact bytes, base64 (what every file operation uses). */
  pathBytes?: string;
  /** SHA-256 of the PFX file, lowercase hex. */
  sha256: string;
  /** The certificate's SHA-1 thumbprint, uppercase hex. */
  thumbprint: string;
  passwordSource: 'generated' | 'supplied';
  /** What was written: a PFX (absent: a PFX, as every export before proxy-config), or an encrypted PKCS#8 PEM key for nginx. */
  format?: 'pfx' | 'pkcs8-pem';
  /** Set when `certdesk proxy-config` wrote it, for that proxy kind. */
  proxyKind?: string;
}

/** The outcome of an export. */
export interface ExportResult {
  requestId: string;
  exportNumber: number;
  /** The file written; for a name that is not valid UTF-8, its escaped display text. */
  path: string;
  /** Only for a name that is not valid UTF-8: its exact bytes, base64. */
  pathBytes?: string;
  sha256: string;
  profile: PfxProfile;
  iterations: number;
  thumbprint: string;
  includeRoot: boolean;
  /** CA certificates bundled after the leaf (the intermediates, plus the root when asked). */
  caCertificates: number;
  passwordGenerated: boolean;
  /** Which Windows versions import this profile. */
  serves: string;
  /** What the admin allowed explicitly, e.g. an incomplete chain (--allow-incomplete-chain). */
  warnings?: string[];
}
