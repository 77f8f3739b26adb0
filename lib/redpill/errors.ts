import { APICallError } from "ai";

/** What the user is told and what the usage ledger records when an upstream call fails. */
export interface UpstreamFailure {
  code: string;
  message: string;
}

function retryAfter(headers: Record<string, string> | undefined): string {
  const seconds = Number(headers?.["retry-after"]);
  return Number.isFinite(seconds) && seconds > 0 ? ` Try again in ${Math.ceil(seconds)} s.` : " Try again shortly.";
}

export function describeUpstreamError(error: unknown): UpstreamFailure {
  if (APICallError.isInstance(error)) {
    const status = error.statusCode ?? 0;
    if (status === 401)
      return { code: "upstream_unauthorized", message: "RedPill rejected this server's API key. Ask an admin to check REDPILL_API_KEY." };
    if (status === 402 || status === 403)
      return { code: "upstream_out_of_credits", message: "The RedPill account is out of credits. Ask an admin to top it up." };
    if (status === 404)
      return { code: "upstream_model_not_found", message: "RedPill does not know this model any more. Pick another model." };
    if (status === 429)
      return { code: "upstream_rate_limited", message: `RedPill is rate limiting requests.${retryAfter(error.responseHeaders)}` };
    if (status >= 500)
      return { code: "upstream_server_error", message: `RedPill had a problem (${status}). Try again in a moment.` };
    if (status >= 400)
      return { code: "upstream_bad_request", message: "RedPill refused the request as invalid." };
    return { code: "stream_interrupted", message: "The connection to RedPill dropped before the reply finished." };
  }
  if (error instanceof Error && (error.name === "TimeoutError" || /timed? ?out/i.test(error.message))) {
    return { code: "upstream_timeout", message: "RedPill took too long to answer." };
  }
  return { code: "stream_interrupted", message: "The connection to RedPill dropped before the reply finished." };
}
