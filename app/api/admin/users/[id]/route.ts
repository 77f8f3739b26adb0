import { z } from "zod";
import { publicUser } from "@/lib/auth/accounts";
import { auditActor } from "@/lib/audit/record";
import { requireAdmin } from "@/lib/auth/session";
import { accountChangeInput, changeAccount, deleteAccount, deleteAccountQuery } from "@/lib/auth/user-admin";
import { parseWith, readJson, readQuery, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });
type Context = { params: Promise<{ id: string }> };

/** `{ disabled?, role?, name?, approved?, rpm?, tpm? }` → `{ user }`. */
export const PATCH = route(async (request: Request, context: Context) => {
  const admin = await requireAdmin(request);
  const { id } = parseWith(params, await context.params);
  const change = await readJson(request, accountChangeInput);
  return Response.json({ user: publicUser(await changeAccount(auditActor(admin, request.headers), id, change)) });
});

/** `?chats=delete|keep` (default keep) → 204. Usage rows always stay. */
export const DELETE = route(async (request: Request, context: Context) => {
  const admin = await requireAdmin(request);
  const { id } = parseWith(params, await context.params);
  const query = readQuery(request, deleteAccountQuery);
  await deleteAccount(auditActor(admin, request.headers), id, query);
  return new Response(null, { status: 204 });
});
