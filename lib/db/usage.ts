import "server-only";
import { periodValues, type BudgetPeriodRef } from "@/lib/db/budgets";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { RESETTLE_WINDOW_MS } from "@/lib/db/usage-rollup";
import type { UsageStatus } from "@/lib/db/generated/enums";

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
 * call once, and a row the daily rollup holds never changes.
 */
export async function settleUsageRow(id: string, v: SettledValues, periods: BudgetPeriodRef[]): Promise<boolean> {
  const adjust = periods.length
    ? Prisma.sql`, adjusted AS (
        UPDATE "BudgetSpend" s SET "spentUsd" = s."spentUsd" + settled.delta
        FROM settled, ${periodValues(periods)}
        WHERE s."budgetId" = p.budget_id AND s."periodStart" = p.period_start AND settled.delta <> 0
        RETURNING 1)`
    : Prisma.empty;
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
      RETURNING u."id", u."costUsd" - held.amount AS delta
    )${adjust}
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
