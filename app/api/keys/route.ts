import { requireUser } from "@/lib/auth/session";
import { readJson, route } from "@/lib/http/handler";
import { createKey, listOwnKeys, newKeyInput } from "@/lib/keys/manage";

export const dynamic = "force-dynamic";

export const GET = route(async (request: Request) => {
  const user = await requireUser(request);
  return Response.json({ keys: await listOwnKeys(user) });
});

export const POST = route(async (request: Request) => {
  const user = await requireUser(request);
  const input = await readJson(request, newKeyInput);
  return Response.json(await createKey(user, input), { status: 201, headers: { "cache-control": "no-store" } });
});
