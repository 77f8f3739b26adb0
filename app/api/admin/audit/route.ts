import { auditPage, auditQuery } from "@/lib/audit/query";
import { requireAdmin } from "@/lib/auth/session";
import { readQuery, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** `?actorId=&action=&targetId=&from=&to=&cursor=&limit=` → `{ entries, nextCursor }`, newest first. */
export const GET = route(async (request: Request) => {
  await requireAdmin(request);
  return Response.json(await auditPage(readQuery(request, auditQuery)));
});
