import { AppError } from "@/lib/errors";

/**
 * Whether an error means the database cannot be reached right now (down, restarting, the network
 * cut, the pool unable to connect in time), as opposed to a query that failed on its own. Such a
 * request gets a 503 (lib/http/handler.ts), a page says so (app/error.tsx), and a write made after
 * the response is retried later (lib/db/retry-queue.ts).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isUnavailableCause(e as Record<string, unknown>)) return true;
  }
  return false;
}

/** Prisma's codes for an unreachable, timed-out or closed database, and a pool that could not hand out a connection. */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
/** The driver adapter's kinds for the same (@prisma/driver-adapter-utils). */
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
/** Node's socket errors. */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
/** PostgreSQL's: connection exceptions (08…), a server shutting down or starting up (57P01–57P03). */
const SQLSTATE = /^(08\d{3}|57P0[123])$/;
/** node-postgres says these in plain errors, without a code. */
const PG_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed/i;

function isUnavailableCause(e: Record<string, unknown>): boolean {
  const code = typeof e.code === "string" ? e.code : undefined;
  if (code && (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || SQLSTATE.test(code))) return true;
  const adapter = (e.meta as { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } } | undefined)
    ?.driverAdapterError?.cause;
  if (typeof adapter?.kind === "string" && ADAPTER_KINDS.has(adapter.kind)) return true;
  if (typeof adapter?.originalCode === "string" && SQLSTATE.test(adapter.originalCode)) return true;
  return typeof e.message === "string" && PG_MESSAGES.test(e.message);
}

/** What a page's error boundary finds in `error.digest` when the database was unreachable (Next keeps a digest it is given). */
export const DATABASE_UNAVAILABLE_DIGEST = "PILLBOX_DATABASE_UNAVAILABLE";

const DATABASE_UNAVAILABLE_MESSAGE = "The database is not reachable right now. Please try again in a moment.";

/** The 503 a request gets while the database is unreachable. */
export function databaseUnavailable(cause?: unknown): AppError {
  return new AppError("unavailable:database", DATABASE_UNAVAILABLE_MESSAGE, { cause, headers: { "retry-after": "5" } });
}

/**
 * For server components: an unreachable database becomes an error whose digest the error page
 * recognises (its message never reaches the browser in production); anything else is rethrown as is.
 */
function markUnavailable(error: unknown): unknown {
  if (!isDatabaseUnavailable(error)) return error;
  return Object.assign(databaseUnavailable(error), { digest: DATABASE_UNAVAILABLE_DIGEST });
}

/** For a page's first query: `work`, with an unreachable database turned into the error the error page recognises. */
export function forPage<T>(work: Promise<T>): Promise<T> {
  return work.catch((error: unknown) => {
    throw markUnavailable(error);
  });
}
