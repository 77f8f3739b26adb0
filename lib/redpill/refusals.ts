// Shared by the chat (lib/redpill/errors.ts) and the API (lib/gateway/upstream.ts), which must not load the AI SDK.

/** The usage ledger's code for a refusal by RedPill with this HTTP status: the chat and the API record the same. */
export function upstreamCode(status: number): string {
  if (status === 401) return "upstream_unauthorized";
  if (status === 402 || status === 403) return "upstream_out_of_credits";
  if (status === 404) return "upstream_model_not_found";
  if (status === 429) return "upstream_rate_limited";
  if (status >= 500) return "upstream_server_error";
  return "upstream_bad_request";
}

export const UPSTREAM_KEY_REJECTED = "RedPill rejected this server's API key. Ask an admin to check REDPILL_API_KEY.";
