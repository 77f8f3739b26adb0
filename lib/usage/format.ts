/** Display helpers shared by the usage pages (client-safe). */
export function formatUsd(value: string | number): string {
  const n = Number(value);
  return n === 0 ? "$0" : Math.abs(n) < 0.01 ? `$${n.toFixed(6)}` : `$${n.toFixed(n < 100 ? 4 : 2)}`;
}

export const formatCount = (n: number) => n.toLocaleString("en-US");

export const formatMs = (ms: number | null) =>
  ms === null ? "—" : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;

export const formatPercent = (rate: number) => `${(rate * 100).toFixed(rate > 0 && rate < 0.1 ? 2 : 1)}%`;
