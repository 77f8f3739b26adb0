import { requireUser } from "@/lib/auth/session";
import { budgetStatusFor } from "@/lib/budgets/status";
import { readQuery, route } from "@/lib/http/handler";
import { resolvePeriod, usageFilterSchema } from "@/lib/usage/filters";
import { usageForMember } from "@/lib/usage/member";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

export const dynamic = "force-dynamic";

const query = usageFilterSchema.pick({ from: true, to: true }).strict();

export const GET = route(async (request: Request) => {
  const user = await requireUser(request);
  const period = resolvePeriod(readQuery(request, query), (await getWorkspaceSettings()).timeZone);
  return Response.json(await usageForMember({ user, period, budgets: await budgetStatusFor(user) }));
});
