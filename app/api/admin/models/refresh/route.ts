import { requireAdmin } from "@/lib/auth/session";
import { route } from "@/lib/http/handler";
import { syncCatalog } from "@/lib/redpill/catalog";

export const dynamic = "force-dynamic";

export const POST = route(async (request: Request) => {
  await requireAdmin(request);
  return Response.json(await syncCatalog());
});
