import { authenticateKey } from "@/lib/gateway/auth";
import { gatewayRoute } from "@/lib/gateway/route";
import { signatureParams } from "@/lib/gateway/schema";
import { completionSignature } from "@/lib/gateway/tee";
import { parseWith } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** RedPill's GET /v1/signature/:id, passed through for the key's own completions only. */
export const GET = gatewayRoute(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const holder = await authenticateKey(request, null);
  const { id } = parseWith(signatureParams, await context.params);
  return completionSignature(request, holder, id);
});
