import { requireAdmin } from "@/lib/auth/session";
import { readQuery, route } from "@/lib/http/handler";
import { adminKeyQuery, listKeysForAdmin } from "@/lib/keys/manage";

export const dynamic = "force-dynamic";

export const GET = route(async (request: Request) => {
  await requireAdmin(request);
  const query = readQuery(request, adminKeyQuery);
  return Response.json({ keys: await listKeysForAdmin(query) });
});
