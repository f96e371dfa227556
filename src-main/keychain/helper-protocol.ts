/** One keychain call sent to the helper process. */
export interface HelperRequest {
  id: number;
  op: 'get' | 'set' | 'delete';
  account: string;
  secret?: string;
}

/** Its answer: the value, or a stable error code with a one-line message (never a secret). */
export type HelperReply = { id: number; ok: true; value: string | boolean | null } | { id: number; ok: false; code: string; message: string };

/**
 * A running helper as the client sees it: Node's child_process.fork in the CLI, Electron's
 * utilityProcess in the app. `kill` abandons whatever call is stuck inside it.
 */
export interface HelperChannel {
  send(message: HelperRequest): void;
  onMessage(listener: (message: HelperReply) => void): void;
  onExit(listener: () => void): void;
  kill(): void;
}
