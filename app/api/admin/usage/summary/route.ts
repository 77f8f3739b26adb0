import { requireAdmin } from "@/lib/auth/session";
import { readQuery, route } from "@/lib/http/handler";
import { resolveFilters, usageSummarySchema } from "@/lib/usage/filters";
import { usageSummary } from "@/lib/usage/summary";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

export const dynamic = "force-dynamic";

export const GET = route(async (request: Request) => {
  await requireAdmin(request);
  const { groupBy, ...input } = readQuery(request, usageSummarySchema);
  const filters = resolveFilters(input, (await getWorkspaceSettings()).timeZone);
  return Response.json(await usageSummary(filters, groupBy));
});
