import type { Figures, TargetName } from "./measure";
import { fmt, table } from "./stats";

export interface Round {
  database: string;
  figures: Figures[];
  /** 1-minute load averages sampled at every phase. */
  load: number[];
}

const find = (r: Round, target: TargetName, c: number) => r.figures.find((f) => f.target === target && f.c === c);

/** One row per concurrency and target. */
export function figuresTable(round: Round, markdown: boolean): string {
  const header = ["C", "target", "ok/err", "TTFT p50", "TTFT p99", "CPU ms/req", "RSS KiB/stream", "gap p50", "gap p99", "batched", "fake ms/req", "client ms/req"];
  const rows = round.figures.map((f) => [
    String(f.c),
    f.target,
    `${f.requests - f.errors}/${f.errors}`,
    fmt(f.ttftP50, 2),
    fmt(f.ttftP99, 2),
    fmt(f.cpuMsPerRequest, 2),
    fmt(f.rssKiBPerStream, 1),
    fmt(f.gapP50, 2),
    fmt(f.gapP99, 2),
    String(f.batched),
    fmt(f.fakeCpuMsPerRequest, 2),
    fmt(f.clientCpuMsPerRequest, 2),
  ]);
  if (!markdown) return table([header, ...rows]);
  return [header, header.map((_, i) => (i < 2 ? "---" : "---:")), ...rows].map((row) => `| ${row.join(" | ")} |`).join("\n");
}

interface Goal {
  name: string;
  pillbox: number | null;
  bare: number | null;
  /** The compared value: a ratio (×) or a difference (ms). */
  value: number | null;
  unit: "×" | "ms" | "";
  limit: number;
}

function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  return a === null || a === undefined || b === null || b === undefined || b <= 0 ? null : a / b;
}

function cpuPerRequest(round: Round, target: TargetName): number | null {
  const measured = round.figures.filter((f) => f.target === target && f.cpuMsPerRequest !== null);
  const requests = measured.reduce((n, f) => n + f.cpuRequests, 0);
  return requests ? measured.reduce((ms, f) => ms + f.cpuMsPerRequest! * f.cpuRequests, 0) / requests : null;
}

/** The goals, each as measured in this round. */
export function goals(round: Round): Goal[] {
  const cs = [...new Set(round.figures.map((f) => f.c))];
  const largest = Math.max(...cs.filter((c) => c > 1));
  const [p200, b200] = [find(round, "pillbox", 200), find(round, "bare", 200)];
  const [p1, b1, d1] = [find(round, "pillbox", 1), find(round, "bare", 1), find(round, "direct", 1)];
  const [pBig, bBig] = [find(round, "pillbox", largest), find(round, "bare", largest)];
  const added = (f: Figures | undefined, key: "ttftP50" | "gapP99") => (f && d1 ? f[key] - d1[key] : null);
  const difference = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  const cpu = [cpuPerRequest(round, "pillbox"), cpuPerRequest(round, "bare")] as const;
  return [
    { name: "CPU per request, all measured requests", pillbox: cpu[0], bare: cpu[1], value: ratio(...cpu), unit: "×", limit: 1.5 },
    { name: "TTFT p50 at C=200", pillbox: p200?.ttftP50 ?? null, bare: b200?.ttftP50 ?? null, value: ratio(p200?.ttftP50, b200?.ttftP50), unit: "×", limit: 1.3 },
    { name: "TTFT p99 at C=200", pillbox: p200?.ttftP99 ?? null, bare: b200?.ttftP99 ?? null, value: ratio(p200?.ttftP99, b200?.ttftP99), unit: "×", limit: 1.5 },
    { name: "errors at C=500", pillbox: find(round, "pillbox", 500)?.errors ?? null, bare: find(round, "bare", 500)?.errors ?? null, value: find(round, "pillbox", 500)?.errors ?? null, unit: "", limit: 0 },
    { name: "added TTFT p50 at C=1 (vs direct)", pillbox: added(p1, "ttftP50"), bare: added(b1, "ttftP50"), value: difference(added(p1, "ttftP50"), added(b1, "ttftP50")), unit: "ms", limit: 3 },
    { name: `RSS growth per open stream at C=${Number.isFinite(largest) ? largest : "—"}`, pillbox: pBig?.rssKiBPerStream ?? null, bare: bBig?.rssKiBPerStream ?? null, value: ratio(pBig?.rssKiBPerStream, bBig?.rssKiBPerStream), unit: "×", limit: 1.5 },
    { name: "added chunk gap p99 at C=1 (vs direct)", pillbox: added(p1, "gapP99"), bare: added(b1, "gapP99"), value: added(p1, "gapP99"), unit: "ms", limit: 1 },
    ...gatewayGoals(round),
  ];
}

/** Issue 11's goals for the OpenAI-compatible API (the "gateway" target): the first column is the gateway's figure. */
function gatewayGoals(round: Round): Goal[] {
  const [g1, b1, d1] = [find(round, "gateway", 1), find(round, "bare", 1), find(round, "direct", 1)];
  const [g200, b200] = [find(round, "gateway", 200), find(round, "bare", 200)];
  if (!g1 && !g200) return [];
  const added = (f: Figures | undefined) => (f && d1 ? f.ttftP50 - d1.ttftP50 : null);
  const cpu = [cpuPerRequest(round, "gateway"), cpuPerRequest(round, "bare")] as const;
  const addedG = added(g1);
  const addedB = added(b1);
  return [
    { name: "gateway: added TTFT p50 at C=1 (vs direct)", pillbox: addedG, bare: addedB, value: addedG === null || addedB === null ? null : addedG - addedB, unit: "ms", limit: 1.5 },
    { name: "gateway: CPU per request, all measured requests", pillbox: cpu[0], bare: cpu[1], value: ratio(...cpu), unit: "×", limit: 1.3 },
    { name: "gateway: TTFT p50 at C=200", pillbox: g200?.ttftP50 ?? null, bare: b200?.ttftP50 ?? null, value: ratio(g200?.ttftP50, b200?.ttftP50), unit: "×", limit: 1.2 },
  ];
}

export function goalsTable(round: Round, markdown: boolean): string {
  const header = ["goal", "pillbox/gateway", "bare", "checked", "limit", "met"];
  const rows = goals(round).map((g) => [
    g.name,
    fmt(g.pillbox, 2),
    fmt(g.bare, 2),
    g.value === null ? "—" : `${g.unit === "ms" && g.value >= 0 ? "+" : ""}${fmt(g.value, 2)}${g.unit === "×" ? "×" : g.unit === "ms" ? " ms" : ""}`,
    `≤ ${g.unit === "ms" ? "+" : ""}${g.limit}${g.unit === "×" ? "×" : g.unit === "ms" ? " ms" : ""}`,
    g.value === null ? "n/a" : g.value <= g.limit ? "✓" : "✗",
  ]);
  if (!markdown) return table([header, ...rows]);
  return [header, header.map((_, i) => (i === 0 ? "---" : "---:")), ...rows].map((row) => `| ${row.join(" | ")} |`).join("\n");
}

export function loadSummary(round: Round): string {
  const load = round.load;
  return load.length ? `load average (1 min) ${fmt(Math.min(...load), 2)}–${fmt(Math.max(...load), 2)}` : "";
}
