import { z } from "zod";
import { addGroupMember, groupMembers, memberInput } from "@/lib/access/groups";
import { auditActor } from "@/lib/audit/record";
import { requireAdmin } from "@/lib/auth/session";
import { parseWith, readJson, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });
type Context = { params: Promise<{ id: string }> };

export const GET = route(async (request: Request, context: Context) => {
  await requireAdmin(request);
  const { id } = parseWith(params, await context.params);
  return Response.json({ members: await groupMembers(id) });
});

/** `{ userId }`: 201 when added, 200 when the user was already a member. */
export const POST = route(async (request: Request, context: Context) => {
  const admin = await requireAdmin(request);
  const { id } = parseWith(params, await context.params);
  const { userId } = await readJson(request, memberInput);
  const { added } = await addGroupMember(auditActor(admin, request.headers), id, userId);
  return Response.json({ member: { groupId: id, userId } }, { status: added ? 201 : 200 });
});
