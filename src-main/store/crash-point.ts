/**
 * Fault injection seam for the crash tests (tests/integration/store-crash.test.ts). The store calls
 * crashPoint('create:renamed') etc. at each step where a power cut matters; production installs no
 * hook, so the calls do nothing and no environment variable can make a real run kill itself. The
 * test launcher (tests/helpers/crash-cli.cjs) installs a hook that SIGKILLs at the step it was given.
 */
export type CrashHook = (step: string) => void;

let hook: CrashHook | null = null;

/** Installs (or with null removes) the crash hook; called only by test launchers. */
export function setCrashHook(next: CrashHook | null): void {
  hook = next;
}

/** A named point where the crash tests may kill the process. */
export function crashPoint(step: string): void {
  hook?.(step);
}
