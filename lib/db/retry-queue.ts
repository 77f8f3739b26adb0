import "server-only";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { holdOpen, shutdownSignal } from "@/lib/server/shutdown";
import { isDatabaseUnavailable } from "./unavailable";

/**
 * Writes that must not be lost to a short database outage (a reply's usage settle and its saved
 * messages) are retried from a bounded in-memory queue, with backoff, until the database answers.
 * Only when the queue is full (PILLBOX_RETRY_QUEUE_SIZE) is a write dropped, and then it is logged
 * as lost with everything it would have stored, so an operator can put it back by hand. A row that
 * stays pending meanwhile is still settled by the usage sweeper at its reserved cost.
 *
 * The queue lives in one process (on globalThis: Next bundles this module more than once); a
 * graceful shutdown waits for it within its grace period, and what is still queued when that ends
 * (or at any other exit) is logged as lost.
 */
export interface RetriableWrite {
  /** What it is, for the log, e.g. "reply". */
  what: string;
  /** Everything the write stores, logged when it is lost (never a secret). */
  contents: Record<string, unknown>;
  /** Runs the write; run again after a failure it must carry on where it stopped. */
  run: () => Promise<void>;
}

export type WriteOutcome = "written" | "queued" | "lost";

interface Entry {
  write: RetriableWrite;
  attempts: number;
}

interface QueueState {
  entries: Set<Entry>;
  exitHooked: boolean;
}

const KEY = Symbol.for("pillbox.retryQueue");
const holder = globalThis as typeof globalThis & { [KEY]?: QueueState };
const state: QueueState = (holder[KEY] ??= { entries: new Set(), exitHooked: false });

const FIRST_DELAY_MS = 250;
/** Waits `ms`, or less when a shutdown's grace period ends meanwhile. */
const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms).unref();
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });

function logLost(entry: Entry, why: string, err?: unknown): void {
  const { what, contents } = entry.write;
  log.error("database write lost", { what, why, attempts: entry.attempts, contents, ...(err === undefined ? {} : { err }) });
}

function hookExit(): void {
  if (state.exitHooked) return;
  state.exitHooked = true;
  // pino writes synchronously here, so these lines still reach the log as the process ends.
  process.on("exit", () => {
    for (const entry of state.entries) logLost(entry, "the process exited before the database came back");
    state.entries.clear();
  });
}

async function retry(entry: Entry): Promise<void> {
  let delay = FIRST_DELAY_MS;
  const shutdown = shutdownSignal();
  try {
    for (;;) {
      await pause(delay, shutdown);
      if (shutdown.aborted) return logLost(entry, "the instance shut down before the database came back");
      entry.attempts++;
      try {
        await entry.write.run();
        log.info("queued database write saved", { what: entry.write.what, attempts: entry.attempts });
        return;
      } catch (error) {
        if (!isDatabaseUnavailable(error)) return logLost(entry, "the write failed", error);
        delay = Math.min(delay * 2, env.PILLBOX_RETRY_MAX_DELAY_MS);
      }
    }
  } finally {
    state.entries.delete(entry);
  }
}

/**
 * Runs the write now; when the database is unreachable, queues it for retry ("queued"), or logs it
 * as lost when the queue is full ("lost"). Any other failure is thrown, as the write itself threw it.
 * `retried` settles once a queued write is saved or given up (at once for the other outcomes).
 */
export async function writeOrRetry(write: RetriableWrite): Promise<{ outcome: WriteOutcome; retried: Promise<void> }> {
  try {
    await write.run();
    return { outcome: "written", retried: Promise.resolve() };
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    const entry: Entry = { write, attempts: 1 };
    if (state.entries.size >= env.PILLBOX_RETRY_QUEUE_SIZE) {
      logLost(entry, `the retry queue is full (${env.PILLBOX_RETRY_QUEUE_SIZE})`, error);
      return { outcome: "lost", retried: Promise.resolve() };
    }
    hookExit();
    state.entries.add(entry);
    log.warn("database unreachable: write queued for retry", { what: write.what, queued: state.entries.size, err: error });
    // A shutdown waits for the queue (within its grace period) like for an open reply.
    return { outcome: "queued", retried: holdOpen(retry(entry)) };
  }
}

/** How many writes wait for the database, and how many may (for readiness). */
export function retryQueueStatus(): { pending: number; capacity: number } {
  return { pending: state.entries.size, capacity: env.PILLBOX_RETRY_QUEUE_SIZE };
}
