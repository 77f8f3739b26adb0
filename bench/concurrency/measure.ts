import { burst, stream, type StreamResult, type Target } from "./client";
import { cpuMs, rssKiB, sampleRss, settled } from "./proc";
import { percentile, sum } from "./stats";

export type TargetName = Target["name"];

/** What one target did at one concurrency. */
export interface Figures {
  target: TargetName;
  c: number;
  requests: number;
  errors: number;
  /** Up to three distinct problems, for the report. */
  problems: string[];
  ttftP50: number;
  ttftP99: number;
  /** Server process CPU (user + system) per request; null for direct (no server between). */
  cpuMsPerRequest: number | null;
  /** The requests that CPU figure is over (C = 1: the fast sequential streams only). */
  cpuRequests: number;
  /** The fake RedPill's CPU per request (null where the phase mixes targets). */
  fakeCpuMsPerRequest: number | null;
  /** The benchmark client's own CPU per request (null where the phase mixes targets). */
  clientCpuMsPerRequest: number | null;
  /** (peak RSS while the streams were open − RSS before) / streams. */
  rssKiBPerStream: number | null;
  gapP50: number;
  gapP99: number;
  /** Content chunks of the slow streams that came less than half a gap after the one before (held back, then sent together). */
  batched: number;
}

export interface Workload {
  tokens: number;
  gapMs: number;
  /** Sequential fast streams per target for the C = 1 time to first token and CPU. */
  sequential: number;
  /** Sequential slow streams per target for the C = 1 chunk gaps and memory. */
  gapRuns: number;
  fakePid: number;
  /** Called with [start, end] (µs, monotonic, as in .cpuprofile) of every measured Pillbox phase. */
  onPillboxWindow(startUs: number, endUs: number): void;
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);
const slowPrompt = (w: Workload) => `[[fake:tokens ${w.tokens} ${w.gapMs}]] Benchmark: explain confidential computing.`;
const fastPrompt = (w: Workload) => `[[fake:tokens ${w.tokens} 0]] Benchmark: explain confidential computing.`;
const timeoutMs = (w: Workload) => w.tokens * w.gapMs * 3 + 60_000;

function distinct(results: StreamResult[]): string[] {
  return [...new Set(results.flatMap((r) => (r.problem ? [r.problem] : [])))].slice(0, 3);
}

function ttfts(results: StreamResult[]): number[] {
  return results.flatMap((r) => (r.ttftMs === null ? [] : [r.ttftMs]));
}

interface Usage {
  cpu: number;
  fake: number;
  client: number;
}

function usage(target: Target, fakePid: number): Usage {
  const client = process.cpuUsage();
  return { cpu: target.pid ? cpuMs(target.pid) : 0, fake: cpuMs(fakePid), client: (client.user + client.system) / 1000 };
}

/** Warm-up: JIT, connection pools, route compilation, Pillbox's caches. Not measured. */
export async function warmUp(targets: Target[], w: Workload, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) for (const t of targets) await stream(t, fastPrompt(w), w.tokens, timeoutMs(w));
  const short = fastPrompt(w).replace(" 0]]", " 20]]");
  for (const t of targets) await burst(t, Math.min(50, Math.max(10, rounds)), short, w.tokens, timeoutMs(w));
}

/** C concurrent slow streams to one target, started at once. */
export async function concurrent(target: Target, c: number, w: Workload): Promise<Figures> {
  if (target.pid) await settled(target.pid);
  const before = usage(target, w.fakePid);
  const rssBefore = target.pid ? rssKiB(target.pid) : null;
  const sampler = target.pid ? sampleRss(target.pid) : null;
  const startUs = nowUs();
  const results = await burst(target, c, slowPrompt(w), w.tokens, timeoutMs(w));
  const peak = sampler?.stop() ?? null;
  // Pillbox writes the reply and settles the usage row after the stream: that is part of a request.
  if (target.pid) await settled(target.pid);
  if (target.name === "pillbox") w.onPillboxWindow(startUs, nowUs());
  const after = usage(target, w.fakePid);
  const gaps = results.flatMap((r) => r.gapsMs);
  return {
    target: target.name,
    c,
    requests: c,
    errors: results.filter((r) => r.problem).length,
    problems: distinct(results),
    ttftP50: percentile(ttfts(results), 50),
    ttftP99: percentile(ttfts(results), 99),
    cpuMsPerRequest: target.pid ? (after.cpu - before.cpu) / c : null,
    cpuRequests: c,
    fakeCpuMsPerRequest: (after.fake - before.fake) / c,
    clientCpuMsPerRequest: (after.client - before.client) / c,
    rssKiBPerStream: peak !== null && rssBefore !== null ? (peak - rssBefore) / c : null,
    gapP50: percentile(gaps, 50),
    gapP99: percentile(gaps, 99),
    batched: gaps.filter((g) => g < w.gapMs / 2).length,
  };
}

/**
 * C = 1: `sequential` fast streams per target, interleaved (direct, bare, pillbox, direct, …) so
 * that the machine's other load hits all three alike, for time to first token and CPU; then
 * `gapRuns` slow streams per target, one at a time, for the gaps between chunks and memory.
 */
export async function oneAtATime(targets: Target[], w: Workload): Promise<Figures[]> {
  for (const t of targets) if (t.pid) await settled(t.pid);
  const fast = new Map<TargetName, StreamResult[]>(targets.map((t) => [t.name, []]));
  // Per target, around each of its streams: two targets (POST /api/chat and /api/v1) share one process.
  const cpuSpent = targets.map(() => 0);
  const startUs = nowUs();
  for (let i = 0; i < w.sequential; i++) {
    for (const [index, t] of targets.entries()) {
      const before = t.pid ? cpuMs(t.pid) : 0;
      fast.get(t.name)!.push(await stream(t, fastPrompt(w), w.tokens, timeoutMs(w)));
      if (t.pid) cpuSpent[index]! += cpuMs(t.pid) - before;
    }
  }
  for (const t of targets) if (t.pid) await settled(t.pid);
  w.onPillboxWindow(startUs, nowUs());

  const figures: Figures[] = [];
  for (const [index, t] of targets.entries()) {
    const slow: StreamResult[] = [];
    const growth: number[] = [];
    for (let i = 0; i < w.gapRuns; i++) {
      if (t.pid) await settled(t.pid);
      const rssBefore = t.pid ? rssKiB(t.pid) : 0;
      const sampler = t.pid ? sampleRss(t.pid) : null;
      const gapStartUs = nowUs();
      slow.push(await stream(t, slowPrompt(w), w.tokens, timeoutMs(w)));
      if (sampler) growth.push(sampler.stop() - rssBefore);
      if (t.name === "pillbox") w.onPillboxWindow(gapStartUs, nowUs());
    }
    const all = [...fast.get(t.name)!, ...slow];
    const gaps = slow.flatMap((r) => r.gapsMs);
    figures.push({
      target: t.name,
      c: 1,
      requests: all.length,
      errors: all.filter((r) => r.problem).length,
      problems: distinct(all),
      ttftP50: percentile(ttfts(fast.get(t.name)!), 50),
      ttftP99: percentile(ttfts(fast.get(t.name)!), 99),
      cpuMsPerRequest: t.pid ? cpuSpent[index]! / w.sequential : null,
      cpuRequests: w.sequential,
      fakeCpuMsPerRequest: null,
      clientCpuMsPerRequest: null,
      rssKiBPerStream: growth.length ? sum(growth) / growth.length : null,
      gapP50: percentile(gaps, 50),
      gapP99: percentile(gaps, 99),
      batched: gaps.filter((g) => g < w.gapMs / 2).length,
    });
  }
  return figures;
}
