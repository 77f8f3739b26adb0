import "server-only";
import { budgetStatusFor as budgetsBindingUser } from "@/lib/budgets/manage";

/** What is left of one budget that applies to a user (money as decimal strings, USD). */
export interface BudgetStatus {
  scope: "workspace" | "group" | "user";
  amountUsd: string;
  spentUsd: string;
  /** ISO 8601 instant the budget's period ends */
  resetsAt: string;
}

/** Every budget that binds the user, in the shape GET /api/usage/me and /usage show. */
export async function budgetStatusFor(user: { id: string }): Promise<BudgetStatus[]> {
  return (await budgetsBindingUser(user)).map(({ scope, amountUsd, spentUsd, resetsAt }) => ({ scope, amountUsd, spentUsd, resetsAt }));
}
