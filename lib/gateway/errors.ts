import "server-only";
import { databaseUnavailable, isDatabaseUnavailable } from "@/lib/db/unavailable";
import { AppError, type ErrorType } from "@/lib/errors";
import { log } from "@/lib/log";

/**
 * Errors of the OpenAI-compatible API, in OpenAI's shape (`{"error":{"message","type","code","param"}}`)
 * with the status the `openai` SDKs map to their error classes. Inside, the app throws its one
 * AppError as everywhere; this is the only place a gateway error becomes a response. `details.openaiCode`
 * names the error's `code` when its AppError code alone does not say it.
 */

const OPENAI_TYPE: Record<ErrorType, string> = {
  bad_request: "invalid_request_error",
  unauthorized: "authentication_error",
  payment_required: "insufficient_quota",
  forbidden: "permission_error",
  not_found: "invalid_request_error",
  conflict: "invalid_request_error",
  unsupported_media_type: "invalid_request_error",
  rate_limit: "rate_limit_error",
  internal: "api_error",
  upstream: "api_error",
  unavailable: "api_error",
  timeout: "api_error",
};

function openAICode(error: AppError): string {
  const given = error.details.openaiCode;
  if (typeof given === "string") return given;
  switch (error.code) {
    case "not_found:model":
      return "model_not_found";
    case "forbidden:model":
      return "model_not_allowed";
    case "forbidden:key":
      return "api_access_disabled";
    case "payment_required:budget":
      return "budget_exceeded";
  }
  switch (error.type) {
    case "unauthorized":
      return "invalid_api_key";
    case "rate_limit":
      return "rate_limit_exceeded";
    case "not_found":
      return "not_found";
    case "unavailable":
      return error.surface === "database" ? "database_unavailable" : "service_unavailable";
    case "timeout":
      return "upstream_timeout";
    case "upstream":
      return "upstream_error";
    case "internal":
      return "internal_error";
    default:
      return "invalid_request";
  }
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string; param: string | null } & Record<string, unknown>;
}

export function openAIErrorBody(error: AppError): OpenAIErrorBody {
  const { openaiCode: _code, param, ...extra } = error.details;
  return {
    error: {
      message: error.message,
      type: OPENAI_TYPE[error.type],
      code: openAICode(error),
      param: typeof param === "string" ? param : null,
      // e.g. a budget's `resetsAt`, a rate limit's `retryAfterSeconds`
      ...extra,
    },
  };
}

export function gatewayErrorResponse(error: unknown): Response {
  let appError: AppError;
  if (error instanceof AppError) appError = error;
  else if (isDatabaseUnavailable(error)) {
    log.warn("database unavailable", { err: error });
    appError = databaseUnavailable();
  } else {
    log.error("unhandled gateway error", { err: error });
    appError = new AppError("internal:api");
  }
  return Response.json(openAIErrorBody(appError), { status: appError.status, headers: appError.headers });
}
