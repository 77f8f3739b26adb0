import { AppError } from "@/lib/errors";

/**
 * Graceful shutdown of one instance. On SIGTERM it stops taking new requests (they get a 503, and
 * readiness says so, so a load balancer moves on), lets the replies still streaming finish for up
 * to PILLBOX_SHUTDOWN_GRACE_MS, then aborts the upstream calls still open (each is then settled
 * as `aborted`, with what arrived kept) and exits 0.
 *
 * The state lives on globalThis: Next loads instrumentation, the proxy and the route handlers as
 * separate module graphs in one process, and they must all see the same instance state.
 */
interface ShutdownState {
  draining: boolean;
  abort: AbortController;
  /** replies still streaming: each settles once its usage row is settled and its stream closed */
  open: Set<Promise<unknown>>;
}

const KEY = Symbol.for("pillbox.shutdown");
const holder = globalThis as typeof globalThis & { [KEY]?: ShutdownState };
const state: ShutdownState = (holder[KEY] ??= { draining: false, abort: new AbortController(), open: new Set() });

/** Whether the instance is shutting down: new requests are refused. */
export const isDraining = (): boolean => state.draining;

/** Aborted when the grace period is over: open upstream calls listen to it. */
/** What a request gets once the instance is draining: a 503 that tells the client to come back at once, elsewhere. */
export const serverShuttingDown = (): AppError =>
  new AppError("unavailable:api", "This server is shutting down. Try again in a moment.", { headers: { "retry-after": "1" } });

export const shutdownSignal = (): AbortSignal => state.abort.signal;

/** Keeps the instance up (within the grace period) until `work` settles; returns `work`. */
export function holdOpen<T>(work: Promise<T>): Promise<T> {
  state.open.add(work);
  const release = () => void state.open.delete(work);
  work.then(release, release);
  return work;
}

/** How long the last bytes of the replies that just finished get to reach their clients before the exit. */
const FLUSH_MS = 1000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

interface Logger {
  info: (message: string, fields?: Record<string, unknown>) => void;
  warn: (message: string, fields?: Record<string, unknown>) => void;
}

/** Stops taking requests, waits for the open replies (aborting them after `graceMs`), then exits 0. */
export async function drainAndExit({ graceMs, log }: { graceMs: number; log: Logger }): Promise<void> {
  if (state.draining) return;
  state.draining = true;
  log.info("shutting down: open replies may finish", { open: state.open.size, graceMs });
  const allSettled = () => Promise.allSettled([...state.open]).then(() => true);
  const finished = await Promise.race([allSettled(), sleep(graceMs).then(() => false)]);
  if (!finished) {
    log.warn("shutdown grace period over: aborting the open replies", { open: state.open.size });
    state.abort.abort(new Error("the server is shutting down"));
    // Each aborted reply settles its usage row; a database that hangs cannot hold the exit forever.
    await Promise.race([allSettled(), sleep(10_000)]);
  }
  // A reply that just settled may still have its last bytes on the way to the client.
  await sleep(FLUSH_MS);
  log.info("shut down");
  process.exit(0);
}

/**
 * Replaces Next's own SIGTERM handling (which exits at once, cutting open streams) with the
 * graceful one. Called once per process from instrumentation's register().
 */
export function handleSigterm({ graceMs, log }: { graceMs: number; log: Logger }): void {
  process.removeAllListeners("SIGTERM");
  process.once("SIGTERM", () => void drainAndExit({ graceMs, log }));
}
