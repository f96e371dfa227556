/**
 * Topologies kept in the store (`certdesk topology ...`) and the topology a request was planned
 * from. Plain data shared by the services, the CLI's --json and the renderer. Field names are a
 * public contract (README sections `plan` and `requests`): add fields, never rename one.
 */
import type { Topology } from './plan.js';
import type { TopologyImport } from './topology-import.js';

/** Names of stored topologies: the same rule as farm names (they become file names on every OS). */
export const TOPOLOGY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** One stored topology as `topology list` shows it. */
export interface StoredTopologySummary {
  name: string;
  /** SHA-256 (lower-case hex) of the topology's canonical JSON: what a request made from it records. */
  sha256: string;
  /** The file (or form) it was last saved from, for orientation. */
  savedFrom: string;
  /** ISO-8601. */
  createdAt: string;
  updatedAt: string;
  /** The topology's own free-text description, when it has one. */
  description?: string;
  sipDomains: string[];
  /** Pool names, in topology order. */
  pools: string[];
}

/** A stored topology with its content (`topology show`). */
export interface StoredTopology extends StoredTopologySummary {
  topology: Topology;
}

/** What saving a topology did (`topologies.save`, `certdesk topology save --json`). */
export interface SavedTopology {
  topology: StoredTopologySummary;
  /** True when an earlier version of the same name was replaced. */
  replaced: boolean;
  /** The replaced version's SHA-256, when it differs (requests made from it keep their copies). */
  previousSha256?: string;
}

/** A Lync topology document read for review (`topologies.import`): the topology and what was read and assumed. */
export interface ImportedTopology extends TopologyImport {
  /** The file's base name (or "pasted text"). */
  fileName: string;
}

/**
 * Where the names of a request created in the app come from (`requests.create` `fromTopology`):
 * a topology kept in the store, by name, or the topology the admin has in the Plan view's form.
 * The request is planned from it, records it (kind, source, SHA-256, certificate) and keeps a copy,
 * exactly as `certdesk request new --topology NAME` / `--plan FILE` do.
 */
export type PlanSource =
  | { kind: 'stored'; name: string; certificate?: number }
  | { kind: 'form'; topology: Topology; source?: string; certificate?: number };

/** Where a request's names came from, when it was made from a plan (record field `topology`). */
export interface RequestTopology {
  /** `stored`: a named topology of the store; `file`: a file (its base name); `form`: the app's editor. */
  kind: 'stored' | 'file' | 'form';
  /** The stored topology's name, the file's base name, or a label the admin gave the form. */
  source: string;
  /** SHA-256 of the canonical JSON of the topology, i.e. of the `topology.json` copy in the request folder. */
  sha256: string;
  /** The 1-based certificate of the plan the request was made for. */
  certificate: number;
}

/** File name of the topology copy in a request folder. */
export const REQUEST_TOPOLOGY_FILE = 'topology.json';

/**
 * The canonical JSON of a validated topology: two-space indentation, a final newline, fields in the
 * validator's order. Stored topologies and request copies are written in exactly this form, so the
 * SHA-256 a request records can be recomputed from either.
 */
export function canonicalTopologyJson(t: Topology): string {
  return `${JSON.stringify(t, null, 2)}\n`;
}

/**
 * The friendly name a request made from a plan gets unless the admin gives one: stable (the same
 * subject in the same month gives the same text) and descriptive, e.g.
 * `Reverse proxy webext.contoso.com 2026-03`. The month is UTC, like request ids.
 */
export function defaultPlanFriendlyName(subject: string, at: Date): string {
  const month = `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
  return `Reverse proxy ${subject} ${month}`;
}
