import { NODE_KINDS, PROXY_KINDS } from './proxy.js';
/**
 * Argument schemas for every CertdeskApi method. Renderer input is untrusted: the dispatcher checks
 * each call against these before any service runs. Objects are strict (an unknown field is an
 * error, so a typo never silently drops an option) and every string and list has a size cap.
 */
import { z } from 'zod';
import { type ApiMethod, type ApiParams, MAX_EXPIRY_DAYS, MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, THEME_CHOICES, UI_LANGUAGES } from './api.js';
import { WINDOWS_VERSIONS } from './farms.js';
import { KEY_SIZES, REQUEST_STATUSES } from './requests.js';
import { TOPOLOGY_NAME_PATTERN } from './topologies.js';

const text = (max: number) => z.string().max(max, `is longer than ${max} characters`);
const opt = <T extends z.ZodType>(schema: T) => schema.exactOptional();

/** Request ids, farm names and handles: short, file-name safe tokens. */
const token = z
  .string()
  .min(1, 'is empty')
  .max(128, 'is longer than 128 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'has characters other than letters, digits, ".", "_", ":" and "-"');

const expiryDays = z.int('is not a whole number of days').min(1, 'is less than 1 day').max(MAX_EXPIRY_DAYS, `is more than ${MAX_EXPIRY_DAYS} days`);

const farmNodes = z
  .array(z.strictObject({ host: text(1024), windowsVersion: z.enum(WINDOWS_VERSIONS), notes: opt(text(1024)), kind: opt(z.enum(NODE_KINDS)) }))
  .min(1, 'names no node')
  .max(200, 'has more than 200 nodes');

const MAX_BASE64 = Math.ceil(MAX_UPLOAD_BYTES / 3) * 4;
const dnsName = text(1024);
const path = text(4096).min(1, 'is empty');

const fileSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('handle'), handle: token }),
  z.strictObject({
    kind: z.literal('bytes'),
    name: text(255),
    base64: z.base64('is not base64').max(MAX_BASE64, `is a file larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB`),
  }),
  z.strictObject({ kind: z.literal('text'), text: text(MAX_UPLOAD_BYTES) }),
]);
const fileSources = z.array(fileSource).min(1, 'names no file').max(MAX_UPLOAD_FILES, `has more than ${MAX_UPLOAD_FILES} files`);

const saveTarget = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('handle'), handle: token }),
  z.strictObject({ kind: z.literal('path'), path }),
  z.strictObject({ kind: z.literal('download') }),
]);

const folderTarget = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('drive'), mountPoint: path }),
  z.strictObject({ kind: z.literal('handle'), handle: token }),
  z.strictObject({ kind: z.literal('path'), path }),
]);

const passwordChoice = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('generate') }),
  z.strictObject({ kind: z.literal('supplied'), password: z.string().min(1, 'is empty').max(256, 'is longer than 256 characters') }),
]);

const pfxProfile = z.enum(['legacy', 'modern']);
const csrFormat = z.enum(['base64', 'der']);
const keySize = z.union(KEY_SIZES.map((n) => z.literal(n)) as [z.ZodLiteral<2048>, z.ZodLiteral<3072>, z.ZodLiteral<4096>]);

const subjectFields = z.strictObject({
  commonName: dnsName,
  organization: opt(text(64)),
  organizationalUnit: opt(text(64)),
  locality: opt(text(128)),
  state: opt(text(128)),
  country: opt(text(2)),
});

/** Topology names: the same rule as farm names (they become file names on every OS). */
const topologyName = z.string().regex(TOPOLOGY_NAME_PATTERN, 'is not a topology name (letters, digits, ".", "_" and "-", at most 64, starting with a letter or digit)');

// The topology's structure, checked at the door like every other argument; the service validates
// it again field by field (with the CLI's messages) and the planner judges its names.
const names = (max: number) => z.array(dnsName).max(max, `has more than ${max} entries`);
const siteSpec = { name: dnsName, externalWebFqdn: dnsName, internalFqdn: opt(dnsName) };
const topology = z.strictObject({
  version: z.literal(1),
  description: opt(text(1024)),
  sipDomains: names(250),
  pools: z.array(z.strictObject({ ...siteSpec, remoteAccess: z.boolean() })).max(250, 'has more than 250 pools'),
  directors: opt(z.array(z.strictObject(siteSpec)).max(250, 'has more than 250 Directors')),
  simpleUrls: z.strictObject({
    meet: z.array(z.strictObject({ url: text(2048), sipDomain: dnsName, active: z.boolean() })).max(250, 'has more than 250 meeting URLs'),
    dialin: text(2048),
  }),
  officeWebApps: opt(names(250)),
  mobility: opt(z.strictObject({ autodiscoverPort: z.union([z.literal(443), z.literal(80)]) })),
  exchange: opt(z.strictObject({ autodiscover: opt(names(250)), webServices: opt(names(250)) })),
  edge: opt(z.strictObject({ sans: names(250) })),
  subjectPool: opt(dnsName),
  strategy: opt(z.enum(['shared', 'per-pool'])),
  publicCa: opt(z.boolean()),
  extraSans: opt(names(250)),
  omitSans: opt(names(250)),
});
const planCertificate = z.int('is not a whole number').min(1, 'is below 1').max(1000, 'is above 1000');
const planSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('stored'), name: topologyName, certificate: opt(planCertificate) }),
  z.strictObject({ kind: z.literal('form'), topology, source: opt(text(255)), certificate: opt(planCertificate) }),
]);

const newRequestInput = z.strictObject({
  subject: subjectFields,
  sans: z.array(dnsName).max(500, 'has more than 500 names'),
  friendlyName: opt(text(256)),
  description: opt(text(1024)),
  keySize: opt(keySize),
  exportable: opt(z.boolean()),
  windowsAttributes: opt(z.boolean()),
  fromTopology: opt(planSource),
});

const proxyConfigFields = {
  kind: z.enum(PROXY_KINDS),
  plan: opt(planSource),
  requestId: opt(token),
  certificate: opt(planCertificate),
  farm: opt(token),
  listen: opt(text(64)),
  upstreams: opt(z.array(text(1100)).max(100, 'has more than 100 mappings')),
  installDir: opt(text(1024)),
  language: opt(z.enum(UI_LANGUAGES)),
};

const exportNumber = z.number().int('is not a whole number').min(1, 'is below 1').max(1_000_000, 'is too large');
const none = z.undefined();

/** One schema per method, for its params object (`undefined` where a method takes none). */
export const API_SCHEMAS = {
  'app.info': none,
  'app.ping': none,
  'app.repairNotes': none,
  'settings.get': none,
  'settings.update': z.strictObject({
    defaultPfxProfile: opt(pfxProfile),
    language: opt(z.enum(UI_LANGUAGES)),
    theme: opt(z.enum(THEME_CHOICES)),
    expiryCriticalDays: opt(expiryDays),
    expiryWarningDays: opt(expiryDays),
  }),
  'dialogs.openFile': z.strictObject({ purpose: z.enum(['topology', 'csr', 'certificate', 'any', 'backup']), multiple: opt(z.boolean()) }),
  'dialogs.saveFile': z.strictObject({ purpose: z.enum(['csr', 'pfx', 'backup', 'certificate', 'topology']), suggestedName: text(255) }),
  'dialogs.chooseFolder': none,
  'names.check': z.strictObject({ commonName: dnsName, sans: z.array(dnsName).max(500, 'has more than 500 names'), publicCa: opt(z.boolean()) }),
  'plans.fromText': z.strictObject({ text: text(MAX_UPLOAD_BYTES) }),
  'plans.openFile': z.strictObject({ source: fileSource }),
  'plans.examples': none,
  'topologies.list': none,
  'topologies.show': z.strictObject({ name: topologyName }),
  'topologies.save': z.strictObject({ name: topologyName, topology, savedFrom: opt(text(255)) }),
  'topologies.delete': z.strictObject({ name: topologyName }),
  'topologies.import': z.strictObject({ source: fileSource }),
  'topologies.saveFile': z.strictObject({ topology, fileName: text(255).min(1, 'is empty'), target: saveTarget }),
  'requests.create': newRequestInput,
  'requests.list': z.strictObject({ status: opt(z.enum(REQUEST_STATUSES)), search: opt(text(256)) }),
  'requests.summaries': z.strictObject({ status: opt(z.enum(REQUEST_STATUSES)), search: opt(text(256)) }),
  'requests.summariesSince': z.strictObject({ version: opt(text(64)) }),
  'requests.show': z.strictObject({ id: token }),
  'requests.getCsr': z.strictObject({ id: token, format: csrFormat }),
  'requests.saveCsr': z.strictObject({ id: token, format: csrFormat, target: saveTarget }),
  'requests.certificate': z.strictObject({ id: token }),
  'requests.saveCertificate': z.strictObject({ id: token, target: saveTarget }),
  'requests.delete': z.strictObject({ id: token }),
  'requests.renewPreview': z.strictObject({ id: token, topology: opt(topologyName), certificate: opt(planCertificate), replan: opt(z.boolean()) }),
  'requests.renew': z.strictObject({
    id: token,
    topology: opt(topologyName),
    certificate: opt(planCertificate),
    replan: opt(z.boolean()),
    keySize: opt(keySize),
    force: opt(z.boolean()),
  }),
  // The password: '' is the empty password some PFX files have; never echoed in an error.
  'requests.adoptPfx': z.strictObject({ source: fileSource, password: z.string().max(1024, 'is longer than 1024 characters'), friendlyName: opt(text(256)) }),
  'decode.file': z.strictObject({ source: fileSource }),
  'certificates.importAnswer': z.strictObject({ sources: fileSources, requestId: opt(token), acceptMismatch: opt(z.boolean()) }),
  'certificates.importCa': z.strictObject({ sources: fileSources }),
  'certificates.listCa': none,
  'exports.create': z.strictObject({
    id: token,
    profile: opt(pfxProfile),
    password: passwordChoice,
    includeRoot: opt(z.boolean()),
    iterations: opt(z.number().int('is not a whole number').min(1, 'is below 1').max(600_000, 'is above 600,000')),
    target: saveTarget,
    allowIncompleteChain: opt(z.boolean()),
    overwrite: opt(z.boolean()),
  }),
  'exports.list': z.strictObject({ id: token }),
  'exports.revealPassword': z.strictObject({ id: token, exportNumber: opt(exportNumber) }),
  'exports.copyPassword': z.strictObject({ id: token, exportNumber: opt(exportNumber) }),
  'farms.add': z.strictObject({
    name: token,
    nodes: farmNodes,
    trust: opt(z.array(fileSource).max(MAX_UPLOAD_FILES, `has more than ${MAX_UPLOAD_FILES} files`)),
  }),
  'farms.update': z.strictObject({
    name: token,
    nodes: opt(farmNodes),
    addTrust: opt(z.array(fileSource).max(MAX_UPLOAD_FILES, `has more than ${MAX_UPLOAD_FILES} files`)),
    removeTrust: opt(z.array(text(128)).max(100, 'has more than 100 certificates')),
  }),
  'farms.delete': z.strictObject({ name: token, confirm: opt(z.boolean()) }),
  'farms.list': none,
  'farms.show': z.strictObject({ name: token }),
  'farms.linkRequest': z.strictObject({ name: token, requestId: token }),
  'drives.list': none,
  'bundles.write': z.strictObject({
    id: token,
    farm: token,
    target: folderTarget,
    password: passwordChoice,
    includePublicRoot: opt(z.boolean()),
    allowIncompleteChain: opt(z.boolean()),
    signWith: opt(z.strictObject({ source: fileSource, password: z.string().max(1024, 'is longer than 1024 characters') })),
  }),
  'proxyConfig.prepare': z.strictObject(proxyConfigFields),
  'proxyConfig.save': z.strictObject({ ...proxyConfigFields, target: folderTarget, password: passwordChoice }),
  'deployments.mark': z.strictObject({
    id: token,
    node: dnsName,
    farm: opt(token),
    operator: opt(text(256)),
    verifiedThumbprint: opt(text(256)),
  }),
  'deployments.list': z.strictObject({ id: token }),
  'deployments.undo': z.strictObject({ id: token, node: dnsName, farm: opt(token) }),
  'expiry.list': z.strictObject({ withinDays: opt(z.number().int('is not a whole number').min(0, 'is negative').max(36_500, 'is too large')), all: opt(z.boolean()) }),
  'backup.status': none,
  'backup.create': z.strictObject({ target: saveTarget, passphrase: passwordChoice }),
  'backup.restore': z.strictObject({ source: fileSource, passphrase: z.string().min(1, 'is empty').max(1024, 'is longer than 1024 characters') }),
} as const satisfies { [M in ApiMethod]: z.ZodType<ApiParams<M>> };
