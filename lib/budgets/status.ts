import "server-only";

/** What is left of one budget that applies to a user (money as decimal strings, USD). */
export interface BudgetStatus {
  scope: "workspace" | "group" | "user";
  amountUsd: string;
  spentUsd: string;
  /** ISO 8601 instant the budget's period ends */
  resetsAt: string;
}

/**
 * Every budget that applies to the user, with its spend so far. A placeholder until budgets exist:
 * the budgets work replaces this body; /usage and GET /api/usage/me already show whatever it returns.
 */
export async function budgetStatusFor(user: { id: string }): Promise<BudgetStatus[]> {
  void user;
  return [];
}
