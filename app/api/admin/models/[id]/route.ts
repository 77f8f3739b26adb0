import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { getModel, setModelEnabled } from "@/lib/db/models";
import { AppError } from "@/lib/errors";
import { parseWith, readJson, route } from "@/lib/http/handler";
import { toModelOption } from "@/lib/redpill/model-option";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string().min(1).max(200) });
const change = z.object({ enabled: z.boolean() });

/** Enable or disable a model for everyone (the same switch as Admin → Models). */
export const PATCH = route(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  await requireAdmin(request);
  const { id } = parseWith(params, await context.params);
  const { enabled } = await readJson(request, change);
  if (!(await getModel({ id }))) throw new AppError("not_found:model", `Unknown model "${id}".`);
  return Response.json({ model: { ...toModelOption(await setModelEnabled({ id, enabled })), enabled } });
});
