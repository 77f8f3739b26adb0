import { bulkModelsInput, setManyModelsEnabled } from "@/lib/access/models";
import { auditActor } from "@/lib/audit/record";
import { requireAdmin } from "@/lib/auth/session";
import { readJson, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** POST /api/admin/models/bulk { ids, enabled } → { updated }: one audited change for many models. */
export const POST = route(async (request: Request) => {
  const admin = await requireAdmin(request);
  const input = await readJson(request, bulkModelsInput);
  return Response.json(await setManyModelsEnabled(auditActor(admin, request.headers), input));
});
