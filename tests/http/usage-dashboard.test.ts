import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MemberUsage } from "@/lib/usage/member";
import type { UsageRecordRow, UsageRecordsPage } from "@/lib/usage/records";
import type { UsageSummary } from "@/lib/usage/summary";
import { startAppServer, type AppServer, type DatabaseKind } from "../support/app-server";
import { chatBody, setUpAdmin } from "../support/fixtures";
import { postgresReachable } from "../support/postgres";
import { Session } from "../support/session";
import { readUiStream } from "../support/ui-stream";

const pgSkip = await postgresReachable();
if (pgSkip) console.warn(`[tests] skipping the PostgreSQL half: ${pgSkip}`);

const EVERYONE = "00000000-0000-4000-8000-000000000001";
const SONNET = "anthropic/claude-sonnet-4.5";
const OTHER_MODEL = "openai/gpt-5";

/** Exact sum of decimal strings (10 places, like the ledger's costUsd), as a 10-place string. */
function sumUsd(values: string[]): string {
  const units = values.reduce((sum, v) => {
    const [whole, frac = ""] = v.split(".");
    return sum + BigInt(whole!) * 10n ** 10n + BigInt((frac + "0000000000").slice(0, 10));
  }, 0n);
  return `${units / 10n ** 10n}.${(units % 10n ** 10n).toString().padStart(10, "0")}`;
}

const usd = (value: string) => sumUsd([value]);

/** A small RFC 4180 reader for the export (quoted fields, doubled quotes). */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let field = "";
  let row: string[] = [];
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (quoted || (c !== "," && c !== "\n" && c !== "\r")) field += c;
    else if (c === ",") endField();
    else if (c === "\n") {
      endField();
      rows.push(row);
      row = [];
    }
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  const [header, ...body] = rows;
  return body.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i] ?? ""])));
}

describe.each<DatabaseKind>(["embedded", "postgres"])("usage dashboard and export on the %s database", (database) => {
  const skip = database === "postgres" && pgSkip !== null;
  let app: AppServer;
  let admin: Session;
  let bob: Session;
  let cleo: Session;
  const ids: Record<string, string> = {};
  let all: UsageRecordRow[] = [];

  async function json<T>(session: Session, path: string): Promise<T> {
    const response = await session.fetch(path);
    expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
    return (await response.json()) as T;
  }

  const records = (query = "") => json<UsageRecordsPage>(admin, `/api/admin/usage/records?limit=500${query}`);
  const summary = (query: string) => json<UsageSummary>(admin, `/api/admin/usage/summary?${query}`);

  async function member(email: string, name: string): Promise<Session> {
    const response = await admin.postJson("/api/admin/users", { email, name, password: "member password 1" });
    expect(response.status).toBe(201);
    ids[email] = ((await response.json()) as { user: { id: string } }).user.id;
    const session = new Session(app.url);
    expect(await session.signIn(email, "member password 1")).toBe(true);
    return session;
  }

  async function chat(session: Session, text: string, model = SONNET) {
    await readUiStream(await session.postJson("/api/chat", chatBody(text, model)));
  }

  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer({ database });
    admin = await setUpAdmin(app);
    ids.admin = ((await (await admin.fetch("/api/admin/users")).json()) as { users: { id: string }[] }).users[0]!.id;
    bob = await member("bob@example.com", "Bob Member");
    cleo = await member("cleo@example.com", "Cleo Member");
    await chat(admin, "Admin asks about enclaves");
    await chat(admin, "Admin asks a longer question about remote attestation and GPUs", OTHER_MODEL);
    app.fake!.enqueue({ type: "error", status: 400 });
    await chat(admin, "This one fails upstream");
    await chat(bob, "Bob says hi");
    await chat(bob, "Bob asks something else entirely", OTHER_MODEL);
    await chat(cleo, "Cleo asks one thing");
    for (let i = 0; i < 100; i++) {
      all = (await records()).records;
      if (all.length >= 6 && all.every((r) => r.status !== "pending")) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(all).toHaveLength(6);
  });

  afterAll(async () => {
    if (skip) return;
    await app.stop();
  });

  it.skipIf(skip)("summary totals and every breakdown add up to the rows", async () => {
    const { totals, rows } = await summary("groupBy=user");
    expect(totals).toEqual({
      requests: 6,
      promptTokens: all.reduce((s, r) => s + r.promptTokens, 0),
      completionTokens: all.reduce((s, r) => s + r.completionTokens, 0),
      costUsd: sumUsd(all.map((r) => r.costUsd)),
      errorRate: 1 / 6,
      ttftP50Ms: expect.any(Number),
    });
    expect(all.filter((r) => r.status === "error")).toHaveLength(1);
    const byUser = (userId: string) => all.filter((r) => r.userId === userId);
    expect(rows).toHaveLength(3);
    for (const [email, label] of [
      ["bob@example.com", "Bob Member (bob@example.com)"],
      ["cleo@example.com", "Cleo Member (cleo@example.com)"],
    ] as const) {
      const mine = byUser(ids[email]!);
      expect(rows.find((r) => r.key === ids[email])).toEqual({
        key: ids[email],
        label,
        requests: mine.length,
        promptTokens: mine.reduce((s, r) => s + r.promptTokens, 0),
        completionTokens: mine.reduce((s, r) => s + r.completionTokens, 0),
        costUsd: sumUsd(mine.map((r) => r.costUsd)),
      });
    }

    const models = (await summary("groupBy=model")).rows;
    expect(models.map((r) => r.key).sort()).toEqual([SONNET, OTHER_MODEL].sort());
    for (const row of models) {
      const mine = all.filter((r) => r.modelId === row.key);
      expect(row.requests).toBe(mine.length);
      expect(row.costUsd).toBe(sumUsd(mine.map((r) => r.costUsd)));
      expect(row.label).not.toBe("");
    }

    const groups = (await summary("groupBy=group")).rows;
    expect(groups).toEqual([expect.objectContaining({ key: EVERYONE, label: "Everyone", requests: 6, costUsd: totals.costUsd })]);

    const days = (await summary("groupBy=day")).rows;
    expect(days).toHaveLength(30); // the default period, every day present
    expect(days.at(-1)).toMatchObject({ requests: 6, costUsd: totals.costUsd });
    expect(days.slice(0, -1).every((d) => d.requests === 0)).toBe(true);
  });

  it.skipIf(skip)("filters by user, model and status", async () => {
    const bobs = await summary(`groupBy=model&userId=${ids["bob@example.com"]}`);
    expect(bobs.totals.requests).toBe(2);
    const errors = await records(`&status=error`);
    expect(errors.records.map((r) => r.userId)).toEqual([ids.admin]);
    const other = await records(`&modelId=${encodeURIComponent(OTHER_MODEL)}`);
    expect(other.records.map((r) => r.id).sort()).toEqual(all.filter((r) => r.modelId === OTHER_MODEL).map((r) => r.id).sort());
    const bad = await admin.fetch("/api/admin/usage/summary?status=weird&groupBy=user");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("bad_request:api");
    expect((await admin.fetch("/api/admin/usage/records?from=2026-02-01&to=2026-01-01")).status).toBe(400);
  });

  it.skipIf(skip)("pages through records newest first without skipping or repeating", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: UsageRecordsPage = await json(admin, `/api/admin/usage/records?limit=4${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.records.length).toBeLessThanOrEqual(4);
      seen.push(...page.records.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((r) => r.id));
    const times = all.map((r) => r.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect((await admin.fetch("/api/admin/usage/records?cursor=garbage")).status).toBe(400);
  });

  it.skipIf(skip)("exports exactly the filtered rows as CSV", async () => {
    const response = await admin.fetch(`/api/admin/usage/export.csv?userId=${ids.admin}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="pillbox-usage-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await response.text();
    expect(text.split("\n")[0]).toBe(
      "id,created_at,user_id,user_email,user_name,group_ids,chat_id,model_id,status,error_code,prompt_tokens,completion_tokens,cached_tokens,reasoning_tokens,usage_estimated,prompt_price,completion_price,reserved_usd,cost_usd,ttft_ms,duration_ms,upstream_id,verification,api_key_id",
    );
    const csv = parseCsv(text);
    const expected = all.filter((r) => r.userId === ids.admin);
    expect(csv).toHaveLength(3);
    expect(csv).toEqual(
      expected.map((r) => ({
        id: r.id,
        created_at: r.createdAt,
        user_id: r.userId,
        user_email: "ada@example.com",
        user_name: r.userName,
        group_ids: r.groupIds.join(" "),
        chat_id: r.chatId ?? "",
        model_id: r.modelId,
        status: r.status,
        error_code: r.errorCode ?? "",
        prompt_tokens: String(r.promptTokens),
        completion_tokens: String(r.completionTokens),
        cached_tokens: r.cachedTokens === null ? "" : String(r.cachedTokens),
        reasoning_tokens: r.reasoningTokens === null ? "" : String(r.reasoningTokens),
        usage_estimated: String(r.usageEstimated),
        prompt_price: r.promptPrice,
        completion_price: r.completionPrice,
        reserved_usd: r.reservedUsd,
        cost_usd: r.costUsd,
        ttft_ms: r.ttftMs === null ? "" : String(r.ttftMs),
        duration_ms: String(r.durationMs),
        upstream_id: r.upstreamId ?? "",
        verification: r.verification ?? "",
        api_key_id: r.apiKeyId ?? "",
      })),
    );
    if (app.databaseUrl) {
      // …and equals the database's own rows for that filter.
      const client = new pg.Client({ connectionString: app.databaseUrl });
      await client.connect();
      const { rows } = await client.query<{ id: string; cost: string; prompt: number; completion: number }>(
        `SELECT "id", "costUsd"::text AS cost, "promptTokens" AS prompt, "completionTokens" AS completion
         FROM "UsageRecord" WHERE "userId" = $1 ORDER BY "createdAt" DESC, "id" DESC`,
        [ids.admin],
      );
      await client.end();
      expect(csv.map((r) => [r.id, r.cost_usd, Number(r.prompt_tokens), Number(r.completion_tokens)])).toEqual(
        rows.map((r) => [r.id, r.cost, r.prompt, r.completion]),
      );
    }
    const empty = parseCsv(await (await admin.fetch("/api/admin/usage/export.csv?status=pending")).text());
    expect(empty).toEqual([]);
  });

  it.skipIf(skip)("keeps members out of the admin usage routes and anonymous callers out of all", async () => {
    for (const path of ["summary?groupBy=user", "records", "export.csv"]) {
      const forbidden = await bob.fetch(`/api/admin/usage/${path}`);
      expect(forbidden.status).toBe(403);
      expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe("forbidden:admin");
      expect((await fetch(`${app.url}/api/admin/usage/${path}`)).status).toBe(401);
    }
    expect((await fetch(`${app.url}/api/usage/me`)).status).toBe(401);
    expect((await bob.fetch("/admin/usage")).status).not.toBe(200);
  });

  it.skipIf(skip)("shows each member only their own usage", async () => {
    for (const [session, email] of [
      [bob, "bob@example.com"],
      [cleo, "cleo@example.com"],
    ] as const) {
      const me = await json<MemberUsage>(session, "/api/usage/me");
      const mine = all.filter((r) => r.userId === ids[email]);
      expect(me.totals).toMatchObject({ requests: mine.length, costUsd: sumUsd(mine.map((r) => r.costUsd)) });
      expect(me.models.map((m) => m.key).sort()).toEqual([...new Set(mine.map((r) => r.modelId))].sort());
      expect(me.days.at(-1)!.requests).toBe(mine.length);
      expect(me.budgets).toEqual([]);
      // A filter for someone else's rows is not part of this route.
      expect((await session.fetch(`/api/usage/me?userId=${ids.admin}`)).status).toBe(400);
      const page = await session.fetch("/usage");
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain("My usage");
      expect(html).not.toContain("ada@example.com");
      expect(html).not.toContain(email === "bob@example.com" ? "cleo@example.com" : "bob@example.com");
    }
  });

  it.skipIf(skip)("lists the budgets that bind the member, and only theirs", async () => {
    const created = await admin.postJson("/api/admin/budgets", {
      scope: "user",
      targetId: ids["bob@example.com"],
      amountUsd: "5.00",
      period: "month",
    });
    expect(created.status).toBe(201);
    const { budgets } = await json<MemberUsage>(bob, "/api/usage/me");
    expect(budgets).toEqual([{ scope: "user", amountUsd: "5.00", spentUsd: expect.any(String), resetsAt: expect.any(String) }]);
    expect(new Date(budgets[0]!.resetsAt).getTime()).toBeGreaterThan(Date.now());
    expect((await json<MemberUsage>(cleo, "/api/usage/me")).budgets).toEqual([]);
    const page = await (await bob.fetch("/usage")).text();
    expect(page).toContain("$5.00");
    const id = ((await created.json()) as { budget: { id: string } }).budget.id;
    expect((await admin.fetch(`/api/admin/budgets/${id}`, { method: "DELETE" })).status).toBe(204);
  });

  it.skipIf(skip)("shows the day's spend on the dashboard", async () => {
    const { totals } = await summary("groupBy=day");
    const html = await (await admin.fetch("/admin/usage")).text();
    const today = /href="\/admin\/usage\?from=(\d{4}-\d{2}-\d{2})&amp;to=\1"/.exec(html)?.[1];
    expect(today).toBeTruthy();
    const todayHtml = await (await admin.fetch(`/admin/usage?from=${today}&to=${today}`)).text();
    const cost = Number(totals.costUsd);
    const shown = cost < 0.01 ? `$${cost.toFixed(6)}` : `$${cost.toFixed(4)}`;
    expect(todayHtml).toContain(shown);
    expect(todayHtml.match(/data-testid="usage-row"/g)).toHaveLength(6);
  });

  it.skipIf(skip || database !== "postgres")("buckets days and periods in the workspace time zone", async () => {
    const settings = await admin.fetch("/api/admin/settings", {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ timeZone: "America/New_York" }),
    });
    expect(settings.status).toBe(200);
    const client = new pg.Client({ connectionString: app.databaseUrl });
    await client.connect();
    const groupId = crypto.randomUUID();
    await client.query(`INSERT INTO "Group" ("id", "name", "updatedAt") VALUES ($1, 'Night shift', now())`, [groupId]);
    // New York is UTC−5 in January: local midnight is 05:00 UTC.
    const rows = [
      ["2026-01-15 04:59:59.999", "ok", "1.0000000000", "0", 300], // Jan 14, 23:59:59.999 local
      ["2026-01-15 05:00:00.000", "error", "0", "0", null], // Jan 15, 00:00 local
      ["2026-01-16 04:59:59.999", "aborted", "0.5000000000", "0.7500000000", 100], // Jan 15, 23:59:59.999 local
      ["2026-01-16 05:00:00.000", "interrupted", "0.2500000000", "0.2500000000", 700], // Jan 16
    ] as const;
    for (const [at, status, cost, reserved, ttft] of rows) {
      await client.query(
        `INSERT INTO "UsageRecord" ("id", "userId", "groupIds", "modelId", "promptTokens", "completionTokens",
           "costUsd", "reservedUsd", "ttftMs", "durationMs", "status", "createdAt")
         VALUES (gen_random_uuid(), $1, $2, 'acme/night-model', 10, 5, $3, $4, $5, 1000, $6, $7)`,
        [ids["cleo@example.com"], [EVERYONE, groupId], cost, reserved, ttft, status, at],
      );
    }
    await client.end();
    try {
      const day = await summary("from=2026-01-15&to=2026-01-15&groupBy=group");
      expect(day.totals).toEqual({
        requests: 2,
        promptTokens: 20,
        completionTokens: 10,
        costUsd: usd("0.5"),
        errorRate: 0.5, // the error counts, the aborted call (Stop) does not
        ttftP50Ms: 100,
      });
      expect(day.rows.map((r) => [r.label, r.requests]).sort()).toEqual([
        ["Everyone", 2],
        ["Night shift", 2],
      ]);
      const days = await summary(`from=2026-01-14&to=2026-01-16&groupBy=day&groupId=${groupId}`);
      expect(days.rows.map((r) => [r.key, r.requests, r.costUsd])).toEqual([
        ["2026-01-14", 1, usd("1")],
        ["2026-01-15", 2, usd("0.5")],
        ["2026-01-16", 1, usd("0.25")],
      ]);
      const instant = await records(`&from=2026-01-15T05:00:00Z&to=2026-01-15T05:00:00.001Z`);
      expect(instant.records.map((r) => r.status)).toEqual(["error"]);
      const csv = parseCsv(await (await admin.fetch(`/api/admin/usage/export.csv?from=2026-01-15&to=2026-01-15`)).text());
      expect(csv.map((r) => r.created_at)).toEqual(["2026-01-16T04:59:59.999Z", "2026-01-15T05:00:00.000Z"]);
      const disposition = (await admin.fetch(`/api/admin/usage/export.csv?from=2026-01-15&to=2026-01-15`)).headers.get("content-disposition");
      expect(disposition).toBe('attachment; filename="pillbox-usage-2026-01-15-2026-01-15.csv"');
      const cleoMe = await json<MemberUsage>(cleo, "/api/usage/me?from=2026-01-15&to=2026-01-15");
      expect(cleoMe.totals.requests).toBe(2);
      expect((await json<MemberUsage>(bob, "/api/usage/me?from=2026-01-15&to=2026-01-15")).totals.requests).toBe(0);
    } finally {
      await admin.fetch("/api/admin/settings", {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ timeZone: "UTC" }),
      });
    }
  });
});
