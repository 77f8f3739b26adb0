import "server-only";
import { AppError } from "@/lib/errors";
import type { StreamUsage } from "@/lib/gateway/sse-usage";
import { shutdownSignal } from "@/lib/server/shutdown";
import type { CallOutcome } from "@/lib/usage/ledger";

/** How an API call ended, as its usage row is settled (lib/gateway/completions.ts fills in the rest). */
export interface Settlement {
  status: CallOutcome["status"];
  errorCode: string | null;
  tokens: CallOutcome["tokens"] | null;
  /** completion tokens to estimate when none were reported */
  estimatedCompletion: number;
  upstreamId: string | null;
  firstByteAt: number | null;
}

/** RedPill's usage object as the ledger counts it, or null when it reported none. */
export function tokensOf(usage: StreamUsage | null | undefined): CallOutcome["tokens"] | null {
  if (!usage || (usage.prompt_tokens === undefined && usage.completion_tokens === undefined)) return null;
  return {
    promptTokens: usage.prompt_tokens ?? 0,
    completionTokens: usage.completion_tokens ?? 0,
    cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? null,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? null,
  };
}

/** Why a call that did not finish stopped: the client left, the server is shutting down, or RedPill failed. */
export function abortCode(request: Request, error: unknown): string {
  if (request.signal.aborted) return "client_aborted";
  if (shutdownSignal().aborted) return "server_shutdown";
  return error instanceof AppError ? String(error.details.openaiCode ?? error.code) : "upstream_unreachable";
}
