import { z } from "zod";
import { auditActor } from "@/lib/audit/record";
import { publicOrigin } from "@/lib/auth/link-token";
import { createPasswordReset } from "@/lib/auth/password-resets";
import { requireAdmin } from "@/lib/auth/session";
import { parseWith, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });

/** → 201 `{ reset: { url, expiresAt } }`: a one-time link, valid 24 hours, replacing older ones. */
export const POST = route(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const admin = await requireAdmin(request);
  const { id } = parseWith(params, await context.params);
  const reset = await createPasswordReset(auditActor(admin, request.headers), id, publicOrigin(request.headers));
  return Response.json({ reset }, { status: 201 });
});
