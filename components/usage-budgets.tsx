import type { BudgetStatus } from "@/lib/budgets/status";
import { formatUsd } from "@/lib/usage/format";

/** Cents, or the sub-cent digits a tiny budget needs. */
const dollars = (value: number) => (value !== 0 && Math.abs(value) < 0.01 ? formatUsd(value) : `$${value.toFixed(2)}`);

const scopeLabel = { workspace: "Workspace", group: "Group", user: "Personal" } as const;

/** What is left of each budget that applies to the member. */
export function UsageBudgets({ budgets, emptyText = "No budget applies to you." }: { budgets: BudgetStatus[]; emptyText?: string }) {
  return (
    <section className="rounded-xl border" data-testid="usage-budgets">
      <h2 className="border-b px-3 py-2 text-sm font-semibold">Budgets</h2>
      {budgets.length === 0 ? (
        <p className="p-4 text-sm text-muted-foreground">{emptyText}</p>
      ) : (
        <ul className="divide-y">
          {budgets.map((budget, i) => {
            const amount = Number(budget.amountUsd);
            const spent = Number(budget.spentUsd);
            const share = amount > 0 ? Math.min(1, spent / amount) : 1;
            return (
              <li key={`${budget.scope}-${i}`} className="flex flex-col gap-1.5 px-3 py-2.5 text-sm" data-testid="usage-budget">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <span className="font-medium">{scopeLabel[budget.scope]}</span>
                  <span className="tabular-nums">
                    {dollars(Math.max(0, amount - spent))} left of {dollars(amount)}
                  </span>
                </div>
                <div className="h-1.5 overflow-hidden rounded-full bg-muted">
                  <div className={share >= 1 ? "h-full bg-destructive" : "h-full bg-primary"} style={{ width: `${share * 100}%` }} />
                </div>
                <span className="text-xs text-muted-foreground">
                  Resets <time dateTime={budget.resetsAt}>{budget.resetsAt.replace("T", " ").slice(0, 16)} UTC</time>
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
