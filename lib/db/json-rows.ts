import "server-only";
import { Prisma, type Budget, type Model } from "@/lib/db/generated/client";

/**
 * Rows that a one-round-trip query returns as JSON (lib/db/chat-preflight.ts,
 * lib/db/gateway-preflight.ts), turned back into the Prisma types: timestamps and decimals arrive
 * as text.
 */

// Timestamps are `timestamp(3)` in UTC; JSON renders them without a zone.
export type Stamp = string;
export const date = (value: Stamp) => new Date(`${value}Z`);
export const maybeDate = (value: Stamp | null) => (value === null ? null : date(value));

/** T as its JSON row: the `Dates` columns as timestamps' text, the `Decimals` as numbers' text. */
export type Json<T, Dates extends keyof T, Decimals extends keyof T = never> = Omit<T, Dates | Decimals> & {
  [K in Dates]: null extends T[K] ? Stamp | null : Stamp;
} & { [K in Decimals]: string };

export type ModelJson = Json<Model, "syncedAt" | "createdAt" | "updatedAt", "promptPrice" | "completionPrice">;
export type BudgetJson = Json<Budget, "createdAt" | "updatedAt", "amountUsd">;

/** A "Model" row `m` as the JSON object modelFromJson reads. */
export const MODEL_JSON = Prisma.sql`jsonb_build_object(
          'id', m."id", 'name', m."name", 'displayName', m."displayName", 'contextLength', m."contextLength",
          'promptPrice', m."promptPrice"::text, 'completionPrice', m."completionPrice"::text,
          'inputModalities', m."inputModalities", 'isTee', m."isTee", 'enabled', m."enabled",
          'syncedAt', m."syncedAt", 'createdAt', m."createdAt", 'updatedAt', m."updatedAt")`;

/** A "Budget" row `b` as the JSON object budgetFromJson reads. */
export const BUDGET_JSON = Prisma.sql`jsonb_build_object(
          'id', b."id", 'scope', b."scope", 'targetId', b."targetId", 'amountUsd', b."amountUsd"::text,
          'period', b."period", 'warnPercent', b."warnPercent", 'createdAt', b."createdAt", 'updatedAt', b."updatedAt")`;

export const modelFromJson = (model: ModelJson): Model => ({
  ...model,
  promptPrice: new Prisma.Decimal(model.promptPrice),
  completionPrice: new Prisma.Decimal(model.completionPrice),
  syncedAt: date(model.syncedAt),
  createdAt: date(model.createdAt),
  updatedAt: date(model.updatedAt),
});

export const budgetFromJson = (budget: BudgetJson): Budget => ({
  ...budget,
  amountUsd: new Prisma.Decimal(budget.amountUsd),
  createdAt: date(budget.createdAt),
  updatedAt: date(budget.updatedAt),
});
