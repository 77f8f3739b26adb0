import { checkKey, keySecret } from "@/lib/gateway/auth";
import { modelIdOf, readJsonBody } from "@/lib/gateway/body";
import { completeChat } from "@/lib/gateway/completions";
import { gatewayRoute } from "@/lib/gateway/route";
import { completionRequest } from "@/lib/gateway/schema";
import { parseWith } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** OpenAI's POST /v1/chat/completions, under the key's user's access, budgets and rate limits. */
export const POST = gatewayRoute(async (request: Request) => {
  const receivedAt = performance.now();
  const secret = keySecret(request);
  const raw = await readJsonBody(request);
  // The key's check reads the model along, in the same round trip; the body is validated after it.
  const holder = await checkKey(secret, modelIdOf(raw));
  const body = parseWith(completionRequest, raw);
  return completeChat({ request, receivedAt, holder, body });
});
