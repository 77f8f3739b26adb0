import { createGroup, listPublicGroups, newGroupInput } from "@/lib/access/groups";
import { auditActor } from "@/lib/audit/record";
import { requireAdmin } from "@/lib/auth/session";
import { readJson, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

export const GET = route(async (request: Request) => {
  await requireAdmin(request);
  return Response.json({ groups: await listPublicGroups() });
});

export const POST = route(async (request: Request) => {
  const admin = await requireAdmin(request);
  const input = await readJson(request, newGroupInput);
  const group = await createGroup(auditActor(admin, request.headers), input);
  return Response.json({ group }, { status: 201 });
});
