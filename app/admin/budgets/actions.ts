"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { auditActor } from "@/lib/audit/record";
import { requireAdminAction } from "@/lib/auth/session";
import { budgetChangeInput, createBudget, deleteBudget, newBudgetInput, updateBudget } from "@/lib/budgets/manage";
import { isAppError } from "@/lib/errors";

export interface BudgetActionResult {
  ok: boolean;
  message: string;
}

async function attempt(work: () => Promise<string>): Promise<BudgetActionResult> {
  try {
    const message = await work();
    revalidatePath("/admin", "layout");
    return { ok: true, message };
  } catch (error) {
    if (isAppError(error)) return { ok: false, message: error.message };
    if (error instanceof z.ZodError) return { ok: false, message: error.issues[0]?.message ?? "Check the form." };
    throw error;
  }
}

const idInput = z.object({ id: z.uuid() });

export async function createBudgetAction(input: unknown): Promise<BudgetActionResult> {
  return attempt(async () => {
    const admin = await requireAdminAction();
    const budget = await createBudget(auditActor(admin, await headers()), newBudgetInput.parse(input));
    return `Budget added: ${budget.label}.`;
  });
}

export async function updateBudgetAction(input: { id: string; change: unknown }): Promise<BudgetActionResult> {
  return attempt(async () => {
    const admin = await requireAdminAction();
    const { id } = idInput.parse(input);
    const budget = await updateBudget(auditActor(admin, await headers()), id, budgetChangeInput.parse(input.change));
    return `Budget saved: ${budget.label}.`;
  });
}

export async function deleteBudgetAction(input: { id: string }): Promise<BudgetActionResult> {
  return attempt(async () => {
    const admin = await requireAdminAction();
    const { id } = idInput.parse(input);
    await deleteBudget(auditActor(admin, await headers()), id);
    return "Budget removed.";
  });
}
