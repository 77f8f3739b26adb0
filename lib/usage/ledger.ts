import "server-only";
import type { Model } from "@/lib/db/generated/client";
import type { UsageStatus } from "@/lib/db/generated/enums";
import { insertPendingUsage, settleUsage, sweepPendingUsage } from "@/lib/db/usage";
import { log } from "@/lib/log";
import { costUsd, type TokenCounts } from "@/lib/usage/cost";

type PricedModel = Pick<Model, "id" | "promptPrice" | "completionPrice">;

export interface Reservation {
  userId: string;
  groupIds: string[];
  chatId: string | null;
  model: PricedModel;
  /** tokens the prompt is estimated at, and the most the reply may produce */
  promptTokens: number;
  maxOutputTokens: number;
}

/**
 * Writes the call's usage row as `pending` before anything goes upstream, holding the most the call
 * can cost: its prompt estimate plus its max output tokens, at the model's prices now.
 */
export async function reserveCall(reservation: Reservation): Promise<{ id: string }> {
  const { model } = reservation;
  return insertPendingUsage({
    userId: reservation.userId,
    groupIds: reservation.groupIds,
    chatId: reservation.chatId,
    modelId: model.id,
    promptTokens: 0,
    completionTokens: 0,
    promptPrice: model.promptPrice,
    completionPrice: model.completionPrice,
    reservedUsd: costUsd(
      { promptTokens: reservation.promptTokens, completionTokens: reservation.maxOutputTokens },
      model,
    ),
    costUsd: 0,
    durationMs: 0,
  });
}

export interface CallOutcome {
  model: PricedModel;
  messageId: string | null;
  tokens: TokenCounts & { cachedTokens?: number | null; reasoningTokens?: number | null };
  usageEstimated: boolean;
  ttftMs: number | null;
  durationMs: number;
  status: Exclude<UsageStatus, "pending">;
  errorCode: string | null;
  upstreamId: string | null;
}

/** Settles a reserved row to what the call really cost, in exact decimal arithmetic. */
export function settleCall(id: string, outcome: CallOutcome) {
  return settleUsage({
    id,
    messageId: outcome.messageId,
    promptTokens: outcome.tokens.promptTokens,
    completionTokens: outcome.tokens.completionTokens,
    cachedTokens: outcome.tokens.cachedTokens ?? null,
    reasoningTokens: outcome.tokens.reasoningTokens ?? null,
    usageEstimated: outcome.usageEstimated,
    costUsd: costUsd(outcome.tokens, outcome.model),
    ttftMs: outcome.ttftMs === null ? null : Math.round(outcome.ttftMs),
    durationMs: Math.round(outcome.durationMs),
    status: outcome.status,
    errorCode: outcome.errorCode,
    upstreamId: outcome.upstreamId,
  });
}

/** Settles rows a crash or restart left pending for longer than `idleMs`. */
export async function sweepAbandonedCalls({ idleMs }: { idleMs: number }): Promise<number> {
  const count = await sweepPendingUsage({ before: new Date(Date.now() - idleMs) });
  if (count > 0) log.warn("settled usage rows left pending by an interrupted call", { count });
  return count;
}

const globalForSweeper = globalThis as unknown as { pillboxUsageSweeper?: NodeJS.Timeout };

/** Sweeps now and then every `idleMs` (at least every minute), for as long as the process runs. */
export function startUsageSweeper({ idleMs }: { idleMs: number }): void {
  const sweep = () => sweepAbandonedCalls({ idleMs }).catch((err: unknown) => log.warn("usage sweep failed", { err }));
  void sweep();
  if (globalForSweeper.pillboxUsageSweeper) return;
  globalForSweeper.pillboxUsageSweeper = setInterval(sweep, Math.min(idleMs, 60_000)).unref();
}
