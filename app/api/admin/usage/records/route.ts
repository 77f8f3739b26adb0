import { requireAdmin } from "@/lib/auth/session";
import { readQuery, route } from "@/lib/http/handler";
import { resolveFilters, usageFilterSchema } from "@/lib/usage/filters";
import { usageRecords } from "@/lib/usage/records";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

export const dynamic = "force-dynamic";

export const GET = route(async (request: Request) => {
  await requireAdmin(request);
  const filters = resolveFilters(readQuery(request, usageFilterSchema), (await getWorkspaceSettings()).timeZone);
  return Response.json(await usageRecords(filters));
});
