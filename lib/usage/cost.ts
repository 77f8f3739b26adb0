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

/**
 * A prompt's tokens as the reservation counts them: on the high side (3 characters a token, plus
 * each message's framing), so a call's hold rarely falls short of what it really costs.
 */
export function estimatePromptTokens(messages: string[]): number {
  const chars = messages.reduce((sum, text) => sum + text.length, 0);
  return Math.ceil(chars / 3) + 4 * messages.length + 8;
}
