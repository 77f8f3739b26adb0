import { z } from "zod";
import { deleteGroup, groupChangeInput, updateGroup } from "@/lib/access/groups";
import { auditActor } from "@/lib/audit/record";
import { requireAdmin } from "@/lib/auth/session";
import { parseWith, readJson, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });
type Context = { params: Promise<{ id: string }> };

export const PATCH = route(async (request: Request, context: Context) => {
  const admin = await requireAdmin(request);
  const { id } = parseWith(params, await context.params);
  const change = await readJson(request, groupChangeInput);
  return Response.json({ group: await updateGroup(auditActor(admin, request.headers), id, change) });
});

export const DELETE = route(async (request: Request, context: Context) => {
  const admin = await requireAdmin(request);
  const { id } = parseWith(params, await context.params);
  await deleteGroup(auditActor(admin, request.headers), id);
  return new Response(null, { status: 204 });
});
