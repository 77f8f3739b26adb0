import { z } from "zod";
import { auditActor } from "@/lib/audit/record";
import { revokeInvite } from "@/lib/auth/invites";
import { requireAdmin } from "@/lib/auth/session";
import { parseWith, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });

/** Revokes an open invite → 204; a used or already revoked one → 409. */
export const DELETE = route(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const admin = await requireAdmin(request);
  const { id } = parseWith(params, await context.params);
  await revokeInvite(auditActor(admin, request.headers), id);
  return new Response(null, { status: 204 });
});
