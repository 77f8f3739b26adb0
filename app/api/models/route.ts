import { listUsableModels } from "@/lib/access/policy";
import { requireUser } from "@/lib/auth/session";
import { route } from "@/lib/http/handler";
import { toModelOption } from "@/lib/redpill/model-option";

export const dynamic = "force-dynamic";

/** Exactly the models the signed-in user may use. */
export const GET = route(async (request: Request) => {
  const user = await requireUser(request);
  return Response.json({ models: (await listUsableModels(user)).map(toModelOption) });
});
