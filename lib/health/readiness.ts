import "server-only";
import { db } from "@/lib/db/client";
import { retryQueueStatus } from "@/lib/db/retry-queue";
import { schemaStatus } from "@/lib/db/schema-version";

/** A catalog not synced for this long is reported stale (it is synced at every start and by "Refresh models"). */
export const CATALOG_STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/** The build's version (package.json, baked in by next.config.ts). */
export const VERSION = process.env.PILLBOX_VERSION ?? "unknown";

export interface Readiness {
  /** The database answers and has exactly this build's migrations. The catalog is reported, not required. */
  ready: boolean;
  /** Why not, for people; null when ready. */
  reason: string | null;
  checks: {
    database: { ok: boolean };
    migrations: { ok: boolean; applied: number; pending: string[]; unknown: string[]; failed: string[] } | null;
    catalog: { models: number; syncedAt: string | null; ageSeconds: number | null; stale: boolean } | null;
    /** Writes that failed while the database was unreachable and wait to be retried (reported, not required). */
    retryQueue: { pending: number; capacity: number };
  };
}

/** Liveness: the process serves and the database answers one trivial query. */
export async function databaseAnswers(): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}

/** Readiness for a load balancer: the database, its migrations, and how fresh the model catalog is. */
export async function readiness(now: Date = new Date()): Promise<Readiness> {
  if (!(await databaseAnswers())) {
    return {
      ready: false,
      reason: "The database is not reachable.",
      checks: { database: { ok: false }, migrations: null, catalog: null, retryQueue: retryQueueStatus() },
    };
  }
  const status = await schemaStatus();
  const migrationsOk = status.pending.length === 0 && status.unknown.length === 0 && status.failed.length === 0;
  const migrations = {
    ok: migrationsOk,
    applied: status.known.length - status.pending.length,
    pending: status.pending,
    unknown: status.unknown,
    failed: status.failed,
  };
  const { _count, _max } = await db.model.aggregate({ _count: { _all: true }, _max: { syncedAt: true } });
  const syncedAt = _max.syncedAt;
  const ageMs = syncedAt ? Math.max(0, now.getTime() - syncedAt.getTime()) : null;
  const catalog = {
    models: _count._all,
    syncedAt: syncedAt?.toISOString() ?? null,
    ageSeconds: ageMs === null ? null : Math.round(ageMs / 1000),
    stale: ageMs === null || ageMs > CATALOG_STALE_AFTER_MS,
  };
  let reason: string | null = null;
  if (status.unknown.length > 0) reason = `The database is newer than this build (${status.unknown.join(", ")}).`;
  else if (status.failed.length > 0) reason = `Migration(s) failed: ${status.failed.join(", ")}.`;
  else if (status.pending.length > 0) reason = `The database is missing migration(s): ${status.pending.join(", ")}.`;
  return { ready: migrationsOk, reason, checks: { database: { ok: true }, migrations, catalog, retryQueue: retryQueueStatus() } };
}
