import { checkKey, keySecret } from "@/lib/gateway/auth";
import { gatewayRoute } from "@/lib/gateway/route";
import { attestationQuery } from "@/lib/gateway/schema";
import { attestationReport } from "@/lib/gateway/tee";
import { readQuery } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** RedPill's GET /v1/attestation/report, passed through for a key whose user may use the model. */
export const GET = gatewayRoute(async (request: Request) => {
  const secret = keySecret(request);
  const { model } = readQuery(request, attestationQuery);
  const holder = await checkKey(secret, model ?? null);
  return attestationReport(request, holder, model);
});
