import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { getModel, setModelEnabled } from "@/lib/db/models";
import { AppError } from "@/lib/errors";
import { parseWith, readJson, route } from "@/lib/http/handler";
import { toModelOption } from "@/lib/redpill/model-option";

export const dynamic = "force-dynamic";

// Model ids contain a slash (`google/gemini-2.5-flash`): the path's segments are the id.
const params = z.object({ id: z.array(z.string().min(1)).min(1).max(5).transform((parts) => parts.join("/")) });
const change = z.object({ enabled: z.boolean() });

/** PATCH /api/admin/models/<provider>/<model> { enabled }: the same switch as Admin → Models. */
export const PATCH = route(async (request: Request, context: { params: Promise<{ id: string[] }> }) => {
  await requireAdmin(request);
  const { id } = parseWith(params, await context.params);
  const { enabled } = await readJson(request, change);
  if (!(await getModel({ id }))) throw new AppError("not_found:model", `Unknown model "${id}".`);
  return Response.json({ model: { ...toModelOption(await setModelEnabled({ id, enabled })), enabled } });
});
