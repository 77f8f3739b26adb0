/**
 * npm run bench:sequential [-- --n 200 --db embedded|postgres|both]
 *
 * Streams N replies through POST /api/chat (signed in, real database writes: chat, user message,
 * assistant message, usage row) and N straight from the fake RedPill in the same run,
 * interleaved, and prints the time to first token each way, the added latency and the
 * throughput ratio. Not a test: numbers depend on the machine; see bench/RESULTS.md.
 */
import { parseArgs } from "node:util";
import { startAppServer, type AppServer, type DatabaseKind } from "../tests/support/app-server";
import { TEST_REDPILL_KEY } from "../tests/support/constants";
import { chatBody, setUpAdmin } from "../tests/support/fixtures";
import { postgresReachable } from "../tests/support/postgres";
import type { Session } from "../tests/support/session";

const MODEL = "anthropic/claude-sonnet-4.5";
const PROMPT = "Benchmark: explain confidential computing in one paragraph.";

interface Timing {
  ttftMs: number;
  totalMs: number;
  chars: number;
}

async function timeStream(response: Promise<Response>, isFirstToken: (line: string) => boolean): Promise<Timing> {
  const start = performance.now();
  const res = await response;
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let ttft = -1;
  let chars = 0;
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    chars += value.length;
    if (ttft < 0) {
      buffer += value;
      if (buffer.split("\n").some(isFirstToken)) ttft = performance.now() - start;
    }
  }
  return { ttftMs: ttft, totalMs: performance.now() - start, chars };
}

function direct(app: AppServer): Promise<Timing> {
  const body = {
    model: MODEL,
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: 4096,
    messages: [{ role: "user", content: PROMPT }],
  };
  const started = performance.now();
  return timeStream(
    fetch(`${app.fake!.url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TEST_REDPILL_KEY}` },
      body: JSON.stringify(body),
    }),
    (line) => line.startsWith("data: {") && /"content":"[^"]/.test(line),
  ).then((t) => ({ ...t, totalMs: performance.now() - started }));
}

function viaApp(session: Session): Promise<Timing> {
  return timeStream(session.postJson("/api/chat", chatBody(PROMPT, MODEL)), (line) => line.includes('"type":"text-delta"'));
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

async function run(database: DatabaseKind, n: number) {
  const app = await startAppServer({ database });
  try {
    const session = await setUpAdmin(app);
    for (let i = 0; i < 20; i++) {
      await direct(app);
      await viaApp(session); // warm-up: JIT, connection pools, route compilation
    }
    const d: Timing[] = [];
    const a: Timing[] = [];
    const started = { direct: 0, app: 0 };
    for (let i = 0; i < n; i++) {
      let t = performance.now();
      d.push(await direct(app));
      started.direct += performance.now() - t;
      t = performance.now();
      a.push(await viaApp(session));
      started.app += performance.now() - t;
    }
    const ttft = (xs: Timing[], p: number) => percentile(xs.map((x) => x.ttftMs), p);
    const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
    console.log(`\n== ${database} database, ${n} sequential streams (one at a time) ==`);
    console.log(`direct to fake  TTFT p50 ${fmt(ttft(d, 50))}  p99 ${fmt(ttft(d, 99))}`);
    console.log(`via /api/chat   TTFT p50 ${fmt(ttft(a, 50))}  p99 ${fmt(ttft(a, 99))}`);
    console.log(`added           TTFT p50 ${fmt(ttft(a, 50) - ttft(d, 50))}  p99 ${fmt(ttft(a, 99) - ttft(d, 99))}`);
    console.log(
      `throughput      ${(n / (started.app / 1000)).toFixed(1)} replies/s via app vs ${(n / (started.direct / 1000)).toFixed(1)} direct ` +
        `(ratio ${(started.direct / started.app).toFixed(2)})`,
    );
  } finally {
    await app.stop();
  }
}

async function main() {
  const { values } = parseArgs({ options: { n: { type: "string", default: "200" }, db: { type: "string", default: "both" } } });
  const n = Number(values.n);
  const pgProblem = await postgresReachable();
  const kinds: DatabaseKind[] = values.db === "both" ? ["embedded", "postgres"] : [values.db as DatabaseKind];
  for (const kind of kinds) {
    if (kind === "postgres" && pgProblem) {
      console.log(`skipping postgres: ${pgProblem}`);
      continue;
    }
    await run(kind, n);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
