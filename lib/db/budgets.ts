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
    orderBy: { id: "asc" }, // one lock order for every transaction: no deadlocks
  });

function usageMatches(budget: Pick<Budget, "scope" | "targetId">): Prisma.Sql {
  if (budget.scope === "user") return Prisma.sql`u."userId" = ${budget.targetId}::uuid`;
  if (budget.scope === "group") return Prisma.sql`${budget.targetId}::uuid = ANY(u."groupIds")`;
  return Prisma.sql`TRUE`;
}

/** What the ledger says a budget spent in [start, end): settled rows at cost, pending ones at their reservation. */
const ledgerSpend = (budget: Pick<Budget, "scope" | "targetId">, start: Date, end: Date) => Prisma.sql`
  SELECT COALESCE(SUM(CASE WHEN u."status" = 'pending' THEN u."reservedUsd" ELSE u."costUsd" END), 0)
  FROM "UsageRecord" u
  WHERE u."createdAt" >= ${start} AND u."createdAt" < ${end} AND ${usageMatches(budget)}`;

/**
 * Locks a budget's spend row for this period (creating it from the ledger the first time) and
 * returns what it has spent. Concurrent reservations against one budget queue on this lock.
 */
export async function lockPeriodSpend(
  tx: Tx,
  budget: Pick<Budget, "id" | "scope" | "targetId">,
  period: { start: Date; end: Date },
): Promise<Prisma.Decimal> {
  await tx.$executeRaw`
    INSERT INTO "BudgetSpend" ("budgetId", "periodStart", "spentUsd")
    SELECT ${budget.id}::uuid, ${period.start}, (${ledgerSpend(budget, period.start, period.end)})
    ON CONFLICT DO NOTHING`;
  const [row] = await tx.$queryRaw<{ spentUsd: Prisma.Decimal }[]>`
    SELECT "spentUsd" FROM "BudgetSpend"
    WHERE "budgetId" = ${budget.id}::uuid AND "periodStart" = ${period.start}
    FOR UPDATE`;
  return new Prisma.Decimal(row?.spentUsd ?? 0);
}

export const addPeriodSpend = (tx: Tx, { budgetId, periodStart, amount }: { budgetId: string; periodStart: Date; amount: Prisma.Decimal }) =>
  tx.$executeRaw`
    UPDATE "BudgetSpend" SET "spentUsd" = "spentUsd" + ${amount}
    WHERE "budgetId" = ${budgetId}::uuid AND "periodStart" = ${periodStart}`;

/** Spend of a budget's current period without locking (for display). */
export async function readPeriodSpend(budget: Pick<Budget, "id" | "scope" | "targetId">, period: { start: Date; end: Date }) {
  const [row] = await db.$queryRaw<{ spent: Prisma.Decimal | null }[]>`
    SELECT COALESCE(
      (SELECT "spentUsd" FROM "BudgetSpend" WHERE "budgetId" = ${budget.id}::uuid AND "periodStart" = ${period.start}),
      (${ledgerSpend(budget, period.start, period.end)})) AS spent`;
  return new Prisma.Decimal(row?.spent ?? 0);
}
