import "server-only";
import { z } from "zod";
import { withAudit, type AuditActor } from "@/lib/audit/record";
import { budgetOwner, describeBudget } from "@/lib/budgets/describe";
import { periodBounds } from "@/lib/budgets/periods";
import type { Tx } from "@/lib/db/audit";
import { getBudget, listBudgets, listBudgetsFor, readPeriodSpend } from "@/lib/db/budgets";
import { db } from "@/lib/db/client";
import type { Budget } from "@/lib/db/generated/client";
import { listAccessRulesForUser } from "@/lib/db/groups";
import { AppError } from "@/lib/errors";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

const amountUsd = z
  .union([z.string().trim(), z.number().nonnegative()])
  .transform((value) => String(value))
  .refine((value) => /^\d{1,9}(\.\d{1,10})?$/.test(value), "Use a USD amount such as \"12.50\".");

const budgetFields = {
  scope: z.enum(["workspace", "group", "user"]),
  targetId: z.uuid().nullish(),
  amountUsd,
  period: z.enum(["day", "week", "month"]),
  warnPercent: z.number().int().min(1).max(100).optional(),
};

export const newBudgetInput = z.object(budgetFields);
export const budgetChangeInput = z
  .object(budgetFields)
  .partial()
  .refine((change) => Object.keys(change).length > 0, "Nothing to change.");

export type NewBudgetInput = z.infer<typeof newBudgetInput>;
export type BudgetChange = z.infer<typeof budgetChangeInput>;

/** A budget as the API answers it: money as decimal strings, with this period's spend. */
export interface PublicBudget {
  id: string;
  scope: Budget["scope"];
  targetId: string | null;
  targetName: string | null;
  amountUsd: string;
  period: Budget["period"];
  warnPercent: number;
  spentUsd: string;
  resetsAt: string;
  label: string;
}

async function targetNames(budgets: Budget[]): Promise<Map<string, string>> {
  const ids = budgets.flatMap((b) => (b.targetId ? [b.targetId] : []));
  if (!ids.length) return new Map();
  const [groups, users] = await Promise.all([
    db.group.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }),
    db.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } }),
  ]);
  return new Map([...groups.map((g) => [g.id, g.name] as const), ...users.map((u) => [u.id, u.email] as const)]);
}

async function present(budgets: Budget[], timeZone: string, viewerId?: string): Promise<PublicBudget[]> {
  const names = await targetNames(budgets);
  return Promise.all(
    budgets.map(async (budget) => {
      const period = periodBounds(budget.period, timeZone);
      const targetName = budget.targetId ? (names.get(budget.targetId) ?? null) : null;
      return {
        id: budget.id,
        scope: budget.scope,
        targetId: budget.targetId,
        targetName,
        amountUsd: budget.amountUsd.toFixed(2),
        period: budget.period,
        warnPercent: budget.warnPercent,
        spentUsd: (await readPeriodSpend(budget, period)).toFixed(6),
        resetsAt: period.end.toISOString(),
        label: describeBudget(budget, budgetOwner(budget.scope, targetName, { toTarget: budget.targetId === viewerId })),
      };
    }),
  );
}

export async function listPublicBudgets(): Promise<PublicBudget[]> {
  const [budgets, { timeZone }] = await Promise.all([listBudgets(), getWorkspaceSettings()]);
  return present(budgets, timeZone);
}

/** The budgets that bind a user, with what each has spent this period and when it resets. */
export async function budgetStatusFor(user: { id: string }): Promise<PublicBudget[]> {
  const [rules, { timeZone }] = await Promise.all([listAccessRulesForUser({ userId: user.id }), getWorkspaceSettings()]);
  const budgets = await listBudgetsFor({ userId: user.id, groupIds: rules.map((r) => r.id) });
  return present(budgets, timeZone, user.id);
}

async function assertTarget(tx: Tx, scope: Budget["scope"], targetId: string | null | undefined): Promise<string | null> {
  if (scope === "workspace") {
    if (targetId) throw new AppError("bad_request:budget", "A workspace budget has no targetId.");
    return null;
  }
  if (!targetId) throw new AppError("bad_request:budget", `A ${scope} budget needs the ${scope}'s id as targetId.`);
  const exists =
    scope === "group"
      ? await tx.group.findUnique({ where: { id: targetId }, select: { id: true } })
      : await tx.user.findFirst({ where: { id: targetId, deletedAt: null }, select: { id: true } });
  if (!exists) throw new AppError("bad_request:budget", `No ${scope} has the id ${targetId}.`);
  return targetId;
}

async function presentOne(budget: Budget): Promise<PublicBudget> {
  const { timeZone } = await getWorkspaceSettings();
  const [one] = await present([budget], timeZone);
  return one!;
}

export async function createBudget(actor: AuditActor, input: NewBudgetInput): Promise<PublicBudget> {
  const created = await withAudit(actor, async (tx, audit) => {
    const targetId = await assertTarget(tx, input.scope, input.targetId);
    const budget = await tx.budget.create({
      data: {
        scope: input.scope,
        targetId,
        amountUsd: input.amountUsd,
        period: input.period,
        ...(input.warnPercent ? { warnPercent: input.warnPercent } : {}),
      },
    });
    await audit({ action: "budget.create", targetType: "budget", targetId: budget.id, after: budget });
    return budget;
  });
  return presentOne(created);
}

export async function updateBudget(actor: AuditActor, id: string, change: BudgetChange): Promise<PublicBudget> {
  const updated = await withAudit(actor, async (tx, audit) => {
    const before = await getBudget({ id }, tx);
    if (!before) throw new AppError("not_found:budget", "Budget not found.");
    const scope = change.scope ?? before.scope;
    const targetId = await assertTarget(tx, scope, change.targetId === undefined ? before.targetId : change.targetId);
    const scopeChanged = scope !== before.scope || targetId !== before.targetId || (change.period ?? before.period) !== before.period;
    const after = await tx.budget.update({
      where: { id },
      data: {
        scope,
        targetId,
        ...(change.amountUsd !== undefined ? { amountUsd: change.amountUsd } : {}),
        ...(change.period ? { period: change.period } : {}),
        ...(change.warnPercent ? { warnPercent: change.warnPercent } : {}),
      },
    });
    // What it covers changed: its spend is recounted from the ledger on the next request.
    if (scopeChanged) await tx.budgetSpend.deleteMany({ where: { budgetId: id } });
    await audit({ action: "budget.update", targetType: "budget", targetId: id, before, after });
    return after;
  });
  return presentOne(updated);
}

export function deleteBudget(actor: AuditActor, id: string): Promise<void> {
  return withAudit(actor, async (tx, audit) => {
    const before = await getBudget({ id }, tx);
    if (!before) throw new AppError("not_found:budget", "Budget not found.");
    await tx.budget.delete({ where: { id } });
    await audit({ action: "budget.delete", targetType: "budget", targetId: id, before });
  });
}
