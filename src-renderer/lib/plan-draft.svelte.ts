import type { PlanResult } from '../../src-main/common/api.js';

/** The topology being edited survives switching views (the admin goes to New request and back). */
export const planDraft = $state<{ text: string; result: PlanResult | null }>({ text: '', result: null });
