import "server-only";
import type { BudgetStatus } from "@/lib/budgets/status";
import type { UsagePeriod } from "@/lib/usage/filters";
import { usageBreakdown, usageTotals, type UsageBreakdownRow, type UsageTotals } from "@/lib/usage/summary";

/** A member's own usage: the body of GET /api/usage/me and the data of the /usage page. */
export interface MemberUsage {
  from: string;
  to: string;
  timeZone: string;
  totals: UsageTotals;
  models: UsageBreakdownRow[];
  days: UsageBreakdownRow[];
  budgets: BudgetStatus[];
}

/**
 * Only the caller's rows: every query is pinned to `user.id`. `budgets` is passed in (the route and
 * the page give `await budgetStatusFor(user)`), so this module knows nothing of how budgets work.
 */
export async function usageForMember({
  user,
  period,
  budgets,
}: {
  user: { id: string };
  period: UsagePeriod;
  budgets: BudgetStatus[];
}): Promise<MemberUsage> {
  const filters = { period, userId: user.id };
  const [totals, models, days] = await Promise.all([
    usageTotals(filters),
    usageBreakdown(filters, "model"),
    usageBreakdown(filters, "day"),
  ]);
  return { from: period.from.toISOString(), to: period.to.toISOString(), timeZone: period.timeZone, totals, models, days, budgets };
}
