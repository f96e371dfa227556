import type { PlanSource } from '../../src-main/common/api.js';
import type { RequestForm } from './request-form.js';

/** The app's views; `request` is the detail of one request. */
export type ViewName = 'plan' | 'new' | 'requests' | 'request' | 'expiry' | 'decode' | 'ca' | 'farms' | 'settings';

/** Where the app is; kept in memory because the URL fragment carries the browser-mode token. */
export const nav = $state<{ view: ViewName; requestId: string | null; farm: string | null; prefill: Partial<RequestForm> | null; fromPlan: PlanSource | null }>({
  view: 'requests',
  requestId: null,
  farm: null,
  prefill: null,
  fromPlan: null,
});

let focusOnArrival = false;

/** Shows a view; its heading takes the focus once rendered, so keyboard and screen-reader users land in it. */
export function go(view: ViewName, opts: { requestId?: string; farm?: string; prefill?: Partial<RequestForm>; fromPlan?: PlanSource } = {}): void {
  focusOnArrival = true;
  nav.view = view;
  nav.requestId = opts.requestId ?? (view === 'request' ? nav.requestId : null);
  nav.farm = opts.farm ?? null;
  nav.prefill = opts.prefill ?? null;
  // The plan a prefilled New request came from: the request records it when its names stay the plan's.
  nav.fromPlan = opts.fromPlan ?? null;
}

/**
 * Attach to each view's <h1>: it takes the focus when it appears after a navigation. Views that
 * load first (a request's detail) render their heading late, so this waits for the heading itself.
 */
export function viewHeading(node: HTMLElement): void {
  if (!focusOnArrival) return;
  focusOnArrival = false;
  node.focus();
}
