"use client";

import { Trash2Icon } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { createBudgetAction, deleteBudgetAction, updateBudgetAction, type BudgetActionResult } from "@/app/admin/budgets/actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { PublicBudget } from "@/lib/budgets/manage";

type Scope = PublicBudget["scope"];
interface Target {
  id: string;
  name: string;
}

const selectClass = "h-9 rounded-md border border-input bg-background px-2 text-sm";

function report(result: BudgetActionResult) {
  (result.ok ? toast.success : toast.error)(result.message);
}

const usd = (value: string) => `$${Number(value).toFixed(2)}`;

function SpendBar({ spent, amount }: { spent: string; amount: string }) {
  const percent = Math.min(100, (Number(spent) / Math.max(Number(amount), 1e-12)) * 100);
  return (
    <div className="flex min-w-32 items-center gap-2">
      <div className="h-1.5 flex-1 overflow-hidden rounded-full bg-muted">
        <div
          className={percent >= 100 ? "h-full bg-destructive" : percent >= 80 ? "h-full bg-amber-500" : "h-full bg-primary"}
          style={{ width: `${percent}%` }}
        />
      </div>
      <span className="text-xs tabular-nums text-muted-foreground">{Math.round(percent)}%</span>
    </div>
  );
}

/**
 * Lists budgets and adds new ones. On a group's or user's page pass `fixed` to show and create
 * only that target's budgets.
 */
export function BudgetEditor({
  budgets,
  targets,
  fixed,
}: {
  budgets: PublicBudget[];
  targets: { group: Target[]; user: Target[] };
  fixed?: { scope: Exclude<Scope, "workspace">; targetId: string };
}) {
  const [pending, start] = useTransition();
  const [scope, setScope] = useState<Scope>(fixed?.scope ?? "workspace");
  const shown = fixed ? budgets.filter((b) => b.scope === fixed.scope && b.targetId === fixed.targetId) : budgets;

  function add(form: FormData) {
    const targetId = fixed?.targetId ?? (scope === "workspace" ? undefined : String(form.get("targetId") ?? ""));
    start(async () =>
      report(
        await createBudgetAction({
          scope: fixed?.scope ?? scope,
          targetId,
          amountUsd: String(form.get("amountUsd") ?? ""),
          period: form.get("period"),
          warnPercent: Number(form.get("warnPercent") ?? 80),
        }),
      ),
    );
  }

  return (
    <div className="flex flex-col gap-4">
      <form action={add} className="grid gap-3 rounded-lg border p-4 sm:grid-cols-[repeat(5,minmax(0,1fr))_auto] sm:items-end" data-testid="budget-form">
        {!fixed && (
          <div className="grid gap-1.5">
            <Label htmlFor="budget-scope">Applies to</Label>
            <select id="budget-scope" className={selectClass} value={scope} onChange={(e) => setScope(e.target.value as Scope)}>
              <option value="workspace">Everyone (workspace)</option>
              <option value="group">A group</option>
              <option value="user">One person</option>
            </select>
          </div>
        )}
        {!fixed && scope !== "workspace" && (
          <div className="grid gap-1.5">
            <Label htmlFor="budget-target">{scope === "group" ? "Group" : "Person"}</Label>
            <select id="budget-target" name="targetId" className={selectClass} required>
              {targets[scope].map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="grid gap-1.5">
          <Label htmlFor="budget-amount">Limit (USD)</Label>
          <Input id="budget-amount" name="amountUsd" inputMode="decimal" placeholder="25.00" required pattern="\d+(\.\d+)?" />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="budget-period">Per</Label>
          <select id="budget-period" name="period" defaultValue="month" className={selectClass}>
            <option value="day">Day</option>
            <option value="week">Week (from Monday)</option>
            <option value="month">Month</option>
          </select>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="budget-warn">Warn at (%)</Label>
          <Input id="budget-warn" name="warnPercent" type="number" min={1} max={100} defaultValue={80} />
        </div>
        <Button type="submit" disabled={pending}>
          Add budget
        </Button>
      </form>
      {shown.length === 0 ? (
        <p className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">
          No budgets yet{fixed ? " for this " + fixed.scope : ""}. Without one, spending is limited only by your RedPill credit.
        </p>
      ) : (
        <Table data-testid="budgets-table">
          <TableHeader>
            <TableRow>
              <TableHead>Budget</TableHead>
              <TableHead>Limit</TableHead>
              <TableHead>Spent this period</TableHead>
              <TableHead>Resets</TableHead>
              <TableHead className="text-right">Actions</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {shown.map((budget) => (
              <BudgetRow key={budget.id} budget={budget} />
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}

function BudgetRow({ budget }: { budget: PublicBudget }) {
  const [pending, start] = useTransition();
  const [amount, setAmount] = useState(budget.amountUsd);
  const changed = amount !== budget.amountUsd;
  return (
    <TableRow data-testid="budget-row">
      <TableCell>
        <div className="flex items-center gap-2">
          <Badge variant="outline">{budget.scope}</Badge>
          <span className="first-letter:uppercase">{budget.label}</span>
        </div>
      </TableCell>
      <TableCell>
        <div className="flex items-center gap-2">
          <Input
            aria-label={`Limit for ${budget.label}`}
            className="h-8 w-24"
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
          />
          {changed && (
            <Button
              size="sm"
              variant="outline"
              disabled={pending}
              onClick={() => start(async () => report(await updateBudgetAction({ id: budget.id, change: { amountUsd: amount } })))}
            >
              Save
            </Button>
          )}
        </div>
      </TableCell>
      <TableCell>
        <div className="flex flex-col gap-1">
          <span className="text-sm tabular-nums">{usd(budget.spentUsd)}</span>
          <SpendBar spent={budget.spentUsd} amount={budget.amountUsd} />
        </div>
      </TableCell>
      <TableCell className="text-sm text-muted-foreground">
        <time dateTime={budget.resetsAt}>{new Date(budget.resetsAt).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" })}</time>
      </TableCell>
      <TableCell className="text-right">
        <Button
          variant="ghost"
          size="icon"
          aria-label={`Remove ${budget.label}`}
          disabled={pending}
          onClick={() => start(async () => report(await deleteBudgetAction({ id: budget.id })))}
        >
          <Trash2Icon />
        </Button>
      </TableCell>
    </TableRow>
  );
}
