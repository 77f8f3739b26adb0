/**
 * The one error type the app throws on purpose. `code` is `${type}:${surface}`; the type picks
 * the HTTP status and `toResponse()` is the only place an error becomes a response.
 */
export const errorStatus = {
  bad_request: 400,
  unauthorized: 401,
  payment_required: 402,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unsupported_media_type: 415,
  rate_limit: 429,
  internal: 500,
  upstream: 502,
  unavailable: 503,
  timeout: 504,
} as const;

export type ErrorType = keyof typeof errorStatus;
export type Surface =
  | "api"
  | "auth"
  | "setup"
  | "chat"
  | "model"
  | "user"
  | "admin"
  | "upstream"
  | "database"
  | "group"
  | "invite"
  | "audit"
  | "settings"
  | "budget"
  | "usage"
  | "key"
  | "attachment";
export type ErrorCode = `${ErrorType}:${Surface}`;

export interface ErrorBody {
  error: { code: ErrorCode; message: string } & Record<string, unknown>;
  [detail: string]: unknown;
}

const defaultMessages: Record<ErrorType, string> = {
  bad_request: "The request is not valid.",
  unauthorized: "You need to sign in first.",
  payment_required: "The budget for this is used up.",
  forbidden: "You are not allowed to do that.",
  not_found: "That was not found.",
  conflict: "That conflicts with the current state.",
  unsupported_media_type: "Send the body as JSON (Content-Type: application/json).",
  rate_limit: "Too many requests. Please wait a moment and try again.",
  internal: "Something went wrong on our side. Please try again.",
  upstream: "RedPill could not complete the request. Please try again.",
  unavailable: "The service is temporarily unavailable. Please try again.",
  timeout: "RedPill took too long to answer.",
};

export class AppError extends Error {
  readonly type: ErrorType;
  readonly surface: Surface;
  readonly status: number;
  readonly headers: Record<string, string>;
  /** Extra fields of the error body, e.g. a budget's `resetsAt`. */
  readonly details: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message?: string,
    options: { cause?: unknown; headers?: Record<string, string>; details?: Record<string, unknown> } = {},
  ) {
    const [type, surface] = code.split(":") as [ErrorType, Surface];
    super(message ?? defaultMessages[type], { cause: options.cause });
    this.name = "AppError";
    this.type = type;
    this.surface = surface;
    this.status = errorStatus[type];
    this.headers = options.headers ?? {};
    this.details = options.details ?? {};
  }

  get code(): ErrorCode {
    return `${this.type}:${this.surface}`;
  }

  toBody(): ErrorBody {
    // Details (such as a budget's `resetsAt`) sit in the error object and, for simple clients, beside it.
    return { ...this.details, error: { ...this.details, code: this.code, message: this.message } };
  }

  toResponse(): Response {
    return Response.json(this.toBody(), { status: this.status, headers: this.headers });
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
