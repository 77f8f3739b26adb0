import { createAccount, newAccountInput, publicUser } from "@/lib/auth/accounts";
import { requireAdmin } from "@/lib/auth/session";
import { listUsers } from "@/lib/db/users";
import { readJson, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

export const GET = route(async (request: Request) => {
  await requireAdmin(request);
  return Response.json({ users: (await listUsers()).map(publicUser) });
});

export const POST = route(async (request: Request) => {
  await requireAdmin(request);
  const input = await readJson(request, newAccountInput);
  return Response.json({ user: publicUser(await createAccount(input)) }, { status: 201 });
});
