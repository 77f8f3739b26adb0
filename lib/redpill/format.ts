/** Display helpers shared by the model picker and Admin → Models. Safe in the browser. */

/** 131072 → "131K", 1048576 → "1M", null → "—" */
export function formatContext(tokens: number | null): string {
  if (!tokens) return "—";
  if (tokens >= 1_000_000) return `${Number((tokens / 1_000_000).toFixed(1))}M`;
  return `${Math.round(tokens / 1000)}K`;
}

/** USD per token (as a decimal string) → USD per million tokens, e.g. "0.000003" → "$3.00". */
export function formatPerMillion(perToken: string | { toString(): string }): string {
  const value = Number(String(perToken)) * 1e6;
  if (!Number.isFinite(value) || value === 0) return "free";
  return `$${value >= 0.01 ? value.toFixed(2) : Number(value.toPrecision(2))}`;
}

/** "Anthropic: Claude Sonnet 4.5" → "Claude Sonnet 4.5" (the picker already groups by provider). */
export const withoutProviderPrefix = (name: string): string => name.replace(/^[^:/]{1,40}:\s+/, "");
