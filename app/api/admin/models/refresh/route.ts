import { refreshCatalog } from "@/lib/access/models";
import { auditActor } from "@/lib/audit/record";
import { requireAdmin } from "@/lib/auth/session";
import { route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** → { count, added, addedEnabled, changed } */
export const POST = route(async (request: Request) => {
  const admin = await requireAdmin(request);
  return Response.json(await refreshCatalog(auditActor(admin, request.headers)));
});
