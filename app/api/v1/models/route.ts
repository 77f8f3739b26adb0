import { authenticateKey } from "@/lib/gateway/auth";
import { listApiModels } from "@/lib/gateway/models";
import { gatewayRoute } from "@/lib/gateway/route";

export const dynamic = "force-dynamic";

/** OpenAI's GET /v1/models: exactly the models the key's user may use. */
export const GET = gatewayRoute(async (request: Request) => {
  const holder = await authenticateKey(request, null);
  return Response.json(await listApiModels(holder));
});
