import "server-only";
import {
  ensurePeriodSpends,
  insertPendingUsage,
  listBudgetsFor,
  reserveAgainstBudgets,
  type PendingUsageRow,
} from "@/lib/db/budgets";
import { db } from "@/lib/db/client";
import { Prisma, type Budget } from "@/lib/db/generated/client";
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

/**
 * The current period of each budget that binds the holder, at `at`. `budgets`: those binding
 * budgets when the caller already read them (the chat route's pre-flight read), else read here.
 */
export async function bindingPeriods({ userId, groupIds }: Holder, timeZone: string, at: Date, budgets?: Budget[]) {
  budgets ??= await listBudgetsFor({ userId, groupIds });
  return budgets.map((budget) => ({ budget, budgetId: budget.id, ...periodBounds(budget.period, timeZone, at) }));
}

/** The budget's name as the member who runs into it reads it. */
async function nameFor(budget: Budget): Promise<string> {
  const group =
    budget.scope === "group" && budget.targetId
      ? await db.group.findUnique({ where: { id: budget.targetId }, select: { name: true } })
      : null;
  return describeBudget(budget, budgetOwner(budget.scope, group?.name ?? null, { toTarget: true }));
}

/**
 * Writes a call's pending usage row, holding `maxCost` (or what the tightest budget has left, if
 * less) against every budget that binds the caller. Each budget's spend row is locked while this
 * runs, so concurrent calls queue instead of overspending: together they exceed a budget by at most
 * the one call that got its last cent. A budget with nothing left refuses with 402, and nothing is
 * written.
 */
export async function reserveWithinBudgets(
  row: PendingUsageRow,
  { maxCost, timeZone, budgets }: { maxCost: Prisma.Decimal; timeZone: string; budgets?: Budget[] },
): Promise<{ createdAt: Date; warnings: BudgetWarning[] }> {
  const now = new Date();
  const periods = await bindingPeriods(row, timeZone, now, budgets);
  if (periods.length === 0) return { ...(await insertPendingUsage(row, maxCost)), warnings: [] };

  // Once a budget's period has its spend row (after its first call), one statement reserves. A
  // new budget or period first gets its row, counted from the ledger, and the reservation runs again.
  let result = await reserveAgainstBudgets(row, maxCost, periods, { allOrNothing: true });
  if (result.spends.length < periods.length) {
    await ensurePeriodSpends(periods);
    result = await reserveAgainstBudgets(row, maxCost, periods);
  }
  if (result.spends.length === 0) {
    // The budgets went away between reading and locking them: nothing binds any more.
    return { ...(await insertPendingUsage(row, maxCost)), warnings: [] };
  }
  const byId = new Map(periods.map((p) => [p.budgetId, p]));
  if (!result.usageId || !result.held || !result.createdAt) {
    const tightest = result.spends.reduce((a, b) => (b.amountUsd.sub(b.spentUsd).lt(a.amountUsd.sub(a.spentUsd)) ? b : a));
    const { budget, end } = byId.get(tightest.budgetId)!;
    throw new AppError("payment_required:budget", `You have reached ${await nameFor(budget)}. ${describeReset(end, timeZone)}`, {
      details: { resetsAt: end.toISOString(), budgetId: budget.id },
    });
  }
  const warnings: BudgetWarning[] = [];
  for (const spend of result.spends) {
    const { budget, end } = byId.get(spend.budgetId)!;
    const percent = spend.amountUsd.isZero() ? 100 : spend.spentUsd.add(result.held).div(spend.amountUsd).mul(100).toNumber();
    if (percent < budget.warnPercent) continue;
    const shown = Math.min(100, Math.round(percent));
    warnings.push({
      budgetId: budget.id,
      percent: shown,
      message: `You have used ${shown}% of ${await nameFor(budget)}. ${describeReset(end, timeZone)}`,
    });
  }
  return { createdAt: result.createdAt, warnings };
}
