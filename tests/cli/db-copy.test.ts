// `npm run db:copy`: a workspace built on the embedded database through the app's API, copied into
// a fresh PostgreSQL database, then served from there by a new server that must show the same data.
import { spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UsageSummary } from "@/lib/usage/summary";
import { startAppServer, type AppServer } from "../support/app-server";
import { ROOT } from "../support/constants";
import { ADMIN, chatBody, sendChat, setUpAdmin } from "../support/fixtures";
import { blankEnvFileVariables } from "../support/isolated-env";
import { createTestDatabase, postgresReachable } from "../support/postgres";
import { Session } from "../support/session";

const pgSkip = await postgresReachable();
if (pgSkip) console.warn(`[tests] skipping db:copy: ${pgSkip}`);

const BOB = { email: "bob@example.com", name: "Bob Member", password: "member-password-1" };

/** `npm run db:copy -- …args` with the embedded workspace in `dataDir`. */
function runCopy(dataDir: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/db-copy.ts", ...args], {
      cwd: ROOT,
      env: { ...blankEnvFileVariables(), NODE_ENV: "production", PATH: process.env.PATH, HOME: process.env.HOME, PILLBOX_DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => resolve({ code, output }));
  });
}

async function json<T>(session: Session, pathname: string): Promise<T> {
  const response = await session.fetch(pathname);
  expect(response.status, `${pathname}: ${await response.clone().text()}`).toBe(200);
  return (await response.json()) as T;
}

async function post<T>(session: Session, pathname: string, body: unknown): Promise<T> {
  const response = await session.postJson(pathname, body);
  expect([200, 201], `${pathname}: ${await response.clone().text()}`).toContain(response.status);
  return (await response.json()) as T;
}

interface ChatItem {
  id: string;
  title: string;
}

/** Everything a person sees of the workspace through the API, as the admin and as Bob. */
async function workspaceView(admin: Session, bob: Session) {
  const chatsOf = async (session: Session) => {
    const { chats } = await json<{ chats: ChatItem[] }>(session, "/api/chats");
    return Promise.all(chats.map((chat) => json<{ chat: unknown }>(session, `/api/chats/${chat.id}`)));
  };
  const from = "2000-01-01";
  const to = "2100-01-01";
  return {
    adminChats: await chatsOf(admin),
    bobChats: await chatsOf(bob),
    users: await json<unknown>(admin, "/api/admin/users"),
    groups: await json<unknown>(admin, "/api/admin/groups"),
    budgets: await json<unknown>(admin, "/api/admin/budgets"),
    audit: await json<unknown>(admin, "/api/admin/audit?limit=100"),
    settings: await json<unknown>(admin, "/api/admin/settings"),
    usageByUser: await json<UsageSummary>(admin, `/api/admin/usage/summary?from=${from}&to=${to}&groupBy=user`),
    usageByModel: await json<UsageSummary>(admin, `/api/admin/usage/summary?from=${from}&to=${to}&groupBy=model`),
    bobUsage: await json<unknown>(bob, `/api/usage/me?from=${from}&to=${to}`),
  };
}

async function signedIn(url: string, who: { email: string; password: string }): Promise<Session> {
  const session = new Session(url);
  expect(await session.signIn(who.email, who.password)).toBe(true);
  return session;
}

async function publicTableCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'",
    );
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

describe.skipIf(pgSkip !== null)("npm run db:copy: embedded → PostgreSQL", () => {
  let source: AppServer;
  let copied: AppServer | undefined;
  let dataDir: string;
  let before: Awaited<ReturnType<typeof workspaceView>>;
  const databases: { url: string; drop(): Promise<void> }[] = [];

  beforeAll(async () => {
    source = await startAppServer({ database: "embedded" });
    dataDir = path.dirname(source.pgliteDir);
    const admin = await setUpAdmin(source);
    const { user } = await post<{ user: { id: string } }>(admin, "/api/admin/users", BOB);
    const { group } = await post<{ group: { id: string } }>(admin, "/api/admin/groups", { name: "Research" });
    await post(admin, `/api/admin/groups/${group.id}/members`, { userId: user.id });
    await post(admin, "/api/admin/budgets", { scope: "group", targetId: group.id, amountUsd: "12.50", period: "week" });
    await post(admin, "/api/admin/budgets", { scope: "user", targetId: user.id, amountUsd: "3", period: "month" });
    const bob = await signedIn(source.url, BOB);

    const first = chatBody("What is a TEE?");
    await sendChat(admin, first);
    await sendChat(admin, chatBody("And attestation?", first.modelId, first.id));
    await sendChat(admin, chatBody("A second chat", "openai/gpt-5"));
    await sendChat(bob, chatBody("Hello from Bob"));

    // Settled usage, and titles written after the replies: wait until the view stops changing.
    for (let previous = ""; ; ) {
      const { usage } = await json<{ usage: { status: string }[] }>(admin, "/api/admin/usage?limit=50");
      const view = await workspaceView(admin, bob);
      const text = JSON.stringify(view);
      if (usage.length === 4 && usage.every((row) => row.status !== "pending") && text === previous) {
        before = view;
        break;
      }
      previous = text;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(before.adminChats).toHaveLength(2);
    expect(before.bobChats).toHaveLength(1);
    expect(before.usageByUser.totals.requests).toBeGreaterThanOrEqual(4);
    expect(Number(before.usageByUser.totals.costUsd)).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await copied?.stop();
    await source?.stop();
    for (const database of databases) await database.drop();
  });

  it("refuses while a server holds the embedded database, and writes nothing", async () => {
    const target = await createTestDatabase("pillbox_copy");
    databases.push(target);
    const { code, output } = await runCopy(dataDir, ["--to", target.url]);
    expect(code, output).toBe(1);
    expect(output).toMatch(/the embedded database is in use by process \d+; stop Pillbox first/);
    expect(await publicTableCount(target.url)).toBe(0);
  });

  it("copies the stopped workspace into an empty database, and a server on it shows the same workspace", async () => {
    await source.stopServer();
    const target = await createTestDatabase("pillbox_copy");
    databases.push(target);
    const { code, output } = await runCopy(dataDir, ["--to", target.url]);
    expect(code, output).toBe(0);
    expect(output).toContain("row counts and the sums of their numeric columns match");
    expect(output).toMatch(/^ {2}UsageRecord: 4 rows, .*costUsd sum /m);
    expect(output).toMatch(/^ {2}Message: 8 rows/m);
    expect(output).toContain(`Set DATABASE_URL=${target.url}`);
    expect(output).toContain("Remove PILLBOX_DATA_DIR");

    copied = await startAppServer({ database: "postgres", sharedDatabaseUrl: target.url });
    const after = await workspaceView(await signedIn(copied.url, ADMIN), await signedIn(copied.url, BOB));
    expect(after).toEqual(before);
    expect(after.usageByUser.totals).toEqual(before.usageByUser.totals);

    // … and it goes on from there: a new chat on PostgreSQL.
    await sendChat(await signedIn(copied.url, BOB), chatBody("Still here on PostgreSQL"));
  });

  it("refuses a target that already holds data, naming it, and changes nothing", async () => {
    const target = databases.at(-1)!;
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    const count = async () => (await client.query<{ n: string }>(`SELECT count(*) AS n FROM "Chat"`)).rows[0]!.n;
    try {
      const chats = await count();
      const { code, output } = await runCopy(dataDir, ["--to", target.url]);
      expect(code, output).toBe(1);
      expect(output).toMatch(/the target database .* is not empty: .*User \(2 rows\)/);
      expect(output).toContain("nothing was written");
      expect(await count()).toBe(chats);
    } finally {
      await client.end();
    }
  });

  it("says what it needs when --to is missing or not a PostgreSQL URL", async () => {
    for (const args of [[], ["--to", "mysql://db/pillbox"]]) {
      const { code, output } = await runCopy(dataDir, args);
      expect(code).toBe(1);
      expect(output).toContain("usage: npm run db:copy -- --to postgresql://");
    }
  });
});
