import { z } from "zod";
import { accountChangeInput, changeAccount, publicUser } from "@/lib/auth/accounts";
import { requireAdmin } from "@/lib/auth/session";
import { parseWith, readJson, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });

export const PATCH = route(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const admin = await requireAdmin(request);
  const { id } = parseWith(params, await context.params);
  const change = await readJson(request, accountChangeInput);
  return Response.json({ user: publicUser(await changeAccount({ actorId: admin.id, userId: id, change })) });
});
