import "server-only";
import { reserveWithinBudgets, type BudgetWarning } from "@/lib/budgets/enforce";
import { calendarStarts } from "@/lib/budgets/periods";
import { pruneWindows } from "@/lib/db/rate-limit";
import type { Budget, Model } from "@/lib/db/generated/client";
import { settleUsageRow, sweepPendingUsage, type SettledValues } from "@/lib/db/usage";
import { rollUpUsage } from "@/lib/db/usage-rollup";
import { log } from "@/lib/log";
import { costUsd, type TokenCounts } from "@/lib/usage/cost";
import { countTokens } from "@/lib/usage/rate-limits";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

type PricedModel = Pick<Model, "id" | "promptPrice" | "completionPrice">;

export interface Reservation {
  userId: string;
  groupIds: string[];
  chatId: string | null;
  /** the personal API key the call came through (null or absent: the web app) */
  apiKeyId?: string | null;
  model: PricedModel;
  /** tokens the prompt is estimated at, and the most the reply may produce */
  promptTokens: number;
  maxOutputTokens: number;
  timeZone: string;
  /** The budgets that bind the caller, when already read with the request's other checks. */
  budgets?: Budget[];
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
 * budget that binds the caller — or 402 when one has nothing left.
 */
export async function reserveCall(reservation: Reservation): Promise<ReservedCall> {
  const { model } = reservation;
  const maxCost = costUsd({ promptTokens: reservation.promptTokens, completionTokens: reservation.maxOutputTokens }, model);
  const id = crypto.randomUUID();
  const { createdAt, warnings } = await reserveWithinBudgets(
    {
      id,
      userId: reservation.userId,
      groupIds: reservation.groupIds,
      chatId: reservation.chatId,
      apiKeyId: reservation.apiKeyId ?? null,
      modelId: model.id,
      promptPrice: model.promptPrice,
      completionPrice: model.completionPrice,
    },
    { maxCost, timeZone: reservation.timeZone, budgets: reservation.budgets },
  );
  return { id, userId: reservation.userId, groupIds: reservation.groupIds, createdAt, timeZone: reservation.timeZone, warnings };
}

export interface CallOutcome {
  model: PricedModel;
  messageId: string | null;
  tokens: TokenCounts & { cachedTokens?: number | null; reasoningTokens?: number | null };
  usageEstimated: boolean;
  ttftMs: number | null;
  durationMs: number;
  status: SettledValues["status"];
  errorCode: string | null;
  upstreamId: string | null;
}

/** Settles a reserved row to what the call really cost (exact decimal arithmetic), budgets included. */
export async function settleCall(call: ReservedCall, outcome: CallOutcome, { countTokensPerMinute = false } = {}) {
  await settleUsageRow(
    call.id,
    {
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
    },
    calendarStarts(call.timeZone, call.createdAt),
  );
  if (countTokensPerMinute) {
    await countTokens({ userId: call.userId, tokens: outcome.tokens.promptTokens + outcome.tokens.completionTokens });
  }
}

/**
 * Settles rows a crash or restart left pending for longer than `idleMs`, drops spent rate windows,
 * and adds the rows that became final to the usage dashboard's daily rollup.
 */
export async function sweepAbandonedCalls({ idleMs }: { idleMs: number }): Promise<number> {
  const count = await sweepPendingUsage({ before: new Date(Date.now() - idleMs) });
  if (count > 0) log.warn("settled usage rows left pending by an interrupted call", { count });
  await pruneWindows();
  const rollup = await rollUpUsage({ timeZone: (await getWorkspaceSettings()).timeZone });
  if (rollup.rebuilt) log.info("rebuilt the daily usage rollup for a new time zone");
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
