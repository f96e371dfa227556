import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CertdeskError } from '../common/errors.js';
import { MAX_TOPOLOGY_BYTES, type PlanResult, type Topology } from '../common/plan.js';
import type { TopologyImport } from '../common/topology-import.js';
import type { TopologyForRequest } from '../common/requests.js';
import { canonicalTopologyJson, type ImportedTopology } from '../common/topologies.js';
import { planTopology } from '../planning/planner.js';
import { decodeTopologyText, parseTopologyDocument, topologyTooBig } from '../planning/topology-file.js';
import { validateTopology } from '../planning/topology-schema.js';
import { readUserFile } from '../store/user-file.js';
import { baseName, type UserPath } from '../store/user-path.js';
import type { ServiceContext } from './context.js';
import { loadStoredTopology } from './topologies.js';

/** Plans already-parsed topology JSON (validated field by field first: INVALID_INPUT names the field). */
export function planFromTopology(json: unknown): PlanResult {
  return planTopology(validateTopology(json));
}

/** Plans topology JSON text (the app's editor, a pasted or dropped file); `source` names it in errors. */
export function planFromText(text: string, source = 'topology'): PlanResult {
  return planTopology(parseTopologyDocument(text, source).topology);
}

/**
 * Reads a topology file (UTF-8 or UTF-16, at most 1 MiB; a regular file, never a FIFO or device):
 * Certdesk JSON or a Lync topology document, recognised by content.
 */
export async function readTopologyDocument(path: UserPath): Promise<TopologyImport> {
  const name = baseName(path);
  const bytes = await readUserFile(path, 'topology file', {
    maxBytes: MAX_TOPOLOGY_BYTES,
    tooLarge: (size) => topologyTooBig(name, size),
    notFound: (shown) => new CertdeskError('NOT_FOUND', `topology file not found: ${shown}`),
  });
  return parseTopologyDocument(decodeTopologyText(bytes, name), name);
}

/** Reads a topology file and plans it. */
export async function planFromFile(path: UserPath): Promise<PlanResult> {
  return planTopology((await readTopologyDocument(path)).topology);
}

/** A topology read from a file: Certdesk JSON, or a Lync topology document converted (by content). */
export interface TopologySource extends TopologyImport {
  /** The file's base name. */
  name: string;
}

/** Reads a topology file (JSON or a Lync document) and validates it. */
export async function readTopologySource(path: UserPath): Promise<TopologySource> {
  return { name: baseName(path), ...(await readTopologyDocument(path)) };
}

/** The names one planned certificate gives a request, and the topology it records. */
export interface PlanForRequest {
  commonName: string;
  sans: string[];
  /** For NewRequestInput.fromTopology: the request records it and keeps a copy. */
  fromTopology: TopologyForRequest;
  /** Why each SAN is there (the plan's sentences), by A-label: a renewal lists them for names it adds. */
  reasons: Record<string, string[]>;
}

/**
 * The subject and SANs of one planned certificate, for `certdesk request new --plan FILE
 * [--certificate N]` and `--topology NAME`. `certificate` is 1-based, as `certdesk plan` prints it;
 * it may be left out when the plan has a single certificate. Refuses (INVALID_INPUT) a plan with
 * any error finding, naming the errors, and an index out of range. SANs are A-labels, subject first.
 */
export function planForRequest(topology: Topology, origin: { kind: TopologyForRequest['kind']; source: string }, certificate?: number): PlanForRequest {
  const result = planTopology(topology);
  const name = origin.source;
  // The app's form shows the whole plan beside the form: its messages name no CLI command or flag.
  const app = origin.kind === 'form';
  const how = origin.kind === 'stored' ? `; run certdesk plan --topology ${name} for the full list` : app ? '' : `; run certdesk plan ${name} for the full list`;
  const errors = result.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    const shown = errors
      .slice(0, 3)
      .map((f) => `${f.code} (${f.message.replace(/\.$/, '')})`)
      .join('; ');
    const more = errors.length > 3 ? `; and ${errors.length - 3} more` : '';
    throw new CertdeskError('INVALID_INPUT', `the plan from ${name} has ${errors.length} error${errors.length > 1 ? 's' : ''}: ${shown}${more}${how}`);
  }
  const count = result.plans.length;
  let index = certificate;
  if (index === undefined) {
    if (count !== 1) throw new CertdeskError('INVALID_INPUT', `the plan from ${name} has ${count} certificates; choose one ${app ? 'of' : 'with --certificate'} 1-${count}`);
    index = 1;
  }
  const plan = Number.isInteger(index) ? result.plans[index - 1] : undefined;
  if (!plan) {
    throw new CertdeskError('INVALID_INPUT', `certificate ${index} does not exist: the plan from ${name} has ${count} certificate${count === 1 ? '' : 's'} (1-${count})`);
  }
  return {
    commonName: plan.subject,
    sans: plan.sans.map((s) => s.name),
    fromTopology: { kind: origin.kind, source: name, text: canonicalTopologyJson(topology), certificate: index },
    reasons: Object.fromEntries(plan.sans.map((s) => [s.name, [...s.reasons]])),
  };
}

/** A topology file's bytes (dialog handle, dropped or pasted) read as JSON or a Lync document, with what was read and assumed. */
export function importTopologyBytes(bytes: Uint8Array, fileName: string): ImportedTopology {
  return { fileName, ...parseTopologyDocument(decodeTopologyText(bytes, fileName), fileName) };
}

/** planForRequest for a topology file. */
export async function loadPlanForRequest(filePath: UserPath, certificate?: number): Promise<PlanForRequest> {
  const source = await readTopologySource(filePath);
  return planForRequest(source.topology, { kind: 'file', source: source.name }, certificate);
}

/** planForRequest for a topology kept in the store. */
export async function loadStoredPlanForRequest(ctx: ServiceContext, name: string, certificate?: number): Promise<PlanForRequest> {
  const stored = await loadStoredTopology(ctx, name);
  return planForRequest(stored.topology, { kind: 'stored', source: stored.name }, certificate);
}

/** A bundled example topology. */
export interface TopologyExampleFile {
  /** File name without `.json`, e.g. `contoso`. */
  name: string;
  text: string;
}

/**
 * The bundled example topologies (examples/*.json), Contoso first. The folder is found by walking up
 * from this module, so it works from src-main (tests), dist/main and a packaged app alike.
 */
export async function readTopologyExamples(dir: string | null = findExamplesDir()): Promise<TopologyExampleFile[]> {
  if (dir === null) return [];
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort((a, b) => (a === 'contoso.json' ? -1 : b === 'contoso.json' ? 1 : a.localeCompare(b)));
  return Promise.all(files.map(async (f) => ({ name: f.slice(0, -'.json'.length), text: await readFile(join(dir, f), 'utf8') })));
}

function findExamplesDir(): string | null {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'examples');
    if (existsSync(join(candidate, 'contoso.json'))) return candidate;
    dir = dirname(dir);
  }
  return null;
}
