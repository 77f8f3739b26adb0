import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_REDPILL_MODELS } from "@/lib/fake-redpill";
import type { UsageRow } from "@/lib/usage/rows";
import { startAppServer, type AppServer, type DatabaseKind } from "../support/app-server";
import { chatBody, setUpAdmin } from "../support/fixtures";
import { postgresReachable } from "../support/postgres";
import { Session } from "../support/session";
import { readUiStream } from "../support/ui-stream";

const pgSkip = await postgresReachable();
const MODEL = FAKE_REDPILL_MODELS.find((m) => m.id === "anthropic/claude-sonnet-4.5")!;
const EVERYONE = "00000000-0000-4000-8000-000000000001";

type Json = Record<string, unknown>;

async function json<T = Json>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** Usage rows of the ledger (newest first), once none of them is still pending. */
async function settledUsage(admin: Session): Promise<UsageRow[]> {
  for (let i = 0; i < 150; i++) {
    const { usage } = await json<{ usage: UsageRow[] }>(await admin.fetch("/api/admin/usage?limit=500"));
    if (usage.every((r) => r.status !== "pending")) return usage;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("usage rows stayed pending");
}

async function newMember(admin: Session, app: AppServer, name: string): Promise<{ id: string; session: Session }> {
  const email = `${name.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const created = await admin.postJson("/api/admin/users", { email, name, password: "member-password-1" });
  expect(created.status).toBe(201);
  const { user } = await json<{ user: { id: string } }>(created);
  const session = new Session(app.url);
  expect(await session.signIn(email, "member-password-1")).toBe(true);
  return { id: user.id, session };
}

describe.each<DatabaseKind>(["embedded", "postgres"])("the usage ledger on the %s database", (database) => {
  const skip = database === "postgres" && pgSkip !== null;
  let app: AppServer;
  let admin: Session;

  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer({ database, env: { PILLBOX_UPSTREAM_IDLE_TIMEOUT_MS: "1500" } });
    admin = await setUpAdmin(app);
  });

  afterAll(async () => {
    if (!skip) await app.stop();
  });

  it.skipIf(skip)("records exactly one row, with its status and code, for every way a call ends", async () => {
    const cases: { directive: string; status: string; errorCode: string | null }[] = [
      { directive: "[[fake:ok]]", status: "ok", errorCode: null },
      { directive: "[[fake:error 400]]", status: "error", errorCode: "upstream_bad_request" },
      { directive: "[[fake:error 401]]", status: "error", errorCode: "upstream_unauthorized" },
      { directive: "[[fake:error 403]]", status: "error", errorCode: "upstream_out_of_credits" },
      { directive: "[[fake:error 404]]", status: "error", errorCode: "upstream_model_not_found" },
      { directive: "[[fake:error 429 3]]", status: "error", errorCode: "upstream_rate_limited" },
      { directive: "[[fake:error 500]]", status: "error", errorCode: "upstream_server_error" },
      { directive: "[[fake:error 503]]", status: "error", errorCode: "upstream_server_error" },
      { directive: "[[fake:cut 2]]", status: "interrupted", errorCode: "stream_interrupted" },
      { directive: "[[fake:eof 2]]", status: "interrupted", errorCode: "stream_interrupted" },
      { directive: "[[fake:hang]]", status: "error", errorCode: "upstream_timeout" },
    ];
    const ids: string[] = [];
    for (const c of cases) {
      const body = chatBody(`${c.directive} a question long enough to be cut into pieces`);
      ids.push(body.id);
      const response = await admin.postJson("/api/chat", body);
      expect(response.status).toBe(200);
      await readUiStream(response);
    }
    // Stop: the client goes away mid-stream.
    const stopped = chatBody("[[fake:slow 200]] stop me please");
    const controller = new AbortController();
    const response = await admin.postJson("/api/chat", stopped, { signal: controller.signal });
    const reader = response.body!.getReader();
    let received = "";
    while (!received.includes("text-delta")) received += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    await app.fake!.waitFor((r) => r.path === "/v1/chat/completions" && r.clientClosed, 10_000);

    const rows = await settledUsage(admin);
    for (const [i, c] of cases.entries()) {
      const mine = rows.filter((r) => r.chatId === ids[i]);
      expect(mine, c.directive).toHaveLength(1);
      expect(mine[0], c.directive).toMatchObject({ status: c.status, errorCode: c.errorCode });
    }
    const stop = rows.filter((r) => r.chatId === stopped.id);
    expect(stop).toHaveLength(1);
    expect(stop[0]).toMatchObject({ status: "aborted", errorCode: "client_aborted" });
  });

  it.skipIf(skip)("prices a call with exact decimal arithmetic and tells RedPill whose call it was", async () => {
    app.fake!.reset();
    const body = chatBody("[[fake:reply one two three four five]] price me");
    await readUiStream(await admin.postJson("/api/chat", body));
    const upstream = app.fake!.requests.find((r) => r.path === "/v1/chat/completions")!;
    const me = await json<{ users: { id: string; email: string }[] }>(await admin.fetch("/api/admin/users"));
    const adminId = me.users.find((u) => u.email === "ada@example.com")!.id;
    expect(JSON.parse(upstream.headers["x-redpill-metadata"]!)).toEqual({ user_id: adminId });

    const row = (await settledUsage(admin)).find((r) => r.chatId === body.id)!;
    // Hand-computed: prompt × 0.000003 + completion × 0.000015, written out in decimal.
    const micro = row.promptTokens * 3 + row.completionTokens * 15; // millionths of a dollar
    const expected = `${Math.floor(micro / 1_000_000)}.${String(micro % 1_000_000).padStart(6, "0")}0000`;
    expect(row.costUsd).toBe(expected);
    expect(MODEL.pricing).toEqual({ prompt: "0.000003", completion: "0.000015" });
  });

  it.skipIf(skip)("keeps the usage row of a chat deleted while its reply streams", async () => {
    const body = chatBody("first message");
    await readUiStream(await admin.postJson("/api/chat", body));
    const second = { ...chatBody("[[fake:slow 150]] second message, streaming slowly"), id: body.id };
    const response = await admin.postJson("/api/chat", second);
    const reader = response.body!.getReader();
    let received = "";
    while (!received.includes("text-delta")) received += new TextDecoder().decode((await reader.read()).value);
    expect((await admin.fetch(`/api/chats/${body.id}`, { method: "DELETE" })).status).toBe(204);
    while (!(await reader.read()).done) {
      // drain the rest of the reply
    }
    const rows = (await settledUsage(admin)).filter((r) => r.chatId === body.id);
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.status)).toEqual(["ok", "ok"]);
  });

  it.skipIf(skip)("keeps the previous good reply when a regenerate fails or is stopped", async () => {
    const body = chatBody("[[fake:reply The good answer]] question");
    await readUiStream(await admin.postJson("/api/chat", body));
    app.fake!.enqueue({ type: "error", status: 500 });
    const failed = await readUiStream(await admin.postJson("/api/chat", { id: body.id, modelId: body.modelId, regenerate: true }));
    expect(failed.errors).toHaveLength(1);
    app.fake!.enqueue({ type: "cut", afterChunks: 1 });
    await readUiStream(await admin.postJson("/api/chat", { id: body.id, modelId: body.modelId, regenerate: true }));

    const chat = await json<{ messages: { role: string; parts: { text: string }[]; metadata?: { status: string } }[] }>(
      await admin.fetch(`/api/chats/${body.id}`),
    );
    expect(chat.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(chat.messages[1]!.parts[0]!.text).toBe("The good answer");
    expect(chat.messages[1]!.metadata?.status).toBe("ok");
    const rows = (await settledUsage(admin)).filter((r) => r.chatId === body.id);
    expect(rows.map((r) => r.status).sort()).toEqual(["error", "interrupted", "ok"]);
  });

  it.skipIf(skip)("refuses a member at the budget with 402, naming it and when it resets, before anything goes upstream", async () => {
    const { id, session } = await newMember(admin, app, "Penny");
    const created = await admin.postJson("/api/admin/budgets", {
      scope: "user",
      targetId: id,
      amountUsd: "0.000001",
      period: "day",
    });
    expect(created.status).toBe(201);
    const { budget } = await json<{ budget: { id: string; amountUsd: string; resetsAt: string } }>(created);

    // The first call fits (the budget had room); its real cost then uses the budget up.
    const first = await session.postJson("/api/chat", chatBody("spend a little"));
    expect(first.status).toBe(200);
    await readUiStream(first);
    await settledUsage(admin);

    app.fake!.reset();
    const refused = await session.postJson("/api/chat", chatBody("and a little more"));
    expect(refused.status).toBe(402);
    const error = await json<{ error: { code: string; message: string; resetsAt: string }; resetsAt: string }>(refused);
    expect(error.error.code).toBe("payment_required:budget");
    expect(error.error.message).toMatch(/your daily budget/);
    expect(error.error.message).toMatch(/resets/);
    expect(error.error.resetsAt).toBe(budget.resetsAt);
    expect(error.resetsAt).toBe(budget.resetsAt);
    expect(app.fake!.requests.filter((r) => r.path === "/v1/chat/completions")).toHaveLength(0);

    // The member sees the budget; an admin removing it lets them chat again.
    expect((await admin.fetch(`/api/admin/budgets/${budget.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await session.postJson("/api/chat", chatBody("thanks"))).status).toBe(200);
  });

  it.skipIf(skip)("warns at the warning level and does not refuse a call the budget has room for", async () => {
    const { id, session } = await newMember(admin, app, "Walt");
    await admin.postJson("/api/admin/budgets", { scope: "user", targetId: id, amountUsd: "5", period: "month", warnPercent: 1 });
    const response = await session.postJson("/api/chat", chatBody("hello"));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/You have used \d+% of your monthly budget \(\$5\.00\)/);
  });

  it.skipIf(skip)("manages budgets through the admin API, each change audited once", async () => {
    const group = await json<{ group: { id: string } }>(await admin.postJson("/api/admin/groups", { name: `Team ${crypto.randomUUID().slice(0, 6)}` }));
    const bad = [
      { scope: "group", amountUsd: "10", period: "week" },
      { scope: "workspace", targetId: group.group.id, amountUsd: "10", period: "week" },
      { scope: "workspace", amountUsd: "ten", period: "week" },
      { scope: "workspace", amountUsd: "10", period: "year" },
    ];
    for (const body of bad) expect((await admin.postJson("/api/admin/budgets", body)).status).toBe(400);

    const created = await admin.postJson("/api/admin/budgets", { scope: "group", targetId: group.group.id, amountUsd: "12.50", period: "week" });
    expect(created.status).toBe(201);
    const { budget } = await json<{ budget: Json & { id: string } }>(created);
    expect(budget).toMatchObject({ scope: "group", targetId: group.group.id, amountUsd: "12.50", period: "week", warnPercent: 80 });

    const patched = await admin.fetch(`/api/admin/budgets/${budget.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ amountUsd: "20", warnPercent: 90 }),
    });
    expect(patched.status).toBe(200);
    expect((await json<{ budget: Json }>(patched)).budget).toMatchObject({ amountUsd: "20.00", warnPercent: 90 });
    const listed = await json<{ budgets: { id: string }[] }>(await admin.fetch("/api/admin/budgets"));
    expect(listed.budgets.map((b) => b.id)).toContain(budget.id);

    const audit = await json<{ entries: { action: string; targetId: string }[] }>(await admin.fetch(`/api/admin/audit?targetId=${budget.id}`));
    expect(audit.entries.map((e) => e.action)).toEqual(["budget.update", "budget.create"]);
    const { session } = await newMember(admin, app, "Nosy");
    expect((await session.fetch("/api/admin/budgets")).status).toBe(403);
  });

  it.skipIf(skip)("resets calendar periods in the workspace time zone", async () => {
    const set = await admin.fetch("/api/admin/settings", {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ timeZone: "America/Los_Angeles" }),
    });
    expect(set.status).toBe(200);
    try {
      const { budget } = await json<{ budget: { resetsAt: string } }>(
        await admin.postJson("/api/admin/budgets", { scope: "workspace", amountUsd: "1000", period: "day" }),
      );
      const resetsAt = new Date(budget.resetsAt);
      const local = new Intl.DateTimeFormat("en-US", { timeZone: "America/Los_Angeles", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(resetsAt);
      expect(local).toBe("00:00");
      expect(resetsAt.getTime()).toBeGreaterThan(Date.now());
      expect(resetsAt.getTime() - Date.now()).toBeLessThanOrEqual(25 * 3600_000);
    } finally {
      await admin.fetch("/api/admin/settings", {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ timeZone: "UTC" }),
      });
    }
  });

  it.skipIf(skip)("limits requests per minute with 429 and Retry-After, from the most generous group", async () => {
    const { id, session } = await newMember(admin, app, "Rita");
    const strict = await json<{ group: { id: string } }>(await admin.postJson("/api/admin/groups", { name: `Strict ${id.slice(0, 6)}`, rpm: 1 }));
    const generous = await json<{ group: { id: string } }>(await admin.postJson("/api/admin/groups", { name: `Generous ${id.slice(0, 6)}`, rpm: 2 }));
    for (const g of [strict, generous]) await admin.postJson(`/api/admin/groups/${g.group.id}/members`, { userId: id });

    for (let i = 0; i < 2; i++) await readUiStream(await session.postJson("/api/chat", chatBody(`call ${i}`)));
    app.fake!.reset();
    const refused = await session.postJson("/api/chat", chatBody("one too many"));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await json<{ error: { code: string; message: string } }>(refused)).error.message).toMatch(/2 requests per minute/);
    expect(app.fake!.requests.filter((r) => r.path === "/v1/chat/completions")).toHaveLength(0);
  });
});

describe.skipIf(pgSkip !== null)("budgets under concurrency on PostgreSQL", () => {
  let first: AppServer;
  let second: AppServer;
  let admin: Session;

  beforeAll(async () => {
    // Small replies make a call's maximum cost small, so a budget admits several at once.
    const env = { PILLBOX_MAX_OUTPUT_TOKENS: "20" };
    first = await startAppServer({ database: "postgres", env, authSecret: null });
    second = await startAppServer({ database: "postgres", env, sharedDatabaseUrl: first.databaseUrl, authSecret: null });
    admin = await setUpAdmin(first);
  });

  afterAll(async () => {
    await second?.stopServer();
    await first?.stop();
    await second?.stop();
  });

  async function burst(instances: AppServer[], label: string) {
    const { id, session } = await newMember(admin, first, label);
    const amount = 0.002;
    await admin.postJson("/api/admin/budgets", { scope: "user", targetId: id, amountUsd: String(amount), period: "day" });
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        session
          .at(instances[i % instances.length]!.url)
          .postJson("/api/chat", chatBody(`burst ${i} [[fake:reply a b c d e f g h]]`))
          .then(async (r) => (r.status === 200 ? (await readUiStream(r), 200) : r.status)),
      ),
    );
    const rows = (await settledUsage(admin)).filter((r) => r.userEmail.startsWith(label.toLowerCase()));
    const spent = rows.reduce((sum, r) => sum + Number(r.costUsd), 0);
    const oneCall = Math.max(...rows.map((r) => Number(r.costUsd)));
    return { responses, rows, spent, oneCall, amount };
  }

  for (const instances of [1, 2]) {
    it(`never overspends by more than one call with 100 concurrent requests on ${instances} instance(s)`, async () => {
      const { responses, rows, spent, oneCall, amount } = await burst(instances === 1 ? [first] : [first, second], `Burst${instances}`);
      expect(responses.filter((s) => s === 200).length).toBe(rows.length);
      expect(responses.filter((s) => s === 402).length).toBeGreaterThan(0);
      expect(responses.filter((s) => s !== 200 && s !== 402), first.output().slice(-3000)).toEqual([]);
      expect(rows.length).toBeGreaterThan(1);
      expect(spent).toBeLessThanOrEqual(amount + oneCall + 1e-12);
    });
  }

  it("shares rate-limit windows between instances", async () => {
    const { id, session } = await newMember(admin, first, "Shared");
    const group = await json<{ group: { id: string } }>(await admin.postJson("/api/admin/groups", { name: "Shared limit", rpm: 2 }));
    await admin.postJson(`/api/admin/groups/${group.group.id}/members`, { userId: id });
    expect((await session.postJson("/api/chat", chatBody("one"))).status).toBe(200);
    expect((await session.at(second.url).postJson("/api/chat", chatBody("two"))).status).toBe(200);
    const third = await session.postJson("/api/chat", chatBody("three"));
    const fourth = await session.at(second.url).postJson("/api/chat", chatBody("four"));
    expect([third.status, fourth.status]).toEqual([429, 429]);
  });

  it("settles a row a crash left pending as interrupted at its reservation", async () => {
    const crashing = await startAppServer({
      database: "postgres",
      sharedDatabaseUrl: first.databaseUrl,
      authSecret: null,
      env: { PILLBOX_UPSTREAM_IDLE_TIMEOUT_MS: "60000" },
    });
    const body = chatBody("[[fake:hang]] never answered");
    const pending = admin.at(crashing.url).postJson("/api/chat", body).catch(() => null);
    await crashing.fake!.waitFor((r) => r.path === "/v1/chat/completions", 10_000);
    await crashing.crash();
    await pending;
    const { usage } = await json<{ usage: UsageRow[] }>(await admin.fetch("/api/admin/usage?limit=500"));
    expect(usage.find((r) => r.chatId === body.id)?.status).toBe("pending");
    await crashing.stop();

    // Any instance sweeps rows older than its idle timeout (first: the default 60 s would be too slow here).
    const sweeper = await startAppServer({
      database: "postgres",
      sharedDatabaseUrl: first.databaseUrl,
      authSecret: null,
      env: { PILLBOX_UPSTREAM_IDLE_TIMEOUT_MS: "500" },
    });
    try {
      let row: UsageRow | undefined;
      for (let i = 0; i < 100 && row?.status !== "interrupted"; i++) {
        await new Promise((r) => setTimeout(r, 100));
        row = (await json<{ usage: UsageRow[] }>(await admin.fetch("/api/admin/usage?limit=500"))).usage.find((r) => r.chatId === body.id);
      }
      expect(row).toMatchObject({ status: "interrupted", errorCode: "interrupted_unsettled" });
      expect(Number(row!.costUsd)).toBeGreaterThan(0);
    } finally {
      await sweeper.stop();
    }
  });

  it("keeps the groups a call was made under", async () => {
    const { usage } = await json<{ usage: UsageRow[] }>(await admin.fetch("/api/admin/usage?limit=1"));
    expect(usage[0]?.groupIds).toContain(EVERYONE);
  });
});
