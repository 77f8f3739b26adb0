import "server-only";
import { reserveWithinBudgets, settleBudgets, type BudgetWarning } from "@/lib/budgets/enforce";
import { db } from "@/lib/db/client";
import { dropExpiredCounters } from "@/lib/db/counters";
import { Prisma, type Model } from "@/lib/db/generated/client";
import type { UsageStatus } from "@/lib/db/generated/enums";
import { insertPendingUsage, lockUnsettledUsage, sweepPendingUsage, updateUsage } from "@/lib/db/usage";
import { log } from "@/lib/log";
import { costUsd, type TokenCounts } from "@/lib/usage/cost";
import { countTokens } from "@/lib/usage/rate-limits";

type PricedModel = Pick<Model, "id" | "promptPrice" | "completionPrice">;

export interface Reservation {
  userId: string;
  groupIds: string[];
  chatId: string | null;
  model: PricedModel;
  /** tokens the prompt is estimated at, and the most the reply may produce */
  promptTokens: number;
  maxOutputTokens: number;
  timeZone: string;
}

export interface ReservedCall {
  id: string;
  userId: string;
  groupIds: string[];
  createdAt: Date;
  timeZone: string;
  warnings: BudgetWarning[];
}

/**
 * Writes the call's usage row as `pending` before anything goes upstream, holding the most the call
 * can cost (its prompt estimate plus its max output tokens, at the model's prices now) against every
 * budget that binds the caller — or 402 when one has nothing left. One transaction: the row and the
 * budgets' holds exist together or not at all.
 */
export function reserveCall(reservation: Reservation): Promise<ReservedCall> {
  const { model } = reservation;
  const maxCost = costUsd(
    { promptTokens: reservation.promptTokens, completionTokens: reservation.maxOutputTokens },
    model,
  );
  return db.$transaction(async (tx) => {
    const { reserve, warnings } = await reserveWithinBudgets(tx, {
      userId: reservation.userId,
      groupIds: reservation.groupIds,
      maxCost,
      timeZone: reservation.timeZone,
    });
    const row = await insertPendingUsage(tx, {
      userId: reservation.userId,
      groupIds: reservation.groupIds,
      chatId: reservation.chatId,
      modelId: model.id,
      promptTokens: 0,
      completionTokens: 0,
      promptPrice: model.promptPrice,
      completionPrice: model.completionPrice,
      reservedUsd: reserve,
      costUsd: 0,
      durationMs: 0,
    });
    return { ...row, userId: reservation.userId, groupIds: reservation.groupIds, timeZone: reservation.timeZone, warnings };
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

/**
 * Settles a reserved row to what the call really cost (exact decimal arithmetic) and moves the
 * budgets' holds from the reservation to that cost, in one transaction.
 */
export async function settleCall(call: ReservedCall, outcome: CallOutcome, { countTokensPerMinute = false } = {}) {
  const cost = costUsd(outcome.tokens, outcome.model);
  await db.$transaction(async (tx) => {
    const row = await lockUnsettledUsage(tx, { id: call.id });
    if (!row) return;
    // A swept row already counts at its reservation, exactly like a pending one.
    const held = new Prisma.Decimal(row.status === "pending" ? row.reservedUsd : row.costUsd);
    await updateUsage(tx, {
      id: call.id,
      messageId: outcome.messageId,
      promptTokens: outcome.tokens.promptTokens,
      completionTokens: outcome.tokens.completionTokens,
      cachedTokens: outcome.tokens.cachedTokens ?? null,
      reasoningTokens: outcome.tokens.reasoningTokens ?? null,
      usageEstimated: outcome.usageEstimated,
      costUsd: cost,
      ttftMs: outcome.ttftMs === null ? null : Math.round(outcome.ttftMs),
      durationMs: Math.round(outcome.durationMs),
      status: outcome.status,
      errorCode: outcome.errorCode,
      upstreamId: outcome.upstreamId,
    });
    await settleBudgets(tx, {
      userId: call.userId,
      groupIds: call.groupIds,
      createdAt: call.createdAt,
      delta: cost.sub(held),
      timeZone: call.timeZone,
    });
  });
  if (countTokensPerMinute) {
    await countTokens({ userId: call.userId, tokens: outcome.tokens.promptTokens + outcome.tokens.completionTokens });
  }
}

/** Settles rows a crash or restart left pending for longer than `idleMs`; drops spent rate windows. */
export async function sweepAbandonedCalls({ idleMs }: { idleMs: number }): Promise<number> {
  const count = await sweepPendingUsage({ before: new Date(Date.now() - idleMs) });
  if (count > 0) log.warn("settled usage rows left pending by an interrupted call", { count });
  await dropExpiredCounters({ before: new Date(Date.now() - 60_000) });
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
