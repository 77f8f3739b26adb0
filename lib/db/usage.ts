import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { BudgetPeriod, UsageStatus } from "@/lib/db/generated/enums";
import { RESETTLE_WINDOW_MS } from "@/lib/db/usage-rollup";

/** The error code the sweeper gives a row it settles; a late real outcome may still overwrite it. */
export const SWEPT_CODE = "interrupted_unsettled";

export interface SettledValues {
  messageId: string | null;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number | null;
  reasoningTokens: number | null;
  usageEstimated: boolean;
  costUsd: Prisma.Decimal;
  ttftMs: number | null;
  durationMs: number;
  status: Exclude<UsageStatus, "pending">;
  errorCode: string | null;
  upstreamId: string | null;
}

/**
 * One statement: settles a reserved row with the call's outcome and moves each budget's hold from
 * the reservation to the real cost. Only a pending row (or one the sweeper settled while the call
 * was in fact still running, within the re-settle window) is changed, so a row is settled by its
 * call once, and a row the daily rollup holds never changes. The budgets are the ones that bind the
 * row's user and groups now (as `listBudgetsFor` reads them), each in its period holding the
 * call's start: `calendar` gives where the day, week and month holding it start.
 */
export async function settleUsageRow(
  id: string,
  v: SettledValues,
  calendar: { period: BudgetPeriod; start: Date }[],
): Promise<boolean> {
  const starts = Prisma.join(calendar.map((c) => Prisma.sql`(${c.period}::"BudgetPeriod", ${c.start}::timestamp)`));
  const [result] = await db.$queryRaw<{ settled: bigint }[]>`
    WITH held AS (
      SELECT "id", CASE WHEN "status" = 'pending' THEN "reservedUsd" ELSE "costUsd" END AS amount
      FROM "UsageRecord"
      WHERE "id" = ${id}::uuid AND ("status" = 'pending' OR ("status" = 'interrupted' AND "errorCode" = ${SWEPT_CODE}
        AND "createdAt" > now() AT TIME ZONE 'UTC' - make_interval(secs => ${RESETTLE_WINDOW_MS / 1000})))
      FOR UPDATE
    ),
    settled AS (
      UPDATE "UsageRecord" u SET
        "messageId" = ${v.messageId}, "promptTokens" = ${v.promptTokens}, "completionTokens" = ${v.completionTokens},
        "cachedTokens" = ${v.cachedTokens}::int, "reasoningTokens" = ${v.reasoningTokens}::int,
        "usageEstimated" = ${v.usageEstimated}, "costUsd" = ${v.costUsd.toString()}::numeric,
        "ttftMs" = ${v.ttftMs}::int, "durationMs" = ${v.durationMs}, "status" = ${v.status}::"UsageStatus",
        "errorCode" = ${v.errorCode}, "upstreamId" = ${v.upstreamId}, "settledAt" = now()
      FROM held
      WHERE u."id" = held."id"
      RETURNING u."id", u."userId", u."groupIds", u."costUsd" - held.amount AS delta
    ),
    adjusted AS (
      UPDATE "BudgetSpend" s SET "spentUsd" = s."spentUsd" + settled.delta
      FROM settled, "Budget" b, (VALUES ${starts}) AS p(period, period_start)
      WHERE settled.delta <> 0 AND s."budgetId" = b."id" AND b."period" = p.period AND s."periodStart" = p.period_start
        AND (b."scope" = 'workspace'
          OR (b."scope" = 'user' AND b."targetId" = settled."userId")
          OR (b."scope" = 'group' AND b."targetId" = ANY(settled."groupIds")))
      RETURNING 1
    )
    SELECT count(*) AS settled FROM settled`;
  return Number(result?.settled ?? 0) > 0;
}

/**
 * Rows still pending after `before` belong to calls that can no longer settle them (a crash, a
 * restart): they become `interrupted` at their reserved cost (which budgets already count).
 */
export const sweepPendingUsage = ({ before }: { before: Date }) =>
  db.$executeRaw`
    UPDATE "UsageRecord"
    SET "status" = 'interrupted', "costUsd" = "reservedUsd", "errorCode" = ${SWEPT_CODE}, "settledAt" = now(),
        "durationMs" = GREATEST("durationMs", (EXTRACT(EPOCH FROM (now() - "createdAt")) * 1000)::int)
    WHERE "status" = 'pending' AND "createdAt" < ${before}`;

export const listRecentUsage = ({ limit = 100 }: { limit?: number } = {}) =>
  db.usageRecord.findMany({
    orderBy: { createdAt: "desc" },
    take: limit,
    include: { user: { select: { email: true, name: true } } },
  });
