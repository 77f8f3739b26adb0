/**
 * npm run bench:usage [-- --rows 1000000 --runs 7 --keep | --reuse postgres://…]
 *
 * Creates a fresh PostgreSQL database (127.0.0.1:5432), migrates it, seeds it with
 * `npm run seed:usage`'s generator and times every query the usage dashboard, the records API,
 * the CSV export and /api/usage/me run, against the 200 ms target. See bench/RESULTS.md.
 */
import { parseArgs } from "node:util";
import { createTestDatabase } from "../tests/support/postgres";
import { seedUsage } from "../scripts/seed-usage-data";

const TARGET_MS = 200;

async function main() {
  const { values } = parseArgs({
    options: {
      rows: { type: "string", default: "1000000" },
      runs: { type: "string", default: "7" },
      keep: { type: "boolean" },
      /** time the queries against an already seeded database (one `--keep` left behind) */
      reuse: { type: "string" },
    },
  });
  const rows = Number(values.rows);
  const runs = Number(values.runs);
  const database = values.reuse
    ? { url: values.reuse, drop: async () => {} }
    : await createTestDatabase("pillbox_bench_usage");
  process.env.DATABASE_URL = database.url;
  // Imported after DATABASE_URL is set: the process-wide client reads it once.
  const { getDatabase } = await import("../lib/db/client");
  const { applyMigrations } = await import("../lib/db/migrate");
  const { resolveFilters, usageFilterSchema, addDay, dayIn } = await import("../lib/usage/filters");
  const { usageTotals, usageBreakdown } = await import("../lib/usage/summary");
  const { usageRecords, usageRecordsPage } = await import("../lib/usage/records");
  const { allUsageRecords, EXPORT_PAGE_SIZE } = await import("../lib/usage/export");
  const { usageForMember } = await import("../lib/usage/member");
  const { db } = await import("../lib/db/client");
  const { rollUpUsage } = await import("../lib/db/usage-rollup");
  try {
    await applyMigrations(getDatabase().connection, { log: () => {} });
    if (!values.reuse) {
      const seedStart = Date.now();
      await seedUsage({ databaseUrl: database.url, rows, log: (line) => process.stdout.write(`\r${line}`) });
      console.log(`\nseeded ${rows.toLocaleString("en-US")} rows in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
    }
    console.log(`${(await db.usageRecord.count()).toLocaleString("en-US")} usage rows`);

    const heavyUser = (await db.user.findFirstOrThrow({ where: { email: "seed-user-01@example.com" } })).id;
    const lightUser = (await db.user.findFirstOrThrow({ where: { email: "seed-user-40@example.com" } })).id;
    const group = (await db.group.findFirstOrThrow({ where: { name: "Research" } })).id;
    const model = "seed/model-05";
    const tz = "Europe/Berlin";
    // What the server's sweeper does on start and every minute: the first run reads the whole
    // ledger once (a rebuild); later runs only add what became final since.
    let rollStart = performance.now();
    const roll = await rollUpUsage({ timeZone: tz });
    console.log(`daily rollup: ${roll.rolled.toLocaleString("en-US")} rows rolled up in ${(performance.now() - rollStart).toFixed(0)} ms`);
    rollStart = performance.now();
    await rollUpUsage({ timeZone: tz });
    console.log(`a rollup run with nothing new: ${(performance.now() - rollStart).toFixed(1)} ms`);
    const rolledRows = await db.usageDaily.count();
    console.log(`rollup rows: ${rolledRows.toLocaleString("en-US")} daily, ${(await db.usageTtftDaily.count()).toLocaleString("en-US")} per time to first token`);
    const today = dayIn(new Date(), tz);
    const f = (input: Record<string, string> = {}) => resolveFilters(usageFilterSchema.parse(input), tz);
    const last30 = f();
    const month = f({ from: `${today.slice(0, 8)}01`, to: today });
    const last7 = f({ from: addDay(today, -6), to: today });
    const page1 = await usageRecords(f({ limit: "50" }));

    const queries: [string, () => Promise<unknown>][] = [
      ["summary totals, 30 days", () => usageTotals(last30)],
      ["summary totals, 90 days", () => usageTotals(f({ from: addDay(today, -89), to: today }))],
      ["groupBy=user, 30 days", () => usageBreakdown(last30, "user")],
      ["groupBy=group, 30 days", () => usageBreakdown(last30, "group")],
      ["groupBy=model, 30 days", () => usageBreakdown(last30, "model")],
      ["groupBy=day, 30 days", () => usageBreakdown(last30, "day")],
      ["groupBy=day, this month", () => usageBreakdown(month, "day")],
      ["totals, filter group, 30 days", () => usageTotals(f({ groupId: group }))],
      ["totals, filter model, 30 days", () => usageTotals(f({ modelId: model }))],
      ["totals, filter status=error, 30 days", () => usageTotals(f({ status: "error" }))],
      ["records, first page (50)", () => usageRecords(f({ limit: "50" }))],
      ["records, second page (cursor)", () => usageRecords(f({ limit: "50", cursor: page1.nextCursor! }))],
      ["records, user + status=error", () => usageRecords(f({ limit: "50", userId: lightUser, status: "error" }))],
      ["records, group + model", () => usageRecords(f({ limit: "50", groupId: group, modelId: model }))],
      ["export page (5,000 rows)", () => usageRecordsPage(last7, { limit: EXPORT_PAGE_SIZE })],
      ["usage/me, heavy user, 30 days", () => usageForMember({ user: { id: heavyUser }, period: last30.period, budgets: [] })],
      ["usage/me, light user, 30 days", () => usageForMember({ user: { id: lightUser }, period: last30.period, budgets: [] })],
    ];

    console.log(`\n| query | p50 ms | max ms | p50 / ${TARGET_MS} ms |\n|---|---:|---:|---:|`);
    for (const [name, run] of queries) {
      await run(); // warm-up
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const start = performance.now();
        await run();
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      const p50 = times[Math.floor(times.length / 2)]!;
      console.log(`| ${name} | ${p50.toFixed(1)} | ${times.at(-1)!.toFixed(1)} | ${(p50 / TARGET_MS).toFixed(2)} |`);
    }

    const exportStart = performance.now();
    let exported = 0;
    for await (const row of allUsageRecords({ period: last7.period, modelId: model })) if (row) exported++;
    const exportMs = performance.now() - exportStart;
    console.log(`\nexport, model ${model}, last 7 days: ${exported.toLocaleString("en-US")} rows in ${exportMs.toFixed(0)} ms (${Math.round(exported / (exportMs / 1000)).toLocaleString("en-US")} rows/s)`);
  } finally {
    await getDatabase().close();
    if (values.keep) console.log(`kept database ${database.url}`);
    else await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
