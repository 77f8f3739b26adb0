import { auditActor } from "@/lib/audit/record";
import { requireAdmin } from "@/lib/auth/session";
import { createBudget, listPublicBudgets, newBudgetInput } from "@/lib/budgets/manage";
import { readJson, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

export const GET = route(async (request: Request) => {
  await requireAdmin(request);
  return Response.json({ budgets: await listPublicBudgets() });
});

/** `{ scope, targetId?, amountUsd: "12.50", period, warnPercent? }` → 201 `{ budget }`. */
export const POST = route(async (request: Request) => {
  const admin = await requireAdmin(request);
  const input = await readJson(request, newBudgetInput);
  return Response.json({ budget: await createBudget(auditActor(admin, request.headers), input) }, { status: 201 });
});
