// Issue 9 §4: PostgreSQL going away mid-run. The app reaches its database through a TCP proxy the
// test cuts (every connection reset, new ones refused) and restores: requests then get a quick 503
// JSON, readiness reports the outage, the app recovers without a restart, and a reply that ended
// during the outage is saved and settled once the database is back (or, with the retry queue full,
// logged as lost with its contents).
import pg from "pg";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { desktop, launchBrowser, screenshot, signInWithPassword } from "../support/browser";
import { PG_ADMIN_URL, TEST_REDPILL_KEY } from "../support/constants";
import { ADMIN, chatBody, setUpAdmin } from "../support/fixtures";
import { createTestDatabase, postgresReachable } from "../support/postgres";
import type { Session } from "../support/session";
import { startTcpProxy, throughProxy, type TcpProxy } from "../support/tcp-proxy";
import { readUiStream } from "../support/ui-stream";

const pgSkip = await postgresReachable();
const SONNET = "anthropic/claude-sonnet-4.5";

interface Outage {
  app: AppServer;
  proxy: TcpProxy;
  admin: Session;
  /** Queries the database directly, past the proxy. */
  rows(sql: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

async function startBehindProxy(env: Record<string, string> = {}): Promise<Outage> {
  const database = await createTestDatabase();
  const target = new URL(PG_ADMIN_URL);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const app = await startAppServer({
    database: "postgres",
    sharedDatabaseUrl: throughProxy(database.url, proxy),
    // Retries come at most a second apart, so the test does not wait long once the database is back.
    env: { PILLBOX_RETRY_MAX_DELAY_MS: "1000", DATABASE_CONNECT_TIMEOUT_MS: "2000", ...env },
  });
  const admin = await setUpAdmin(app);
  return {
    app,
    proxy,
    admin,
    async rows(sql, values = []) {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        return (await client.query(sql, values)).rows as Record<string, unknown>[];
      } finally {
        await client.end();
      }
    },
    async stop() {
      await app.stop();
      await proxy.close();
      await database.drop();
    },
  };
}

async function until(check: () => boolean | Promise<boolean>, what: string) {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface LogLine {
  level?: string;
  message?: string;
  what?: string;
  why?: string;
  contents?: { chatId?: string; usageId?: string; status?: string; reply?: { text?: string }; tokens?: Record<string, number> };
}

function logLines(output: string): LogLine[] {
  return output.split("\n").flatMap((line) => {
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });
}

/**
 * Starts a reply that streams for a few seconds (40 words, 150 ms apart) and returns once its
 * user message is stored: the database is needed again only when the reply ends.
 */
async function startSlowReply(outage: Outage) {
  const body = chatBody("[[fake:tokens 40 150]] count slowly", SONNET);
  const response = await outage.admin.postJson("/api/chat", body);
  expect(response.status).toBe(200);
  const reading = readUiStream(response);
  await until(async () => (await outage.rows(`SELECT 1 FROM "Message" WHERE "chatId" = $1::uuid`, [body.id])).length === 1, "the user message");
  return { chatId: body.id, reading };
}

const usageOf = (outage: Outage, chatId: string) =>
  outage.rows(`SELECT status::text, "messageId", "completionTokens" FROM "UsageRecord" WHERE "chatId" = $1::uuid`, [chatId]);
const messagesOf = (outage: Outage, chatId: string) =>
  outage.rows(`SELECT id, role::text, parts, metadata FROM "Message" WHERE "chatId" = $1::uuid ORDER BY "createdAt"`, [chatId]);

describe.skipIf(pgSkip !== null)("PostgreSQL going away mid-run", () => {
  let outage: Outage;
  let browser: Browser;
  beforeAll(async () => {
    outage = await startBehindProxy();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await outage?.stop();
  });

  it("answers 503 JSON while the database is unreachable, reports it in readiness and on pages, and recovers without a restart", async () => {
    const { app, proxy, admin } = outage;
    expect((await admin.fetch("/api/models")).status).toBe(200);
    expect((await fetch(`${app.url}/api/health?ready=1`)).status).toBe(200);
    const signedIn = await signInWithPassword(await (await browser.newContext(desktop)).newPage(), app.url, ADMIN);
    const signedOut = await (await browser.newContext(desktop)).newPage();

    await proxy.cut();
    try {
      for (const request of [() => admin.fetch("/api/models"), () => admin.fetch("/api/chats"), () => admin.postJson("/api/chat", chatBody("hello", SONNET))]) {
        const response = await request();
        expect(response.status).toBe(503);
        expect(response.headers.get("content-type")).toMatch(/^application\/json/);
        const text = await response.text();
        const body = JSON.parse(text) as { error: { code: string; message: string } };
        expect(body.error.code).toBe("unavailable:database");
        expect(body.error.message).toMatch(/database is not reachable/i);
        // No stack trace, no driver detail.
        expect(text).not.toMatch(/\bat \w|prisma|ECONNRESET|127\.0\.0\.1/i);
      }

      const ready = await fetch(`${app.url}/api/health?ready=1`);
      expect(ready.status).toBe(503);
      const readiness = (await ready.json()) as { error: { code: string; message: string; checks: { database: { ok: boolean } } } };
      expect(readiness.error.code).toBe("unavailable:database");
      expect(readiness.error.message).toMatch(/database is not reachable/i);
      expect(readiness.error.checks.database).toEqual({ ok: false });
      expect((await fetch(`${app.url}/api/health`)).status).toBe(503);

      // Pages say what is wrong, for the signed-in chat and the signed-out sign-in page alike.
      await signedIn.goto(`${app.url}/`);
      await signedIn.getByRole("heading", { name: "The database is not reachable" }).waitFor();
      await screenshot(signedIn, "db-outage-chat");
      await signedOut.goto(`${app.url}/signin`);
      await signedOut.getByRole("heading", { name: "The database is not reachable" }).waitFor();
    } finally {
      await proxy.restore();
    }

    // The pool opens new connections by itself: no restart.
    const models = await admin.fetch("/api/models");
    expect(models.status).toBe(200);
    const ready = await fetch(`${app.url}/api/health?ready=1`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: { database: { ok: boolean } } }).checks.database).toEqual({ ok: true });
    // "Try again" on the error page brings the chat back.
    await signedIn.getByRole("button", { name: "Try again" }).click();
    await signedIn.getByPlaceholder(/message/i).waitFor();
  });

  it("saves and settles a reply that ended during the outage once the database is back", async () => {
    const { app, proxy } = outage;
    const { chatId, reading } = await startSlowReply(outage);
    await proxy.cut();
    let result;
    try {
      result = await reading;
      // The reply reached the browser whole, although it could not be stored yet.
      expect(result.errors).toEqual([]);
      expect(result.finished).toBe(true);
      expect(result.text.split(" ").filter(Boolean)).toHaveLength(40);
      // It ended during the outage: nothing of it is stored yet and its usage is still reserved.
      expect(await usageOf(outage, chatId)).toEqual([expect.objectContaining({ status: "pending", messageId: null })]);
      expect((await messagesOf(outage, chatId)).map((m) => m.role)).toEqual(["user"]);
      await until(() => logLines(app.output()).some((l) => l.message === "database unreachable: write queued for retry"), "the queued write");
      const ready = (await (await fetch(`${app.url}/api/health?ready=1`)).json()) as { error: { checks: { retryQueue: unknown } } };
      expect(ready.error.checks.retryQueue).toEqual({ pending: 1, capacity: 1000 });
    } finally {
      await proxy.restore();
    }

    await until(async () => (await usageOf(outage, chatId))[0]?.status === "ok", "the usage row to settle");
    const messages = await messagesOf(outage, chatId);
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(messages[1]!.metadata).toMatchObject({ status: "ok" });
    expect(JSON.stringify(messages[1]!.parts)).toContain(result.text.trim().split(" ").at(-1)!);
    const [usage] = await usageOf(outage, chatId);
    expect(usage).toMatchObject({ status: "ok", messageId: messages[1]!.id });
    expect(Number(usage!.completionTokens)).toBeGreaterThan(0);
    expect(logLines(app.output()).some((l) => l.message === "queued database write saved")).toBe(true);
    expect(logLines(app.output()).some((l) => l.message === "database write lost")).toBe(false);
    // And the chat reads back through the API like any other.
    const chat = await outage.admin.fetch(`/api/chats/${chatId}`);
    expect(chat.status).toBe(200);
  });
});

describe.skipIf(pgSkip !== null)("PostgreSQL going away with the retry queue full", () => {
  let outage: Outage;
  beforeAll(async () => {
    outage = await startBehindProxy({ PILLBOX_RETRY_QUEUE_SIZE: "1" });
  });
  afterAll(async () => {
    await outage?.stop();
  });

  it("retries what fits and logs the rest as lost, with its contents and never the key", async () => {
    const { app, proxy } = outage;
    const replies = [await startSlowReply(outage), await startSlowReply(outage)];
    await proxy.cut();
    let results;
    try {
      results = await Promise.all(replies.map((r) => r.reading));
      for (const result of results) expect(result.finished).toBe(true);
      await until(() => logLines(app.output()).some((l) => l.message === "database write lost"), "the lost write");
    } finally {
      await proxy.restore();
    }

    const lost = logLines(app.output()).filter((l) => l.message === "database write lost");
    expect(lost).toHaveLength(1);
    const [line] = lost;
    expect(line!.level).toBe("error");
    expect(line!.what).toBe("reply");
    expect(line!.why).toMatch(/retry queue is full \(1\)/);
    const lostIndex = replies.findIndex((r) => r.chatId === line!.contents?.chatId);
    expect(lostIndex).toBeGreaterThanOrEqual(0);
    // Everything the write would have stored: the reply's text, its tokens, its usage row.
    expect(line!.contents!.reply!.text).toBe(results[lostIndex]!.text);
    expect(line!.contents!.status).toBe("ok");
    expect(line!.contents!.tokens!.completionTokens).toBeGreaterThan(0);
    const [lostUsage] = await usageOf(outage, replies[lostIndex]!.chatId);
    expect(line!.contents!.usageId).toEqual(expect.any(String));
    expect(lostUsage!.status).toBe("pending");

    // The one that fit in the queue is saved and settled once the database is back.
    const kept = replies[1 - lostIndex]!;
    await until(async () => (await usageOf(outage, kept.chatId))[0]?.status === "ok", "the queued reply to settle");
    expect((await messagesOf(outage, kept.chatId)).map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(app.output()).not.toContain(TEST_REDPILL_KEY);
  });
});

describe.skipIf(pgSkip !== null)("PostgreSQL away while the instance shuts down", () => {
  it("waits for the queued writes within the grace period, then logs them as lost and exits 0", async () => {
    const outage = await startBehindProxy({ PILLBOX_SHUTDOWN_GRACE_MS: "1000" });
    try {
      const { app, proxy } = outage;
      const { chatId, reading } = await startSlowReply(outage);
      await proxy.cut();
      const result = await reading;
      expect(result.finished).toBe(true);
      await until(() => logLines(app.output()).some((l) => l.message === "database unreachable: write queued for retry"), "the queued write");

      process.kill(app.pid, "SIGTERM");
      expect(await app.exited).toEqual({ code: 0, signal: null });
      const lost = logLines(app.output()).filter((l) => l.message === "database write lost");
      expect(lost).toHaveLength(1);
      expect(lost[0]!.why).toMatch(/shut down before the database came back/);
      expect(lost[0]!.contents).toMatchObject({ chatId, status: "ok", reply: { text: result.text } });
      await proxy.restore();
      expect(await usageOf(outage, chatId)).toEqual([expect.objectContaining({ status: "pending" })]);
    } finally {
      await outage.stop();
    }
  });
});
