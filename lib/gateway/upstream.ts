import "server-only";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { redact } from "@/lib/log";
import { UPSTREAM_KEY_REJECTED } from "@/lib/redpill/refusals";
import { getUpstream, upstreamFetch } from "@/lib/redpill/upstream";
import { UpstreamTimeoutError } from "@/lib/redpill/upstream-guard";

export interface UpstreamCall {
  response: Response;
  /** Pushes the idle deadline back (call it on every chunk). */
  arm: () => void;
  /** Stops the idle timer (the call is over). */
  done: () => void;
  timedOut: () => boolean;
}

/**
 * One call to RedPill with the company key (which only this module and the chat's provider hold):
 * aborted by `signal`, or when RedPill sends nothing for PILLBOX_UPSTREAM_IDLE_TIMEOUT_MS (before
 * the headers or between chunks). A refused connection is a 502, silence a 504.
 */
export async function callUpstream(
  path: string,
  init: { method: "GET" | "POST"; body?: string; headers?: Record<string, string>; signal: AbortSignal },
): Promise<UpstreamCall> {
  const { baseURL, apiKey } = getUpstream();
  const idleMs = env.PILLBOX_UPSTREAM_IDLE_TIMEOUT_MS;
  const idle = new AbortController();
  const timer = setTimeout(() => idle.abort(new UpstreamTimeoutError(idleMs)), idleMs);
  const signal = AbortSignal.any([init.signal, idle.signal]);
  try {
    const response = await upstreamFetch(`${baseURL}${path}`, {
      method: init.method,
      headers: { authorization: `Bearer ${apiKey}`, ...(init.body ? { "content-type": "application/json" } : {}), ...init.headers },
      body: init.body,
      signal,
    });
    return {
      response,
      arm: () => void timer.refresh(),
      done: () => clearTimeout(timer),
      timedOut: () => idle.signal.aborted,
    };
  } catch (error) {
    clearTimeout(timer);
    if (init.signal.aborted) throw error;
    if (idle.signal.aborted) throw new AppError("timeout:upstream", `RedPill sent nothing for ${idleMs} ms.`, { details: { openaiCode: "upstream_timeout" } });
    throw new AppError("upstream:upstream", "Could not reach RedPill. Try again in a moment.", {
      cause: error,
      details: { openaiCode: "upstream_unreachable" },
    });
  }
}

interface UpstreamErrorBody {
  error?: { message?: unknown; code?: unknown; param?: unknown; type?: unknown };
}

const text = (value: unknown) => (typeof value === "string" && value ? value : undefined);

/**
 * RedPill's refusal as Pillbox answers it: the same meaning, with the status the SDKs expect, and
 * never a word about the company key (a 401 or an empty account upstream is Pillbox's problem, not
 * the caller's: 502). Messages pass through redact(), in case RedPill ever echoes the key.
 */
export async function upstreamFailure(response: Response): Promise<AppError> {
  let body: UpstreamErrorBody = {};
  try {
    body = (await response.json()) as UpstreamErrorBody;
  } catch {
    // not JSON: the status speaks for itself
  }
  const message = text(body.error?.message);
  const code = text(body.error?.code);
  const param = text(body.error?.param);
  const said = (fallback: string) => redact(message ?? fallback);
  const status = response.status;
  if (status === 401) {
    return new AppError("upstream:upstream", UPSTREAM_KEY_REJECTED, {
      details: { openaiCode: "upstream_unauthorized" },
    });
  }
  if (status === 402 || status === 403) {
    return new AppError("upstream:upstream", "The team's RedPill account is out of credits. Ask an admin to top it up.", {
      details: { openaiCode: "upstream_out_of_credits" },
    });
  }
  if (status === 404) return new AppError("not_found:model", said("RedPill does not know this model."), { details: { openaiCode: code ?? "model_not_found" } });
  if (status === 429) {
    const retryAfter = response.headers.get("retry-after");
    return new AppError("rate_limit:upstream", said("RedPill is rate limiting requests."), {
      headers: retryAfter ? { "retry-after": retryAfter } : {},
      details: { openaiCode: code ?? "upstream_rate_limited" },
    });
  }
  if (status >= 400 && status < 500) {
    return new AppError("bad_request:upstream", said("RedPill refused the request as invalid."), {
      details: { openaiCode: code ?? "invalid_request", ...(param ? { param } : {}) },
    });
  }
  const type = status === 503 ? "unavailable" : status === 504 ? "timeout" : "upstream";
  return new AppError(`${type}:upstream`, said(`RedPill had a problem (${status}). Try again in a moment.`), {
    details: { openaiCode: code ?? "upstream_error" },
  });
}
