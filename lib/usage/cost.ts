import { Prisma } from "@/lib/db/generated/client";

export interface TokenCounts {
  promptTokens: number;
  completionTokens: number;
}

export interface ModelPrices {
  promptPrice: Prisma.Decimal | string;
  completionPrice: Prisma.Decimal | string;
}

/** USD cost of a call: tokens × the model's per-token prices, in exact decimal arithmetic. */
export function costUsd(tokens: TokenCounts, prices: ModelPrices): Prisma.Decimal {
  return new Prisma.Decimal(prices.promptPrice)
    .mul(tokens.promptTokens)
    .add(new Prisma.Decimal(prices.completionPrice).mul(tokens.completionTokens));
}

/** Rough token count for text the upstream never reported usage for (~4 characters a token). */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}
