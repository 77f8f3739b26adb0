import { createAccount, newAccountInput, publicUser } from "@/lib/auth/accounts";
import { auditActor } from "@/lib/audit/record";
import { requireAdmin } from "@/lib/auth/session";
import { listLiveUsersWithGroups } from "@/lib/db/users";
import { readJson, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** Every user but deleted ones, with their groups and pending/disabled flags. */
export const GET = route(async (request: Request) => {
  await requireAdmin(request);
  const users = await listLiveUsersWithGroups();
  return Response.json({ users: users.map((user) => publicUser(user, user.groups.map((m) => m.group))) });
});

export const POST = route(async (request: Request) => {
  const admin = await requireAdmin(request);
  const input = await readJson(request, newAccountInput);
  const user = await createAccount(auditActor(admin, request.headers), input);
  return Response.json({ user: publicUser(user) }, { status: 201 });
});
