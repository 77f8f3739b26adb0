import { APICallError } from "ai";
import { UPSTREAM_KEY_REJECTED, upstreamCode } from "@/lib/redpill/refusals";

/** What the user is told and what the usage ledger records when an upstream call fails. */
export interface UpstreamFailure {
  code: string;
  message: string;
}

function retryAfter(headers: Record<string, string> | undefined): string {
  const seconds = Number(headers?.["retry-after"]);
  return Number.isFinite(seconds) && seconds > 0 ? ` Try again in ${Math.ceil(seconds)} s.` : " Try again shortly.";
}

const refusalMessage = (code: string, status: number, headers: Record<string, string> | undefined): string => {
  switch (code) {
    case "upstream_unauthorized":
      return UPSTREAM_KEY_REJECTED;
    case "upstream_out_of_credits":
      return "The RedPill account is out of credits. Ask an admin to top it up.";
    case "upstream_model_not_found":
      return "RedPill does not know this model any more. Pick another model.";
    case "upstream_rate_limited":
      return `RedPill is rate limiting requests.${retryAfter(headers)}`;
    case "upstream_server_error":
      return `RedPill had a problem (${status}). Try again in a moment.`;
    default:
      return "RedPill refused the request as invalid.";
  }
};

export function describeUpstreamError(error: unknown): UpstreamFailure {
  if (APICallError.isInstance(error)) {
    const status = error.statusCode ?? 0;
    if (status >= 400) {
      const code = upstreamCode(status);
      return { code, message: refusalMessage(code, status, error.responseHeaders) };
    }
    return { code: "stream_interrupted", message: "The connection to RedPill dropped before the reply finished." };
  }
  if (error instanceof Error && (error.name === "TimeoutError" || /timed? ?out/i.test(error.message))) {
    return { code: "upstream_timeout", message: "RedPill took too long to answer." };
  }
  return { code: "stream_interrupted", message: "The connection to RedPill dropped before the reply finished." };
}
