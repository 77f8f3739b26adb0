import { z } from "zod";
import { auditActor } from "@/lib/audit/record";
import { requireAdmin } from "@/lib/auth/session";
import { budgetChangeInput, deleteBudget, updateBudget } from "@/lib/budgets/manage";
import { parseWith, readJson, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });
type Context = { params: Promise<{ id: string }> };

export const PATCH = route(async (request: Request, context: Context) => {
  const admin = await requireAdmin(request);
  const { id } = parseWith(params, await context.params);
  const change = await readJson(request, budgetChangeInput);
  return Response.json({ budget: await updateBudget(auditActor(admin, request.headers), id, change) });
});

export const DELETE = route(async (request: Request, context: Context) => {
  const admin = await requireAdmin(request);
  const { id } = parseWith(params, await context.params);
  await deleteBudget(auditActor(admin, request.headers), id);
  return new Response(null, { status: 204 });
});
