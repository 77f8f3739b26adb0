import "server-only";
import { assertUsableModel } from "@/lib/access/policy";
import { findKeyCompletion } from "@/lib/db/api-keys";
import { AppError } from "@/lib/errors";
import type { KeyHolder } from "@/lib/gateway/auth";
import { callUpstream, upstreamFailure } from "@/lib/gateway/upstream";

/**
 * TEE proof for API users: RedPill's attestation report and a completion's signature, passed
 * through as RedPill answers them, so RedPill's verifiers work against Pillbox with a personal key.
 */

async function passThrough(request: Request, path: string, query: URLSearchParams): Promise<Response> {
  const search = query.size ? `?${query}` : "";
  const upstream = await callUpstream(`${path}${search}`, { method: "GET", signal: request.signal });
  try {
    if (!upstream.response.ok) throw await upstreamFailure(upstream.response);
    const bytes = await upstream.response.arrayBuffer();
    return new Response(bytes, {
      status: upstream.response.status,
      headers: { "content-type": upstream.response.headers.get("content-type") ?? "application/json", "cache-control": "no-store" },
    });
  } finally {
    upstream.done();
  }
}

/** GET /api/v1/attestation/report?model=…&nonce=…: for a model the key's user may use. */
export async function attestationReport(request: Request, holder: KeyHolder, modelId: string | undefined): Promise<Response> {
  if (modelId) assertUsableModel({ user: holder.user, model: holder.model, modelId, rules: holder.rules });
  return passThrough(request, "/attestation/report", new URL(request.url).searchParams);
}

/**
 * GET /api/v1/signature/:id?model=…: only for a completion made through this very key (any other
 * id, another user's included, is a 404). Without `model`, the completion's own model is asked for.
 */
export async function completionSignature(request: Request, holder: KeyHolder, completionId: string): Promise<Response> {
  const completion = await findKeyCompletion({ upstreamId: completionId, apiKeyId: holder.keyId, userId: holder.user.id });
  if (!completion) throw new AppError("not_found:api", "No completion of this key has that id.", { details: { openaiCode: "not_found" } });
  const query = new URL(request.url).searchParams;
  if (!query.get("model")) query.set("model", completion.modelId);
  return passThrough(request, `/signature/${encodeURIComponent(completionId)}`, query);
}
