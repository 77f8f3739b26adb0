import "server-only";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/db/audit";
import { Prisma, type Budget } from "@/lib/db/generated/client";

export const listBudgets = () => db.budget.findMany({ orderBy: [{ scope: "asc" }, { createdAt: "asc" }] });

export const getBudget = ({ id }: { id: string }, client: Tx = db) => client.budget.findUnique({ where: { id } });

/** The budgets that bind a user: the workspace's, their own, and their groups'. */
export const listBudgetsFor = ({ userId, groupIds }: { userId: string; groupIds: string[] }, client: Tx = db) =>
  client.budget.findMany({
    where: {
      OR: [
        { scope: "workspace" },
        { scope: "user", targetId: userId },
        ...(groupIds.length ? [{ scope: "group" as const, targetId: { in: groupIds } }] : []),
      ],
    },
    orderBy: { id: "asc" },
  });

/** One budget's current period, as the statements below take it. */
export interface BudgetPeriodRef {
  budgetId: string;
  start: Date;
  end: Date;
}

export const periodValues = (periods: BudgetPeriodRef[]) =>
  Prisma.sql`(VALUES ${Prisma.join(
    periods.map((p) => Prisma.sql`(${p.budgetId}::uuid, ${p.start}::timestamp, ${p.end}::timestamp)`),
  )}) AS p(budget_id, period_start, period_end)`;

/** Settled rows at their cost, pending ones at their reservation: what a budget has spent per the ledger. */
const LEDGER_SPEND = Prisma.sql`
  SELECT COALESCE(SUM(CASE WHEN u."status" = 'pending' THEN u."reservedUsd" ELSE u."costUsd" END), 0)
  FROM "UsageRecord" u
  WHERE u."createdAt" >= p.period_start AND u."createdAt" < p.period_end
    AND (b."scope" = 'workspace'
      OR (b."scope" = 'user' AND u."userId" = b."targetId")
      OR (b."scope" = 'group' AND b."targetId" = ANY(u."groupIds")))`;

/**
 * Makes sure each budget has a spend row for its current period, counted from the ledger the first
 * time (a new budget, a new period). Cheap once the rows exist: the ledger is not read then.
 */
export function ensurePeriodSpends(periods: BudgetPeriodRef[]) {
  return db.$executeRaw`
    INSERT INTO "BudgetSpend" ("budgetId", "periodStart", "spentUsd")
    SELECT p.budget_id, p.period_start, (${LEDGER_SPEND})
    FROM ${periodValues(periods)}
    JOIN "Budget" b ON b."id" = p.budget_id
    WHERE NOT EXISTS (
      SELECT 1 FROM "BudgetSpend" s WHERE s."budgetId" = p.budget_id AND s."periodStart" = p.period_start)
    ON CONFLICT DO NOTHING`;
}

export interface ReservationResult {
  usageId: string | null;
  createdAt: Date | null;
  /** what was held: the call's maximum cost, or what the tightest budget had left */
  held: Prisma.Decimal | null;
  /** each budget's spend before this call, locked while the statement ran */
  spends: { budgetId: string; spentUsd: Prisma.Decimal; amountUsd: Prisma.Decimal }[];
}

export interface PendingUsageRow {
  id: string;
  userId: string;
  groupIds: string[];
  chatId: string | null;
  /** the personal API key the call came through, if any */
  apiKeyId?: string | null;
  modelId: string;
  promptPrice: Prisma.Decimal;
  completionPrice: Prisma.Decimal;
}

/** A uuid[] literal: plain text binds the same way through the pg and PGlite drivers. */
export const uuidArray = (ids: string[]) => `{${ids.join(",")}}`;

const insertPending = (row: PendingUsageRow, held: Prisma.Sql) => Prisma.sql`
  INSERT INTO "UsageRecord" ("id", "userId", "groupIds", "chatId", "apiKeyId", "modelId", "promptTokens", "completionTokens",
    "promptPrice", "completionPrice", "reservedUsd", "costUsd", "durationMs", "status")
  SELECT ${row.id}::uuid, ${row.userId}::uuid, ${uuidArray(row.groupIds)}::uuid[], ${row.chatId}::uuid, ${row.apiKeyId ?? null}::uuid, ${row.modelId}, 0, 0,
    ${row.promptPrice.toString()}::numeric, ${row.completionPrice.toString()}::numeric, ${held}, 0, 0, 'pending'::"UsageStatus"`;

/**
 * One statement: locks every binding budget's spend row (in one order, so concurrent calls queue
 * instead of deadlocking), holds min(maxCost, what the tightest budget has left) against each and
 * writes the pending usage row — or, when a budget has nothing left, changes nothing. A call that
 * gets only part of its maximum (a budget's last room) is remembered on that budget's spend row, and
 * while it runs no other call is let in on part of its maximum there: a partly held call may cost
 * more than it held, and only one at a time may, so a budget is overspent by one call's cost at most. No
 * interactive transaction: a burst of calls never holds pool connections while waiting for locks.
 * `allOrNothing`: change nothing either when a period has no spend row yet (`spends` then lists
 * fewer rows than `periods`), so the caller can create the rows and try again.
 */
export async function reserveAgainstBudgets(
  row: PendingUsageRow,
  maxCost: Prisma.Decimal,
  periods: BudgetPeriodRef[],
  { allOrNothing = false }: { allOrNothing?: boolean } = {},
): Promise<ReservationResult> {
  const everyRow = allOrNothing ? Prisma.sql`AND count(*) = ${periods.length}::int` : Prisma.empty;
  const max = Prisma.sql`${maxCost.toString()}::numeric`;
  const [result] = await db.$queryRaw<
    { usage_id: string | null; created_at: Date | null; held: Prisma.Decimal | null; spends: { budgetId: string; spentUsd: string; amountUsd: string }[] }[]
  >`
    WITH p AS (SELECT * FROM ${periodValues(periods)}),
    locked AS (
      SELECT s."budgetId", s."periodStart", s."spentUsd", b."amountUsd", s."partialUsageId"
      FROM "BudgetSpend" s
      JOIN p ON s."budgetId" = p.budget_id AND s."periodStart" = p.period_start
      JOIN "Budget" b ON b."id" = s."budgetId"
      ORDER BY s."budgetId"
      FOR UPDATE OF s
    ),
    room AS (
      SELECT locked.*, locked."amountUsd" - locked."spentUsd" AS "left",
             EXISTS (SELECT 1 FROM "UsageRecord" u WHERE u."id" = locked."partialUsageId" AND u."status" = 'pending') AS "partialRunning"
      FROM locked
    ),
    hold AS (
      SELECT LEAST(${max}, MIN(room."left")) AS amount
      FROM room
      HAVING MIN(room."left") > 0 ${everyRow}
        -- Where only part of this call's maximum fits, no other partly held call may be running.
        AND NOT bool_or(room."left" < ${max} AND room."partialRunning")
    ),
    bumped AS (
      UPDATE "BudgetSpend" s SET "spentUsd" = s."spentUsd" + hold.amount,
        "partialUsageId" = CASE WHEN room."left" < ${max} THEN ${row.id}::uuid ELSE s."partialUsageId" END
      FROM hold, room
      WHERE s."budgetId" = room."budgetId" AND s."periodStart" = room."periodStart"
      RETURNING s."budgetId"
    ),
    inserted AS (${insertPending(row, Prisma.sql`(SELECT amount FROM hold)`)} FROM hold RETURNING "id", "createdAt")
    SELECT (SELECT "id" FROM inserted) AS usage_id,
           (SELECT "createdAt" FROM inserted) AS created_at,
           (SELECT amount FROM hold) AS held,
           (SELECT COALESCE(json_agg(json_build_object(
              'budgetId', locked."budgetId", 'spentUsd', locked."spentUsd"::text, 'amountUsd', locked."amountUsd"::text)), '[]')
            FROM locked) AS spends,
           (SELECT count(*) FROM bumped) AS bumped`;
  return {
    usageId: result?.usage_id ?? null,
    createdAt: result?.created_at ?? null,
    held: result?.held == null ? null : new Prisma.Decimal(result.held),
    spends: (result?.spends ?? []).map((s) => ({
      budgetId: s.budgetId,
      spentUsd: new Prisma.Decimal(s.spentUsd),
      amountUsd: new Prisma.Decimal(s.amountUsd),
    })),
  };
}

/** The pending row of a call no budget binds: one statement, nothing to lock. */
export async function insertPendingUsage(row: PendingUsageRow, held: Prisma.Decimal): Promise<{ createdAt: Date }> {
  const [inserted] = await db.$queryRaw<{ createdAt: Date }[]>`
    ${insertPending(row, Prisma.sql`${held.toString()}::numeric`)} RETURNING "createdAt"`;
  return inserted!;
}

/** Spend of a budget's current period without locking (for display). */
export async function readPeriodSpend(budget: Pick<Budget, "id">, period: { start: Date; end: Date }) {
  const [row] = await db.$queryRaw<{ spent: Prisma.Decimal | null }[]>`
    SELECT COALESCE(
      (SELECT "spentUsd" FROM "BudgetSpend" WHERE "budgetId" = ${budget.id}::uuid AND "periodStart" = ${period.start}),
      (SELECT (${LEDGER_SPEND}) FROM ${periodValues([{ budgetId: budget.id, ...period }])} JOIN "Budget" b ON b."id" = p.budget_id)
    ) AS spent`;
  return new Prisma.Decimal(row?.spent ?? 0);
}
