import { z } from "zod";
import { removeGroupMember } from "@/lib/access/groups";
import { auditActor } from "@/lib/audit/record";
import { requireAdmin } from "@/lib/auth/session";
import { parseWith, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid(), userId: z.uuid() });

export const DELETE = route(async (request: Request, context: { params: Promise<{ id: string; userId: string }> }) => {
  const admin = await requireAdmin(request);
  const { id, userId } = parseWith(params, await context.params);
  await removeGroupMember(auditActor(admin, request.headers), id, userId);
  return new Response(null, { status: 204 });
});
