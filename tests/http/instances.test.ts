import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { chatBody, setUpAdmin } from "../support/fixtures";
import { postgresReachable } from "../support/postgres";
import { Session } from "../support/session";
import { readUiStream } from "../support/ui-stream";

const pgSkip = await postgresReachable();

/**
 * Two app instances on one PostgreSQL database, neither given AUTH_SECRET: they must behave as
 * one (the generated secret lives in the database), like processes behind a load balancer.
 */
describe.skipIf(pgSkip !== null)("several instances on one database", () => {
  let first: AppServer;
  let second: AppServer;

  beforeAll(async () => {
    first = await startAppServer({ database: "postgres", authSecret: null });
    second = await startAppServer({ database: "postgres", authSecret: null, sharedDatabaseUrl: first.databaseUrl });
  });

  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  it("accepts a session signed in on one instance at the other, and shares chats and usage", async () => {
    const onFirst = await setUpAdmin(first);
    expect((await onFirst.fetch("/api/chats")).status).toBe(200);

    // The same cookies, sent to the other instance.
    const onSecond = onFirst.at(second.url);
    const body = chatBody("hello from instance two");
    const stream = await readUiStream(await onSecond.postJson("/api/chat", body));
    expect(stream.errors).toEqual([]);

    const chats = (await (await onFirst.fetch("/api/chats")).json()) as { chats: { id: string }[] };
    expect(chats.chats.map((c) => c.id)).toContain(body.id);
    const usage = (await (await onFirst.fetch("/api/admin/usage")).json()) as { usage: { chatId: string }[] };
    expect(usage.usage[0]?.chatId).toBe(body.id);

    // A stranger's cookie is still refused everywhere.
    const stranger = new Session(second.url);
    expect(await stranger.signIn("ada@example.com", "wrong password")).toBe(false);
    expect((await stranger.fetch("/api/chats")).status).toBe(401);
  });
});
