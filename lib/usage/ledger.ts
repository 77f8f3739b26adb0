import "server-only";
import type { Model } from "@/lib/db/generated/client";
import type { UsageStatus } from "@/lib/db/generated/enums";
import { recordUsage } from "@/lib/db/usage";
import { costUsd, type TokenCounts } from "@/lib/usage/cost";

export interface CallOutcome {
  userId: string;
  chatId: string | null;
  messageId: string | null;
  model: Pick<Model, "id" | "promptPrice" | "completionPrice">;
  tokens: TokenCounts;
  usageEstimated: boolean;
  ttftMs: number | null;
  durationMs: number;
  status: UsageStatus;
  errorCode: string | null;
  upstreamId: string | null;
}

/** Writes the one usage row of an upstream call, priced with the model's current prices. */
export function recordCall(outcome: CallOutcome) {
  return recordUsage({
    userId: outcome.userId,
    chatId: outcome.chatId,
    messageId: outcome.messageId,
    modelId: outcome.model.id,
    promptTokens: outcome.tokens.promptTokens,
    completionTokens: outcome.tokens.completionTokens,
    usageEstimated: outcome.usageEstimated,
    costUsd: costUsd(outcome.tokens, outcome.model),
    ttftMs: outcome.ttftMs === null ? null : Math.round(outcome.ttftMs),
    durationMs: Math.round(outcome.durationMs),
    status: outcome.status,
    errorCode: outcome.errorCode,
    upstreamId: outcome.upstreamId,
  });
}
