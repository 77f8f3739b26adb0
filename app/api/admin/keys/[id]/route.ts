import { z } from "zod";
import { auditActor } from "@/lib/audit/record";
import { requireAdmin } from "@/lib/auth/session";
import { parseWith, route } from "@/lib/http/handler";
import { revokeAnyKey } from "@/lib/keys/manage";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });

export const DELETE = route(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const admin = await requireAdmin(request);
  const { id } = parseWith(params, await context.params);
  await revokeAnyKey(auditActor(admin, request.headers), id);
  return new Response(null, { status: 204 });
});
