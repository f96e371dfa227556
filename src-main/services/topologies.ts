import { CertdeskError } from '../common/errors.js';
import type { Topology } from '../common/plan.js';
import {
  canonicalTopologyJson,
  REQUEST_TOPOLOGY_FILE,
  type RequestTopology,
  type SavedTopology,
  type StoredTopology,
  type StoredTopologySummary,
} from '../common/topologies.js';
import { parseTopologyText } from '../planning/topology-file.js';
import { validateTopology } from '../planning/topology-schema.js';
import { type TopologyFile, TopologyStore, topologySha256 } from '../store/topology-store.js';
import { nowOf, openStore, openStoreIfExists, type ServiceContext } from './context.js';

export type { SavedTopology } from '../common/topologies.js';

function summaryOf(f: TopologyFile, t: Topology): StoredTopologySummary {
  return {
    name: f.name,
    sha256: f.sha256,
    savedFrom: f.savedFrom,
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
    ...(t.description !== undefined ? { description: t.description } : {}),
    sipDomains: [...t.sipDomains],
    pools: t.pools.map((p) => p.name),
  };
}

/** The stored text validated again: a hand-edited or older entry that no longer validates is STORE_CORRUPT. */
function contentOf(f: TopologyFile): Topology {
  try {
    return parseTopologyText(f.json, `topology ${f.name}`);
  } catch (e) {
    if (e instanceof CertdeskError) throw new CertdeskError('STORE_CORRUPT', `stored topology ${f.name} is damaged: ${e.message}`);
    throw e;
  }
}

/**
 * Stores `topology` under `name` (validated first; INVALID_INPUT naming the field), replacing an
 * earlier version of that name. `savedFrom` says where it came from (a file name, "the form").
 */
export async function saveTopology(ctx: ServiceContext, name: string, topology: unknown, savedFrom: string): Promise<SavedTopology> {
  const t = validateTopology(topology, savedFrom);
  const store = await openStore(ctx);
  const { file, replaced } = await new TopologyStore(store).save(name, canonicalTopologyJson(t), savedFrom.slice(0, 1024), nowOf(ctx));
  return {
    topology: summaryOf(file, t),
    replaced: replaced !== null,
    ...(replaced !== null && replaced.sha256 !== file.sha256 ? { previousSha256: replaced.sha256 } : {}),
  };
}

/** The stored topologies, by name; [] (and a ctx.note) when there is no store yet. */
export async function listTopologies(ctx: ServiceContext): Promise<StoredTopologySummary[]> {
  const store = await openStoreIfExists(ctx);
  if (!store) return [];
  return (await new TopologyStore(store).list()).map((f) => summaryOf(f, contentOf(f)));
}

/** One stored topology with its content; NOT_FOUND when there is none (or no store). */
export async function showTopology(ctx: ServiceContext, name: string): Promise<StoredTopology> {
  const store = await openStore(ctx, { mustExist: true });
  const f = await new TopologyStore(store).get(name);
  const t = contentOf(f);
  return { ...summaryOf(f, t), topology: t };
}

/**
 * The validated content of the stored topology `name`, for anything that plans from it
 * (`request new --topology NAME`, proxy configurations). NOT_FOUND when there is none.
 */
export async function loadStoredTopology(ctx: ServiceContext, name: string): Promise<{ name: string; sha256: string; topology: Topology }> {
  const s = await showTopology(ctx, name);
  return { name: s.name, sha256: s.sha256, topology: s.topology };
}

/** Deletes a stored topology; returns its stored name. Requests made from it keep their copies. */
export async function deleteTopology(ctx: ServiceContext, name: string): Promise<string> {
  const store = await openStore(ctx, { mustExist: true });
  return new TopologyStore(store).delete(name);
}

/**
 * The topology a request was planned from: its record's `topology` (kind, source, SHA-256,
 * certificate) and the copy kept in its folder, validated and checked against the SHA-256. null
 * when the request was not made from a plan. For renewal: re-plan from `topology` and compare.
 */
export async function readRequestTopology(ctx: ServiceContext, id: string): Promise<{ origin: RequestTopology; topology: Topology } | null> {
  const store = await openStore(ctx, { mustExist: true });
  const realId = await store.resolveId(id);
  const record = await store.getRequest(realId);
  if (!record.topology) return null;
  const bytes = await store.readRequestFile(realId, REQUEST_TOPOLOGY_FILE);
  if (bytes === null) throw new CertdeskError('STORE_CORRUPT', `request ${realId} is damaged: its topology copy (${REQUEST_TOPOLOGY_FILE}) is missing`);
  const text = bytes.toString('utf8');
  if (topologySha256(text) !== record.topology.sha256) {
    throw new CertdeskError('STORE_CORRUPT', `request ${realId} is damaged: its topology copy does not match the SHA-256 in its record`);
  }
  try {
    return { origin: record.topology, topology: parseTopologyText(text, `the topology of request ${realId}`) };
  } catch (e) {
    if (e instanceof CertdeskError) throw new CertdeskError('STORE_CORRUPT', `request ${realId} is damaged: ${e.message}`);
    throw e;
  }
}
