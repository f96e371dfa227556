/** A debounced function with a way to drop a pending call (when the view goes away). */
export interface Debounced<A extends unknown[]> {
  (...args: A): void;
  cancel(): void;
}

/** Runs `fn` once the calls have paused for `ms` milliseconds, with the last arguments. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const d = (...args: A): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn(...args);
    }, ms);
  };
  d.cancel = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return d;
}

/**
 * Wraps an async call so only the latest one's outcome is delivered: answers that arrive after a
 * newer call was made are dropped, so a slow check never overwrites the result for newer input.
 */
export function latestOnly<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<{ stale: true } | { stale: false; value: R }> {
  let seq = 0;
  return async (...args: A) => {
    const mine = ++seq;
    try {
      const value = await fn(...args);
      return mine === seq ? { stale: false, value } : { stale: true };
    } catch (e) {
      // A stale failure is as irrelevant as a stale success.
      if (mine !== seq) return { stale: true };
      throw e;
    }
  };
}
