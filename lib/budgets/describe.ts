import type { Budget } from "@/lib/db/generated/client";

const periodWord = { day: "daily", week: "weekly", month: "monthly" } as const;

/**
 * Whose budget it is, as a possessive: "the workspace's", "the Research group's", "your" (a user's
 * own budget shown to them) or "ada@example.com's" (shown to an admin).
 */
export function budgetOwner(scope: Budget["scope"], targetName: string | null, { toTarget }: { toTarget: boolean }): string {
  if (scope === "workspace") return "the workspace's";
  if (scope === "group") return `the ${targetName ?? "deleted"} group's`;
  return toTarget ? "your" : `${targetName ?? "a deleted user"}'s`;
}

/** Dollars and cents, or the first significant digits of an amount below a cent. */
export function formatUsdAmount(amount: { toString(): string }): string {
  const n = Number(amount.toString());
  return `$${n === 0 || n >= 0.01 ? n.toFixed(2) : String(Number(n.toPrecision(2)))}`;
}

/** "the Research group's monthly budget ($25.00)" — how a budget is named to people. */
export function describeBudget(budget: Pick<Budget, "period" | "amountUsd">, owner: string): string {
  return `${owner} ${periodWord[budget.period]} budget (${formatUsdAmount(budget.amountUsd)})`;
}

export function describeReset(resetsAt: Date, timeZone: string): string {
  const when = new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(resetsAt);
  return `It resets ${when}.`;
}
