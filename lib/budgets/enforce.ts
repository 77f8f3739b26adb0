import "server-only";
import type { Tx } from "@/lib/db/audit";
import { addPeriodSpend, listBudgetsFor, lockPeriodSpend } from "@/lib/db/budgets";
import { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { budgetOwner, describeBudget, describeReset } from "@/lib/budgets/describe";
import { periodBounds } from "@/lib/budgets/periods";

export interface BudgetWarning {
  budgetId: string;
  message: string;
  percent: number;
}

interface Holder {
  userId: string;
  groupIds: string[];
}

/** The budget's name as the member who runs into it reads it. */
async function nameFor(tx: Tx, budget: { scope: "workspace" | "group" | "user"; targetId: string | null; period: "day" | "week" | "month"; amountUsd: Prisma.Decimal }) {
  const group =
    budget.scope === "group" && budget.targetId
      ? await tx.group.findUnique({ where: { id: budget.targetId }, select: { name: true } })
      : null;
  return describeBudget(budget, budgetOwner(budget.scope, group?.name ?? null, { toTarget: true }));
}

/**
 * Holds `maxCost` (or what the tightest budget has left, if less) against every budget that binds
 * the caller, inside the transaction that writes the call's pending usage row. Each budget's spend
 * row is locked while this runs, so concurrent calls queue instead of overspending: together they
 * can exceed a budget by at most the one call that got its last cent. A budget with nothing left
 * refuses with 402 before anything goes upstream.
 */
export async function reserveWithinBudgets(
  tx: Tx,
  { userId, groupIds, maxCost, timeZone, now = new Date() }: Holder & { maxCost: Prisma.Decimal; timeZone: string; now?: Date },
): Promise<{ reserve: Prisma.Decimal; warnings: BudgetWarning[] }> {
  const budgets = await listBudgetsFor({ userId, groupIds }, tx);
  if (budgets.length === 0) return { reserve: maxCost, warnings: [] };

  const held = [];
  for (const budget of budgets) {
    const period = periodBounds(budget.period, timeZone, now);
    const spent = await lockPeriodSpend(tx, budget, period);
    held.push({ budget, period, spent, left: new Prisma.Decimal(budget.amountUsd).sub(spent) });
  }
  const tightest = held.reduce((a, b) => (b.left.lt(a.left) ? b : a));
  if (tightest.left.lte(0)) {
    const { budget, period } = tightest;
    const name = await nameFor(tx, budget);
    throw new AppError(
      "payment_required:budget",
      `You have reached ${name}. ${describeReset(period.end, timeZone)}`,
      { details: { resetsAt: period.end.toISOString(), budgetId: budget.id } },
    );
  }
  const reserve = Prisma.Decimal.min(maxCost, tightest.left);
  const warnings: BudgetWarning[] = [];
  for (const { budget, period, spent } of held) {
    await addPeriodSpend(tx, { budgetId: budget.id, periodStart: period.start, amount: reserve });
    const amount = new Prisma.Decimal(budget.amountUsd);
    const percent = amount.isZero() ? 100 : spent.add(reserve).div(amount).mul(100).toNumber();
    if (percent >= budget.warnPercent) {
      const name = await nameFor(tx, budget);
      warnings.push({
        budgetId: budget.id,
        percent: Math.min(100, Math.round(percent)),
        message: `You have used ${Math.min(100, Math.round(percent))}% of ${name}. ${describeReset(period.end, timeZone)}`,
      });
    }
  }
  return { reserve, warnings };
}

/** Moves every binding budget's spend from a call's reservation to its real cost. */
export async function settleBudgets(
  tx: Tx,
  { userId, groupIds, createdAt, delta, timeZone }: Holder & { createdAt: Date; delta: Prisma.Decimal; timeZone: string },
): Promise<void> {
  if (delta.isZero()) return;
  for (const budget of await listBudgetsFor({ userId, groupIds }, tx)) {
    const { start } = periodBounds(budget.period, timeZone, createdAt);
    await addPeriodSpend(tx, { budgetId: budget.id, periodStart: start, amount: delta });
  }
}
