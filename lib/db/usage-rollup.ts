import "server-only";
import { db } from "@/lib/db/client";

/**
 * A call the sweeper settled as interrupted may still be settled by its real outcome within this
 * window (a long reply still streaming); after it, a settled row never changes.
 */
export const RESETTLE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The rollup covers rows at least this old (and older than any pending row): final ones. The hour
 * beyond the re-settle window covers a settle statement still in flight while the rollup reads.
 */
export const ROLLUP_LAG_MS = RESETTLE_WINDOW_MS + 60 * 60 * 1000;

const ROLLUP_LOCK = 727004;

/** The calendar day of a ledger row in a time zone, as SQL over `"UsageRecord" r`. */
const DAY_OF_ROW = `(r."createdAt" AT TIME ZONE 'UTC' AT TIME ZONE $1)::date`;

const utcText = (instant: Date) => instant.toISOString().replace("Z", "");

export interface RollupResult {
  /** false: another instance was rolling up at that moment */
  ran: boolean;
  rebuilt: boolean;
  rolledUntil: Date | null;
}

/**
 * Adds the ledger rows that became final since the last run to the daily rollup (UsageDaily,
 * UsageTtftDaily), in one transaction with the new high-water mark, so a reader sees the rollup and
 * its mark move together. A different time zone than the rollup's rebuilds it from the start.
 */
export async function rollUpUsage({ timeZone }: { timeZone: string }): Promise<RollupResult> {
  return db.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${ROLLUP_LOCK}) AS locked`;
      if (!lock?.locked) return { ran: false, rebuilt: false, rolledUntil: null };
      const state = await tx.usageRollup.findUnique({ where: { id: 1 } });
      const rebuilt = state !== null && state.timeZone !== timeZone;
      if (rebuilt) {
        await tx.$executeRaw`DELETE FROM "UsageDaily"`;
        await tx.$executeRaw`DELETE FROM "UsageTtftDaily"`;
      }
      const from = state && !rebuilt ? state.rolledUntil : new Date(0);
      // Timestamps here are UTC wall-clock text, as `createdAt` stores them (see lib/usage/sql.ts).
      const [row] = await tx.$queryRaw<{ until: string }[]>`
        SELECT to_char(LEAST(
          now() AT TIME ZONE 'UTC' - make_interval(secs => ${ROLLUP_LAG_MS / 1000}),
          (SELECT min("createdAt") FROM "UsageRecord" WHERE "status" = 'pending')
        ), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "until"`;
      const until = new Date(row!.until);
      if (until > from) {
        await tx.$executeRawUnsafe(
          `INSERT INTO "UsageDaily" ("day", "userId", "modelId", "status", "groupKey", "groupIds", "requests",
             "promptTokens", "completionTokens", "costUsd")
           SELECT ${DAY_OF_ROW}, r."userId", r."modelId", r."status", coalesce(array_to_string(r."groupIds", ','), ''),
                  coalesce(r."groupIds", '{}'), count(*), sum(r."promptTokens"), sum(r."completionTokens"), sum(r."costUsd")
           FROM "UsageRecord" r WHERE r."createdAt" >= $2::timestamp AND r."createdAt" < $3::timestamp
           GROUP BY 1, 2, 3, 4, 5, 6
           ON CONFLICT ("day", "userId", "modelId", "status", "groupKey") DO UPDATE SET
             "requests" = "UsageDaily"."requests" + EXCLUDED."requests",
             "promptTokens" = "UsageDaily"."promptTokens" + EXCLUDED."promptTokens",
             "completionTokens" = "UsageDaily"."completionTokens" + EXCLUDED."completionTokens",
             "costUsd" = "UsageDaily"."costUsd" + EXCLUDED."costUsd"`,
          timeZone,
          utcText(from),
          utcText(until),
        );
        await tx.$executeRawUnsafe(
          `INSERT INTO "UsageTtftDaily" ("day", "status", "ttftMs", "requests")
           SELECT ${DAY_OF_ROW}, r."status", r."ttftMs", count(*)
           FROM "UsageRecord" r WHERE r."createdAt" >= $2::timestamp AND r."createdAt" < $3::timestamp AND r."ttftMs" IS NOT NULL
           GROUP BY 1, 2, 3
           ON CONFLICT ("day", "status", "ttftMs") DO UPDATE SET "requests" = "UsageTtftDaily"."requests" + EXCLUDED."requests"`,
          timeZone,
          utcText(from),
          utcText(until),
        );
      }
      const rolledUntil = until > from ? until : from;
      await tx.usageRollup.upsert({
        where: { id: 1 },
        create: { id: 1, timeZone, rolledUntil },
        update: { timeZone, rolledUntil },
      });
      return { ran: true, rebuilt, rolledUntil };
    },
    // A first roll (or a rebuild after a time zone change) reads the whole ledger once.
    { maxWait: 10_000, timeout: 30 * 60_000 },
  );
}
