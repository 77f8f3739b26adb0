import { requireAdmin } from "@/lib/auth/session";
import { route } from "@/lib/http/handler";
import { syncCatalog } from "@/lib/redpill/catalog";

export const dynamic = "force-dynamic";

export const POST = route(async () => {
  await requireAdmin();
  return Response.json(await syncCatalog());
});
