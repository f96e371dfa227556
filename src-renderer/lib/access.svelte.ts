/**
 * Why this page cannot talk to Certdesk, when it cannot: `missing` (browser mode opened or reloaded
 * without its token), `rejected` (the server refused the token: `certdesk ui` was started again
 * since). The shell shows that instead of the views, so an empty list never passes for an empty store.
 */
export const access = $state<{ problem: 'missing' | 'rejected' | null }>({ problem: null });
