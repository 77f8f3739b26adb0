import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { parseWith, route } from "@/lib/http/handler";
import { revokeOwnKey } from "@/lib/keys/manage";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });

export const DELETE = route(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireUser(request);
  const { id } = parseWith(params, await context.params);
  await revokeOwnKey(user, id);
  return new Response(null, { status: 204 });
});
