import { requireUser } from "@/lib/auth/session";
import { listEnabledModels } from "@/lib/db/models";
import { route } from "@/lib/http/handler";
import { toModelOption } from "@/lib/redpill/model-option";

export const dynamic = "force-dynamic";

/** The models the signed-in user may pick. */
export const GET = route(async (request: Request) => {
  await requireUser(request);
  const models = await listEnabledModels();
  return Response.json({ models: models.map(toModelOption) });
});
