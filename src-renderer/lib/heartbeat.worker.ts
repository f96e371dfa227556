/**
 * Browser mode's heartbeat, in a worker: `certdesk ui` stops when the page stops calling, and
 * Chromium throttles a hidden tab's own timers to one wake-up a minute after a few minutes, which
 * would outlast the server's patience. A dedicated worker's timers keep their pace.
 */
interface Start {
  token: string;
  path: string;
  intervalMs: number;
}

// The renderer's tsconfig has the DOM library, not WebWorker: name just the worker API used here.
const scope = self as unknown as { postMessage(message: { alive: boolean }): void; onmessage: ((e: MessageEvent<Start>) => void) | null };
let timer: ReturnType<typeof setInterval> | undefined;

scope.onmessage = (e: MessageEvent<Start>) => {
  const { token, path, intervalMs } = e.data;
  const ping = (): void => {
    fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ method: 'app.ping' }),
      cache: 'no-store',
      credentials: 'omit',
    }).then(
      (res) => scope.postMessage({ alive: res.ok }),
      () => scope.postMessage({ alive: false }),
    );
  };
  if (timer !== undefined) clearInterval(timer);
  timer = setInterval(ping, intervalMs);
};
