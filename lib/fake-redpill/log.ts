import type { FakeBehavior } from "./behaviors";

export interface ReceivedRequest {
  id: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lowercased names; `authorization` is kept exactly as received (in-process only, see `redactRequest`). */
  headers: Record<string, string>;
  /** Parsed JSON body, or null when absent or not valid JSON. */
  body: unknown;
  /** Epoch milliseconds. */
  receivedAt: number;
  /** Response status once headers were sent; null while pending, or if the socket was cut before any response. */
  status: number | null;
  /** Content delta chunks written to the stream (equals completion_tokens for a finished stream). */
  chunksSent: number;
  /** The response was fully sent. */
  completed: boolean;
  /** Epoch milliseconds when the response was fully sent; null until then. */
  finishedAt: number | null;
  /** The client disconnected before the response finished (e.g. the user pressed Stop). */
  clientClosed: boolean;
  /** Behaviour applied to a chat completion request (from the queue, a prompt directive, or the default). */
  behavior: FakeBehavior | null;
  /** `chatcmpl-…` id of the completion served, if any. */
  completionId: string | null;
}

interface Waiter {
  predicate: (r: ReceivedRequest) => boolean;
  resolve: (r: ReceivedRequest) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class RequestLog {
  /** Stable array reference: `clear()` empties it in place. */
  readonly entries: ReceivedRequest[] = [];
  private readonly waiters = new Set<Waiter>();

  add(entry: ReceivedRequest): void {
    this.entries.push(entry);
    this.changed();
  }

  clear(): void {
    this.entries.length = 0;
  }

  /** Call after mutating an entry so pending `waitFor` predicates are re-evaluated. */
  changed(): void {
    for (const waiter of this.waiters) {
      try {
        const hit = this.find(waiter.predicate);
        if (hit) this.settle(waiter, () => waiter.resolve(hit));
      } catch (error) {
        this.settle(waiter, () => waiter.reject(error instanceof Error ? error : new Error(String(error))));
      }
    }
  }

  waitFor(predicate: (r: ReceivedRequest) => boolean, timeoutMs = 5_000): Promise<ReceivedRequest> {
    const hit = this.find(predicate);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(
          () => this.settle(waiter, () => reject(new Error(`fake-redpill: no matching request within ${timeoutMs}ms`))),
          timeoutMs,
        ),
      };
      this.waiters.add(waiter);
    });
  }

  rejectAll(reason: string): void {
    for (const waiter of this.waiters) this.settle(waiter, () => waiter.reject(new Error(reason)));
  }

  private find(predicate: (r: ReceivedRequest) => boolean): ReceivedRequest | undefined {
    return this.entries.find(predicate);
  }

  private settle(waiter: Waiter, action: () => void): void {
    if (!this.waiters.delete(waiter)) return;
    clearTimeout(waiter.timer);
    action();
  }
}

/** Copy safe to send over HTTP: the bearer key never leaves the process. */
export function redactRequest(r: ReceivedRequest): ReceivedRequest {
  const headers = { ...r.headers };
  if (headers.authorization !== undefined) {
    headers.authorization = headers.authorization.replace(/^(\s*\S+\s+)?.*$/, (_m, scheme: string | undefined) => `${scheme ?? ""}[redacted]`);
  }
  return { ...r, headers };
}
