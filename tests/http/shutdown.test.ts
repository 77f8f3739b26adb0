// Issue 9 §3: on SIGTERM an instance refuses new requests, lets open replies finish within
// PILLBOX_SHUTDOWN_GRACE_MS, then aborts the rest and settles them as `aborted`, and exits 0.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { chatBody, setUpAdmin } from "../support/fixtures";
import { postgresReachable } from "../support/postgres";
import { readUiStream } from "../support/ui-stream";

const pgSkip = await postgresReachable();
const SONNET = "anthropic/claude-sonnet-4.5";

async function rowsOf(app: AppServer, sql: string, values: unknown[]) {
  const client = new pg.Client({ connectionString: app.databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

async function until(check: () => boolean | Promise<boolean>, what: string) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Starts a reply and sends SIGTERM once it is streaming; returns the stream's reading. */
async function replyCutBySigterm(app: AppServer, text: string) {
  const admin = await setUpAdmin(app);
  const body = chatBody(text, SONNET);
  const response = await admin.postJson("/api/chat", body);
  expect(response.status).toBe(200);
  const reading = readUiStream(response);
  await until(() => app.fake!.requests.some((r) => r.path === "/v1/chat/completions"), "the upstream call");
  process.kill(app.pid, "SIGTERM");
  return { chatId: body.id, reading };
}

describe("graceful shutdown on SIGTERM", () => {
  it.skipIf(pgSkip !== null)("lets an open reply finish, refuses new requests meanwhile, then exits 0", async () => {
    const app = await startAppServer({ database: "postgres", env: { PILLBOX_SHUTDOWN_GRACE_MS: "60000" } });
    try {
      // 60 chunks 100 ms apart: about 6 s, well inside the grace period.
      const { chatId, reading } = await replyCutBySigterm(app, "[[fake:tokens 60 100]] count");
      let refused: Response | null = null;
      await until(async () => {
        refused = await fetch(`${app.url}/api/health`);
        return refused.status === 503;
      }, "a 503 for a new request");
      expect(((await refused!.json()) as { error: { code: string } }).error.code).toBe("unavailable:api");

      const result = await reading;
      expect(result.errors).toEqual([]);
      expect(result.finished).toBe(true);
      expect(result.text.split(" ").filter(Boolean)).toHaveLength(60);
      expect(await app.exited).toEqual({ code: 0, signal: null });
      const usage = await rowsOf(app, `SELECT status::text, "errorCode" FROM "UsageRecord" WHERE "chatId" = $1`, [chatId]);
      expect(usage).toEqual([{ status: "ok", errorCode: null }]);
    } finally {
      await app.stop();
    }
  });

  it.skipIf(pgSkip !== null)("aborts the replies still open when the grace period ends, keeps what arrived and settles them as aborted", async () => {
    const app = await startAppServer({ database: "postgres", env: { PILLBOX_SHUTDOWN_GRACE_MS: "1500" } });
    try {
      // 400 chunks 100 ms apart: far longer than the grace period.
      const { chatId, reading } = await replyCutBySigterm(app, "[[fake:tokens 400 100]] count");
      const result = await reading;
      expect(result.text.length).toBeGreaterThan(0);
      expect(await app.exited).toEqual({ code: 0, signal: null });

      const usage = await rowsOf(app, `SELECT status::text, "errorCode", "completionTokens" FROM "UsageRecord" WHERE "chatId" = $1`, [chatId]);
      expect(usage).toHaveLength(1);
      expect(usage[0]).toMatchObject({ status: "aborted", errorCode: "server_shutdown" });
      expect(Number(usage[0]!.completionTokens)).toBeGreaterThan(0);
      const messages = await rowsOf(app, `SELECT role::text, parts, metadata FROM "Message" WHERE "chatId" = $1 ORDER BY "createdAt"`, [chatId]);
      expect(messages.map((m) => m.role)).toEqual(["user", "assistant"]);
      expect(messages[1]!.metadata).toMatchObject({ status: "aborted" });
      expect(JSON.stringify(messages[1]!.parts)).toContain(result.text.split(" ").filter(Boolean)[0]!);
    } finally {
      await app.stop();
    }
  });
});
