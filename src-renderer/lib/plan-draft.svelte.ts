import type { ImportedTopology, PlanResult } from '../../src-main/common/api.js';
import { emptyDraft, type TopologyDraft } from './topology-form.js';

/**
 * The topology being edited survives switching views (the admin goes to New request and back):
 * the form's draft, the JSON text the plan is made from (the form's JSON, or what the JSON tab
 * holds), the plan, and where the topology came from.
 */
export const planDraft = $state<{
  draft: TopologyDraft;
  /** The JSON the plan is made from. */
  text: string;
  /** The JSON the form last produced: the JSON tab's text differs from it only after an edit there. */
  formJson: string;
  result: PlanResult | null;
  /** File, stored or example name the topology came from; null for a new one. */
  source: string | null;
  tab: 'form' | 'json';
  /** A Lync document just imported, for review: what was read and assumed. */
  imported: ImportedTopology | null;
}>({ draft: emptyDraft(), text: '', formJson: '', result: null, source: null, tab: 'form', imported: null });
