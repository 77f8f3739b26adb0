/**
 * npm run bench [-- --db embedded|postgres|both --c 1,50,200,500 --tokens 40 --gap 200 --profile]
 *
 * The concurrency benchmark of issue 8. Per database, in one session: the fake RedPill (its own
 * process), a bare Next 16 app that only forwards the upstream body (bench/bare-forward, built
 * once into a scratch folder) and Pillbox (the production build in .next), all on the same fake.
 * For each C it streams C slow replies at once (`--tokens` chunks, `--gap` ms apart) straight to
 * the fake, through the bare forward, through POST /api/chat and through the OpenAI-compatible
 * POST /api/v1/chat/completions (the "gateway", with a personal API key), and prints time to first token,
 * errors, server CPU per request (/proc/<pid>/stat), RSS growth per open stream and the gaps
 * between chunks, then the issue's goals as ratios. Not a test: see bench/RESULTS.md.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { startAppServer, type DatabaseKind } from "../tests/support/app-server";
import { ROOT } from "../tests/support/constants";
import { setUpAdmin } from "../tests/support/fixtures";
import { postgresReachable } from "../tests/support/postgres";
import { buildBareApp, startBareApp } from "./concurrency/bare-app";
import { concurrent, oneAtATime, warmUp, type Figures, type Workload } from "./concurrency/measure";
import { figuresTable, goalsTable, loadSummary, type Round } from "./concurrency/report";
import { fmt } from "./concurrency/stats";
import { bareTarget, directTarget, gatewayTarget, pillboxTarget } from "./concurrency/targets";
import { startFakeProcess } from "./concurrency/upstream";

const optionsSchema = z.object({
  db: z.enum(["embedded", "postgres", "both"]),
  c: z.string().transform((list, ctx) => {
    const cs = list.split(",").map((s) => Number(s.trim()));
    if (cs.some((c) => !Number.isInteger(c) || c < 1 || c > 5_000)) ctx.addIssue({ code: "custom", message: "integers 1–5000" });
    return [...new Set(cs)].sort((a, b) => a - b);
  }),
  tokens: z.coerce.number().int().min(2).max(10_000),
  gap: z.coerce.number().int().min(1).max(10_000),
  warmup: z.coerce.number().int().min(1).max(1_000),
  sequential: z.coerce.number().int().min(2).max(10_000),
  gapRuns: z.coerce.number().int().min(1).max(100),
  profile: z.boolean(),
  markdown: z.boolean(),
});
type Options = z.infer<typeof optionsSchema>;

const USAGE = `npm run bench -- [--db embedded|postgres|both] [--c 1,50,200,500] [--tokens 40] [--gap 200]
  [--warmup 20] [--sequential 30] [--gap-runs 2] [--profile] [--markdown]`;

function options(): Options {
  const { values } = parseArgs({
    options: {
      db: { type: "string", default: "both" },
      c: { type: "string", default: "1,50,200,500" },
      tokens: { type: "string", default: "40" },
      gap: { type: "string", default: "200" },
      warmup: { type: "string", default: "20" },
      sequential: { type: "string", default: "30" },
      "gap-runs": { type: "string", default: "2" },
      profile: { type: "boolean", default: false },
      markdown: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const parsed = optionsSchema.safeParse({ ...values, gapRuns: values["gap-runs"] });
  if (!parsed.success) {
    console.error(parsed.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("\n"));
    console.error(USAGE);
    process.exit(2);
  }
  return parsed.data;
}

/** Pillbox's production build must exist (startAppServer builds nothing); warn when it is older than the sources. */
function checkBuild(): void {
  const buildId = path.join(ROOT, ".next", "BUILD_ID");
  const command =
    "NEXT_TELEMETRY_DISABLED=1 REDPILL_API_KEY=sk-pillbox-test-key-7f3a9c1e5b2d4f6a8c0e PILLBOX_DATA_DIR=.next/build-data npx next build";
  if (!fs.existsSync(buildId)) {
    console.error(`No production build in ${path.join(ROOT, ".next")}. Build Pillbox first:\n  ${command}`);
    process.exit(1);
  }
  const built = fs.statSync(buildId).mtimeMs;
  const newer = (dir: string): boolean =>
    fs.readdirSync(dir, { withFileTypes: true }).some((e) =>
      e.isDirectory() ? newer(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs > built,
    );
  if (["app", "lib", "components"].some((d) => newer(path.join(ROOT, d)))) {
    console.warn(`warning: sources changed since the .next build; the figures are for the old build. Rebuild with:\n  ${command}`);
  }
}

async function runRound(database: DatabaseKind, opts: Options, bareDir: string, profileDir: string | null): Promise<Round> {
  const load = [os.loadavg()[0]!];
  const fake = await startFakeProcess();
  const bare = await startBareApp(bareDir, fake.url).catch(async (e: unknown) => (await fake.stop(), Promise.reject(e)));
  const dbProfileDir = profileDir ? path.join(profileDir, database) : null;
  const windows: [number, number][] = [];
  try {
    const app = await startAppServer({
      database,
      redpillUrl: fake.url,
      nodeArgs: dbProfileDir ? ["--cpu-prof", "--cpu-prof-dir", dbProfileDir] : [],
    });
    const figures: Figures[] = [];
    try {
      const session = await setUpAdmin(app);
      const key = await session.postJson("/api/keys", { name: "bench" });
      if (key.status !== 201) throw new Error(`could not create an API key: ${key.status} ${await key.text()}`);
      const { secret } = (await key.json()) as { secret: string };
      const targets = [directTarget(fake.url), bareTarget(bare.url, bare.pid), pillboxTarget(session, app.pid), gatewayTarget(app.url, secret, app.pid)];
      const workload: Workload = {
        tokens: opts.tokens,
        gapMs: opts.gap,
        sequential: opts.sequential,
        gapRuns: opts.gapRuns,
        fakePid: fake.pid,
        onPillboxWindow: (start, end) => windows.push([start, end]),
      };
      console.log(`\n[${database}] servers up (fake pid ${fake.pid}, bare pid ${bare.pid}, pillbox pid ${app.pid}); warming up …`);
      await warmUp(targets, workload, opts.warmup);
      for (const c of opts.c) {
        load.push(os.loadavg()[0]!);
        console.log(`[${database}] C=${c} … (load ${fmt(os.loadavg()[0], 2)})`);
        if (c === 1) figures.push(...(await oneAtATime(targets, workload)));
        else for (const t of targets) figures.push(await concurrent(t, c, workload));
      }
      load.push(os.loadavg()[0]!);
      if (figures.some((f) => f.target === "pillbox" && f.errors > 0)) {
        const logged = app.output().split("\n").filter((line) => /warn|error/i.test(line));
        console.log(`[${database}] Pillbox logged ${logged.length} warnings/errors; the first five:`);
        for (const line of logged.slice(0, 5)) console.log(`  ${line.slice(0, 600)}`);
      }
    } finally {
      await app.stop();
    }
    if (dbProfileDir) {
      fs.writeFileSync(path.join(dbProfileDir, "windows.json"), JSON.stringify(windows));
      const profiles = fs.readdirSync(dbProfileDir).filter((f) => f.endsWith(".cpuprofile"));
      console.log(`[${database}] Pillbox CPU profile: ${profiles.map((f) => path.join(dbProfileDir, f)).join(", ") || "none written"}`);
      for (const f of profiles) {
        console.log(`  summarise: npx tsx bench/profile-summary.ts ${path.join(dbProfileDir, f)} --windows ${path.join(dbProfileDir, "windows.json")}`);
      }
    }
    return { database, figures, load };
  } finally {
    await bare.stop();
    await fake.stop();
  }
}

async function main(): Promise<void> {
  const opts = options();
  checkBuild();
  const started = Date.now();
  console.log(
    `Concurrency benchmark: C = ${opts.c.join(", ")}; ${opts.tokens} chunks ${opts.gap} ms apart (first at once); ` +
      `${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );
  const bareDir = buildBareApp((line) => console.log(line));
  const profileDir = opts.profile ? fs.mkdtempSync(path.join(os.tmpdir(), "pillbox-bench-profile-")) : null;
  const pgProblem = opts.db === "embedded" ? null : await postgresReachable();
  const rounds: Round[] = [];
  for (const database of (opts.db === "both" ? ["embedded", "postgres"] : [opts.db]) as DatabaseKind[]) {
    if (database === "postgres" && pgProblem) {
      console.log(`skipping postgres: ${pgProblem}`);
      continue;
    }
    rounds.push(await runRound(database, opts, bareDir, profileDir));
  }
  for (const round of rounds) {
    console.log(`\n== ${round.database}: ${opts.tokens} chunks ${opts.gap} ms apart; ${loadSummary(round)} ==`);
    console.log("(ms unless noted; C=1: TTFT and CPU over the fast sequential streams, gaps and RSS over the slow ones)");
    console.log(figuresTable(round, opts.markdown));
    for (const f of round.figures.filter((x) => x.problems.length)) console.log(`  ${f.target} C=${f.c}: ${f.problems.join(" | ")}`);
    console.log(`\nGoals (${round.database}):`);
    console.log(goalsTable(round, opts.markdown));
  }
  console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(0)} s; load average now ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}.`);
  if (opts.profile) console.log("Figures of a --profile run include the profiler's own cost: compare ratios from runs without it.");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
