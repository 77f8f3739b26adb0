import "server-only";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/db/audit";

/**
 * A call the sweeper settled as interrupted may still be settled by its real outcome within this
 * window (a long reply still streaming); after it, a settled row never changes.
 */
export const RESETTLE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Rows at least this old (and settled) are final and may be rolled up. The hour beyond the
 * re-settle window covers a settle statement still in flight while the rollup runs.
 */
const ROLLUP_AGE_MS = RESETTLE_WINDOW_MS + 60 * 60 * 1000;

const ROLLUP_LOCK = 727004;
/** Rows a statement rolls up at most: a first run over a large ledger goes in steps. */
const BATCH = 50_000;

/** The calendar day of a ledger row in the time zone `$1`, as SQL over rows `r`. */
const DAY_OF_ROW = `(r."createdAt" AT TIME ZONE 'UTC' AT TIME ZONE $1)::date`;

/** Adds rows `r` (a CTE or table) to the daily sums and the time-to-first-token counts. */
const ADD_TO_ROLLUP = `
  daily AS (
    INSERT INTO "UsageDaily" ("day", "userId", "modelId", "status", "groupKey", "groupIds", "requests",
      "promptTokens", "completionTokens", "costUsd")
    SELECT ${DAY_OF_ROW}, r."userId", r."modelId", r."status", coalesce(array_to_string(r."groupIds", ','), ''),
           coalesce(r."groupIds", '{}'), count(*), sum(r."promptTokens"), sum(r."completionTokens"), sum(r."costUsd")
    FROM rows r GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ("day", "userId", "modelId", "status", "groupKey") DO UPDATE SET
      "requests" = "UsageDaily"."requests" + EXCLUDED."requests",
      "promptTokens" = "UsageDaily"."promptTokens" + EXCLUDED."promptTokens",
      "completionTokens" = "UsageDaily"."completionTokens" + EXCLUDED."completionTokens",
      "costUsd" = "UsageDaily"."costUsd" + EXCLUDED."costUsd"
    RETURNING 1
  ),
  ttft AS (
    INSERT INTO "UsageTtftDaily" ("day", "status", "ttftMs", "requests")
    SELECT ${DAY_OF_ROW}, r."status", r."ttftMs", count(*) FROM rows r WHERE r."ttftMs" IS NOT NULL GROUP BY 1, 2, 3
    ON CONFLICT ("day", "status", "ttftMs") DO UPDATE SET "requests" = "UsageTtftDaily"."requests" + EXCLUDED."requests"
    RETURNING 1
  )`;

/**
 * One statement: marks up to BATCH final rows as rolled up and adds them to the rollup, so a
 * reader (one snapshot) sees each row either in the rollup or among the ledger's unrolled rows.
 */
const ROLL_BATCH = `
  WITH rows AS (
    UPDATE "UsageRecord" u SET "rolledUp" = true
    WHERE u."id" IN (
      SELECT "id" FROM "UsageRecord"
      WHERE NOT "rolledUp" AND "status" <> 'pending'
        AND "createdAt" < now() AT TIME ZONE 'UTC' - make_interval(secs => ${ROLLUP_AGE_MS / 1000})
      LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
    RETURNING u.*
  ),${ADD_TO_ROLLUP}
  SELECT count(*)::int AS "rolled" FROM rows`;

/** One statement: the rows already rolled up, summed again into the days of a new time zone. */
const REBUCKET = `
  WITH rows AS (SELECT * FROM "UsageRecord" WHERE "rolledUp"),${ADD_TO_ROLLUP}
  SELECT count(*)::int AS "rolled" FROM rows`;

export interface RollupResult {
  /** false: another instance was rolling up at that moment */
  ran: boolean;
  /** the time zone changed: the rollup was summed again into the new zone's days */
  rebuilt: boolean;
  /** rows newly rolled up */
  rolled: number;
}

async function rollBatches(tx: Tx, timeZone: string): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await tx.$queryRawUnsafe<{ rolled: number }[]>(ROLL_BATCH, timeZone);
    total += row?.rolled ?? 0;
    if ((row?.rolled ?? 0) < BATCH) return total;
  }
}

/**
 * Adds the ledger rows that became final since the last run (settled, older than ROLLUP_AGE_MS, not
 * yet rolled up: whenever they were written) to the daily rollup. A new workspace time zone first
 * sums the rolled-up rows again into its days. Instances take turns through an advisory lock.
 */
export async function rollUpUsage({ timeZone }: { timeZone: string }): Promise<RollupResult> {
  return db.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${ROLLUP_LOCK}) AS locked`;
      if (!lock?.locked) return { ran: false, rebuilt: false, rolled: 0 };
      const state = await tx.usageRollup.findUnique({ where: { id: 1 } });
      const rebuilt = state !== null && state.timeZone !== timeZone;
      if (rebuilt) {
        await tx.$executeRaw`DELETE FROM "UsageDaily"`;
        await tx.$executeRaw`DELETE FROM "UsageTtftDaily"`;
        await tx.$queryRawUnsafe(REBUCKET, timeZone);
      }
      if (state === null || rebuilt) {
        await tx.usageRollup.upsert({ where: { id: 1 }, create: { id: 1, timeZone }, update: { timeZone } });
      }
      return { ran: true, rebuilt, rolled: await rollBatches(tx, timeZone) };
    },
    // A first run (or a new time zone) over a large ledger takes a while.
    { maxWait: 10_000, timeout: 30 * 60_000 },
  );
}
