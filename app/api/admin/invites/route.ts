import { auditActor } from "@/lib/audit/record";
import { createInvite, listPublicInvites, newInviteInput } from "@/lib/auth/invites";
import { publicOrigin } from "@/lib/auth/link-token";
import { requireAdmin } from "@/lib/auth/session";
import { readJson, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** Newest first, with status pending/used/revoked/expired. Tokens are never stored, so never listed. */
export const GET = route(async (request: Request) => {
  await requireAdmin(request);
  return Response.json({ invites: await listPublicInvites() });
});

/** `{ role, groupIds?, email?, expiresInHours? }` → 201 `{ invite: { id, url, expiresAt } }`. */
export const POST = route(async (request: Request) => {
  const admin = await requireAdmin(request);
  const input = await readJson(request, newInviteInput);
  const invite = await createInvite(auditActor(admin, request.headers), input, publicOrigin(request.headers));
  return Response.json({ invite }, { status: 201 });
});
