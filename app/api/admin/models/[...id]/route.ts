import { z } from "zod";
import { changeModel, modelChangeInput } from "@/lib/access/models";
import { auditActor } from "@/lib/audit/record";
import { requireAdmin } from "@/lib/auth/session";
import { parseWith, readJson, route } from "@/lib/http/handler";
import { toModelOption } from "@/lib/redpill/model-option";

export const dynamic = "force-dynamic";

// Model ids contain a slash (`google/gemini-2.5-flash`): the path's segments are the id.
const params = z.object({ id: z.array(z.string().min(1)).min(1).max(5).transform((parts) => parts.join("/")) });

/** PATCH /api/admin/models/<provider>/<model> { enabled?, displayName? }: the same switches as Admin → Models. */
export const PATCH = route(async (request: Request, context: { params: Promise<{ id: string[] }> }) => {
  const admin = await requireAdmin(request);
  const { id } = parseWith(params, await context.params);
  const change = await readJson(request, modelChangeInput);
  const model = await changeModel(auditActor(admin, request.headers), id, change);
  return Response.json({ model: { ...toModelOption(model), enabled: model.enabled } });
});
