import type { FakeErrorStatus } from "./behaviors";

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function openAIError(
  message: string,
  type: string,
  code: string | null = null,
  param: string | null = null,
): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

export const invalidApiKey = (): OpenAIErrorBody =>
  openAIError("Invalid API key", "authentication_error", "invalid_api_key");

export const modelNotFound = (model: string): OpenAIErrorBody =>
  openAIError(`The model \`${model}\` does not exist`, "invalid_request_error", "model_not_found");

export const unsupportedMaxTokens = (): OpenAIErrorBody =>
  openAIError(
    "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
    "invalid_request_error",
    "unsupported_parameter",
    "max_tokens",
  );

export const contextLengthExceeded = (contextLength: number, promptTokens: number, outputTokens: number): OpenAIErrorBody =>
  openAIError(
    `This model's maximum context length is ${contextLength} tokens. However, you requested ` +
      `${promptTokens + outputTokens} tokens (${promptTokens} in the messages, ${outputTokens} in the completion).`,
    "invalid_request_error",
    "context_length_exceeded",
    "messages",
  );

export const invalidRequest = (message: string, param: string | null = null): OpenAIErrorBody =>
  openAIError(message, "invalid_request_error", null, param);

/** The body a real gateway returns for each status an `error` behaviour can simulate. */
export function errorForStatus(status: FakeErrorStatus, model: string, message?: string): OpenAIErrorBody {
  switch (status) {
    case 400:
      return invalidRequest(message ?? "Bad request (simulated by the fake RedPill server).");
    case 401:
      return message ? openAIError(message, "authentication_error", "invalid_api_key") : invalidApiKey();
    case 403:
      return openAIError(
        message ?? "Insufficient credits. Top up your RedPill balance to continue.",
        "insufficient_quota",
        "insufficient_quota",
      );
    case 404:
      return message ? openAIError(message, "invalid_request_error", "model_not_found") : modelNotFound(model);
    case 429:
      return openAIError(
        message ?? `Rate limit reached for ${model}. Please try again later.`,
        "rate_limit_error",
        "rate_limit_exceeded",
      );
    case 500:
      return openAIError(message ?? "The server had an error while processing your request.", "server_error", "server_error");
    case 502:
      return openAIError(message ?? "Bad gateway: the upstream provider returned an invalid response.", "server_error", "bad_gateway");
    case 503:
      return openAIError(message ?? "The model is currently overloaded. Please try again later.", "server_error", "service_unavailable");
  }
}
