// The usage dashboard reads old days from the daily rollup and the rest from the ledger: every
// answer must equal the ledger's own sums, for any filter, period edge and time zone.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UsageSummary } from "@/lib/usage/summary";
import { seedUsage } from "../../scripts/seed-usage-data";
import { startAppServer, type AppServer } from "../support/app-server";
import { chatBody, setUpAdmin } from "../support/fixtures";
import { patchJson } from "../support/personas";
import { postgresReachable } from "../support/postgres";
import type { Session } from "../support/session";
import { readUiStream } from "../support/ui-stream";

const pgSkip = await postgresReachable();
const ROWS = 20_000;

interface Truth {
  key: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: string;
}

describe.skipIf(pgSkip !== null)("the daily usage rollup (PostgreSQL, seeded with 90 days)", () => {
  let app: AppServer;
  let admin: Session;
  let client: pg.Client;

  const summary = async (query: string) => {
    const response = await admin.fetch(`/api/admin/usage/summary?${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as UsageSummary;
  };

  /** The oracle: the same figures straight from the ledger. `key` is SQL over `"UsageRecord" r`. */
  async function truth(
    key: string,
    where: string,
    params: unknown[],
  ): Promise<{ totals: Omit<Truth, "key">; rows: Truth[]; ttft: number | null }> {
    const spend = `CASE WHEN r."status" = 'pending' THEN r."reservedUsd" ELSE r."costUsd" END`;
    const sums = `count(*)::int AS "requests", coalesce(sum(r."promptTokens"), 0)::int AS "promptTokens",
      coalesce(sum(r."completionTokens"), 0)::int AS "completionTokens", coalesce(sum(${spend}), 0)::text AS "costUsd"`;
    const { rows } = await client.query<Truth>(
      `SELECT ${key} AS "key", ${sums} FROM "UsageRecord" r WHERE ${where} GROUP BY 1 ORDER BY 1`,
      params,
    );
    const { rows: [totals] } = await client.query<Truth & { ttft: number | null }>(
      `SELECT 'all' AS "key", ${sums}, percentile_cont(0.5) WITHIN GROUP (ORDER BY r."ttftMs") AS "ttft"
       FROM "UsageRecord" r WHERE ${where}`,
      params,
    );
    const { ttft, key: _all, ...rest } = totals!;
    // The API rounds the median as JavaScript does (SQL's round() of a float ties to even).
    return { totals: rest, rows, ttft: ttft === null ? null : Math.round(ttft) };
  }

  const byKey = (rows: { key: string; requests: number; promptTokens: number; completionTokens: number; costUsd: string }[]) =>
    rows
      .filter((r) => r.requests > 0)
      .map(({ key, requests, promptTokens, completionTokens, costUsd }) => ({ key, requests, promptTokens, completionTokens, costUsd }))
      .sort((a, b) => a.key.localeCompare(b.key));

  /** How many ledger rows are rolled up, and whether all of them are over a day old and settled. */
  async function rolled(): Promise<{ rows: number; final: boolean }> {
    const { rows } = await client.query<{ rows: number; final: boolean }>(
      `SELECT count(*)::int AS "rows",
              bool_and("createdAt" < now() AT TIME ZONE 'UTC' - interval '24 hours' AND "status" <> 'pending') AS "final"
       FROM "UsageRecord" WHERE "rolledUp"`,
    );
    return rows[0]!;
  }

  async function waitForRollup(timeZone: string): Promise<void> {
    for (let i = 0; i < 300; i++) {
      const { rows } = await client.query<{ tz: string; days: number }>(
        `SELECT r."timeZone" AS "tz", (SELECT count(*)::int FROM "UsageDaily") AS "days" FROM "UsageRollup" r WHERE r."id" = 1`,
      );
      if (rows[0]?.tz === timeZone && rows[0].days > 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the rollup was not built for ${timeZone}`);
  }

  beforeAll(async () => {
    // The sweeper (which also rolls up) runs every idle timeout: one second here.
    app = await startAppServer({ database: "postgres", env: { PILLBOX_UPSTREAM_IDLE_TIMEOUT_MS: "1000" } });
    admin = await setUpAdmin(app);
    client = new pg.Client({ connectionString: app.databaseUrl });
    await client.connect();
    await seedUsage({ databaseUrl: app.databaseUrl!, rows: ROWS, log: () => {} });
    await readUiStream(await admin.postJson("/api/chat", chatBody("A call from today, after the seed")));
    await waitForRollup("UTC");
  });

  afterAll(async () => {
    await client?.end();
    await app?.stop();
  });

  it("holds the final days and answers every breakdown exactly as the ledger does", async () => {
    const { rows, final } = await rolled();
    expect(rows).toBeGreaterThan(ROWS * 0.8);
    expect(final).toBe(true);
    const { rows: [sums] } = await client.query<{ requests: number }>(`SELECT sum("requests")::int AS "requests" FROM "UsageDaily"`);
    expect(sums!.requests).toBe(rows);

    const from = new Date(Date.now() - 89 * 86400_000).toISOString().slice(0, 10);
    const where = `r."createdAt" >= $1::date AND r."createdAt" < (now() AT TIME ZONE 'UTC')::date + 1`;
    for (const [groupBy, key] of [
      ["user", `r."userId"::text`],
      ["model", `r."modelId"`],
      ["day", `to_char(r."createdAt", 'YYYY-MM-DD')`],
    ] as const) {
      const answer = await summary(`from=${from}&groupBy=${groupBy}`);
      const expected = await truth(key, where, [from]);
      expect(answer.totals).toMatchObject({ ...expected.totals, ttftP50Ms: expected.ttft });
      expect(byKey(answer.rows)).toEqual(byKey(expected.rows));
    }
    const groups = await summary(`from=${from}&groupBy=group`);
    const { rows: groupTruth } = await client.query<Truth>(
      `SELECT g::text AS "key", count(*)::int AS "requests", sum(r."promptTokens")::int AS "promptTokens",
              sum(r."completionTokens")::int AS "completionTokens",
              sum(CASE WHEN r."status" = 'pending' THEN r."reservedUsd" ELSE r."costUsd" END)::text AS "costUsd"
       FROM "UsageRecord" r CROSS JOIN LATERAL unnest(r."groupIds") AS g WHERE ${where} GROUP BY 1 ORDER BY 1`,
      [from],
    );
    expect(byKey(groups.rows)).toEqual(byKey(groupTruth));
  });

  it("applies every filter to the rolled-up days and the ledger alike", async () => {
    const { rows: [pick] } = await client.query<{ userId: string; modelId: string; groupId: string }>(
      `SELECT "userId", "modelId", "groupIds"[2]::text AS "groupId" FROM "UsageRecord"
       WHERE array_length("groupIds", 1) > 1 ORDER BY "createdAt" LIMIT 1`,
    );
    const from = new Date(Date.now() - 60 * 86400_000).toISOString().slice(0, 10);
    const base = `r."createdAt" >= $1::date AND r."createdAt" < (now() AT TIME ZONE 'UTC')::date + 1`;
    const cases: [string, string, unknown[]][] = [
      [`userId=${pick!.userId}`, `r."userId" = $2::uuid`, [pick!.userId]],
      [`modelId=${encodeURIComponent(pick!.modelId)}`, `r."modelId" = $2`, [pick!.modelId]],
      [`groupId=${pick!.groupId}`, `r."groupIds" @> ARRAY[$2::uuid]`, [pick!.groupId]],
      [`status=error`, `r."status" = $2::"UsageStatus"`, ["error"]],
      [`status=ok&modelId=${encodeURIComponent(pick!.modelId)}`, `r."status" = 'ok' AND r."modelId" = $2`, [pick!.modelId]],
    ];
    for (const [query, filter, params] of cases) {
      const answer = await summary(`from=${from}&groupBy=model&${query}`);
      const expected = await truth(`r."modelId"`, `${base} AND ${filter}`, [from, ...params]);
      expect(answer.totals, query).toMatchObject({ ...expected.totals, ttftP50Ms: expected.ttft });
      expect(byKey(answer.rows), query).toEqual(byKey(expected.rows));
    }
  });

  it("counts rows written later with old times (an import) at once, and rolls them up on the next sweep", async () => {
    const from = new Date(Date.now() - 89 * 86400_000).toISOString().slice(0, 10);
    const where = `r."createdAt" >= $1::date`;
    const before = await summary(`from=${from}&groupBy=model`);
    const { rows: [user] } = await client.query<{ id: string }>(`SELECT "id" FROM "User" ORDER BY "createdAt" LIMIT 1`);
    await client.query(
      `INSERT INTO "UsageRecord" ("id", "userId", "groupIds", "modelId", "promptTokens", "completionTokens", "costUsd",
         "ttftMs", "durationMs", "status", "createdAt")
       SELECT gen_random_uuid(), $1::uuid, '{}', 'imported/model', 100, 10, 0.5, 300, 900, 'ok',
              (now() AT TIME ZONE 'UTC') - make_interval(days => 3 + i)
       FROM generate_series(1, 7) AS i`,
      [user!.id],
    );
    const after = await summary(`from=${from}&groupBy=model`);
    expect(after.totals.requests).toBe(before.totals.requests + 7);
    expect(after.rows.find((r) => r.key === "imported/model")).toMatchObject({ requests: 7, costUsd: "3.5000000000" });
    const expected = await truth(`r."modelId"`, where, [from]);
    expect(after.totals).toMatchObject({ ...expected.totals, ttftP50Ms: expected.ttft });
    await expect.poll(async () => (await client.query(`SELECT 1 FROM "UsageRecord" WHERE "modelId" = 'imported/model' AND NOT "rolledUp"`)).rowCount, { timeout: 20_000 }).toBe(0);
    const rolledUp = await summary(`from=${from}&groupBy=model`);
    expect(rolledUp.totals).toEqual(after.totals);
    expect(byKey(rolledUp.rows)).toEqual(byKey(after.rows));
  });

  it("counts partial days at the period's edges from the ledger", async () => {
    const from = new Date(Date.now() - 40.3 * 86400_000);
    const to = new Date(Date.now() - 3.7 * 86400_000);
    const answer = await summary(`from=${from.toISOString()}&to=${to.toISOString()}&groupBy=user`);
    const expected = await truth(
      `r."userId"::text`,
      `r."createdAt" >= $1::timestamptz AT TIME ZONE 'UTC' AND r."createdAt" < $2::timestamptz AT TIME ZONE 'UTC'`,
      [from.toISOString(), to.toISOString()],
    );
    expect(answer.totals).toMatchObject({ ...expected.totals, ttftP50Ms: expected.ttft });
    expect(byKey(answer.rows)).toEqual(byKey(expected.rows));
  });

  it("stays exact when the workspace time zone changes, and rebuilds for it", async () => {
    const set = await patchJson(admin, "/api/admin/settings", { timeZone: "Asia/Kolkata" });
    expect(set.status).toBe(200);
    const from = new Date(Date.now() - 30 * 86400_000).toISOString().slice(0, 10);
    const where = `r."createdAt" >= ($1::date)::timestamp AT TIME ZONE 'Asia/Kolkata' AT TIME ZONE 'UTC'
      AND r."createdAt" < ((now() AT TIME ZONE 'Asia/Kolkata')::date + 1)::timestamp AT TIME ZONE 'Asia/Kolkata' AT TIME ZONE 'UTC'`;
    const day = `to_char(r."createdAt" AT TIME ZONE 'UTC' AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD')`;
    // At once (the rollup is still in UTC and is not used) and after the rebuild (it is).
    for (const moment of ["before the rebuild", "after the rebuild"]) {
      if (moment === "after the rebuild") await waitForRollup("Asia/Kolkata");
      const answer = await summary(`from=${from}&groupBy=day`);
      const expected = await truth(day, where, [from]);
      expect(answer.totals, moment).toMatchObject({ ...expected.totals, ttftP50Ms: expected.ttft });
      expect(byKey(answer.rows), moment).toEqual(byKey(expected.rows));
    }
  });
});
