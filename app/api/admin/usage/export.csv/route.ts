import { requireAdmin } from "@/lib/auth/session";
import { readQuery, route } from "@/lib/http/handler";
import { csvFilename, usageCsvStream } from "@/lib/usage/export";
import { resolveFilters, usageFilterSchema } from "@/lib/usage/filters";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

export const dynamic = "force-dynamic";
// The CSV streams row by row: a large workspace's year of usage takes longer than a default function.
export const maxDuration = 120;

export const GET = route(async (request: Request) => {
  await requireAdmin(request);
  const filters = resolveFilters(readQuery(request, usageFilterSchema), (await getWorkspaceSettings()).timeZone);
  return new Response(usageCsvStream(filters), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${csvFilename(filters)}"`,
      "cache-control": "no-store",
    },
  });
});
