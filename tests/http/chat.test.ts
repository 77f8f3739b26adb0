import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_REDPILL_MODELS } from "@/lib/fake-redpill";
import type { UsageRow } from "@/lib/usage/rows";
import { startAppServer, type AppServer, type DatabaseKind } from "../support/app-server";
import { TEST_REDPILL_KEY } from "../support/constants";
import { chatBody, setUpAdmin } from "../support/fixtures";
import { postgresReachable } from "../support/postgres";
import { Session } from "../support/session";
import { readUiStream } from "../support/ui-stream";

const pgSkip = await postgresReachable();
if (pgSkip) console.warn(`[tests] skipping the PostgreSQL half: ${pgSkip}`);

describe.each<DatabaseKind>(["embedded", "postgres"])("chat API on the %s database", (database) => {
  const skip = database === "postgres" && pgSkip !== null;
  let app: AppServer;
  let admin: Session;
  const seen: string[] = []; // every response body and header, for the key-custody assertion

  async function record(response: Response): Promise<Response> {
    seen.push(JSON.stringify([...response.headers]));
    seen.push(await response.clone().text());
    return response;
  }

  async function usage(): Promise<UsageRow[]> {
    const response = await record(await admin.fetch("/api/admin/usage?limit=50"));
    expect(response.status).toBe(200);
    return ((await response.json()) as { usage: UsageRow[] }).usage;
  }

  /** The usage rows once there are `count` of them and none is still pending (reserved, not yet settled). */
  async function waitForUsage(count: number): Promise<UsageRow[]> {
    for (let i = 0; i < 100; i++) {
      const rows = await usage();
      if (rows.length >= count && rows.every((r) => r.status !== "pending")) return rows;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`expected ${count} usage rows`);
  }

  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer({ database, env: { PILLBOX_UPSTREAM_IDLE_TIMEOUT_MS: "1500" } });
    admin = await setUpAdmin(app);
  });

  afterAll(async () => {
    if (skip) return;
    await app.stopServer();
    const stored = await app.dumpDatabase();
    await app.stop();
    // Key custody: nothing the server sent, printed or stored contains the key.
    expect(stored).toContain("ada@example.com"); // the dump did read the tables
    expect(stored).not.toContain(TEST_REDPILL_KEY);
    expect(seen.join("\n")).not.toContain(TEST_REDPILL_KEY);
    expect(app.output()).not.toContain(TEST_REDPILL_KEY);
  });

  it.skipIf(skip)("refuses an anonymous chat with 401 JSON and never calls upstream", async () => {
    app.fake!.reset();
    const response = await record(
      await fetch(`${app.url}/api/chat`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(chatBody("hello")),
      }),
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: "unauthorized:auth", message: expect.any(String) } });
    expect(app.fake!.requests.filter((r) => r.path.includes("chat"))).toHaveLength(0);
  });

  it.skipIf(skip)("allows setup only once", async () => {
    const again = await record(
      await fetch(`${app.url}/api/setup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "mallory@example.com", name: "M", password: "password123" }),
      }),
    );
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("conflict:setup");
  });

  it.skipIf(skip)("gives one generic answer for a wrong email or a wrong password", async () => {
    expect(await new Session(app.url).signIn("nobody@example.com", "whatever123")).toBe(false);
    expect(await new Session(app.url).signIn("ada@example.com", "wrong password")).toBe(false);
  });

  it.skipIf(skip)("rejects bad input with 400 and writes nothing", async () => {
    app.fake!.reset();
    const before = (await (await admin.fetch("/api/chats")).json()) as { chats: unknown[] };
    for (const body of [
      { ...chatBody("hi"), id: "not-a-uuid" },
      { ...chatBody("hi"), message: { id: "x", role: "assistant", parts: [{ type: "text", text: "hi" }] } },
      { ...chatBody(""), modelId: "anthropic/claude-sonnet-4.5" },
      { id: crypto.randomUUID() },
    ]) {
      const response = await record(await admin.postJson("/api/chat", body));
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("bad_request:api");
    }
    const notJson = await record(await admin.fetch("/api/chat", { method: "POST", body: "{nope" }));
    expect(notJson.status).toBe(400);
    const after = (await (await admin.fetch("/api/chats")).json()) as { chats: unknown[] };
    expect(after.chats).toHaveLength(before.chats.length);
    expect(app.fake!.requests.filter((r) => r.path.includes("chat"))).toHaveLength(0);
  });

  it.skipIf(skip)("answers 404 for a model that is not in the catalog", async () => {
    const response = await record(await admin.postJson("/api/chat", chatBody("hi", "acme/nonexistent")));
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found:model");
  });

  it.skipIf(skip)("streams a reply through the server-held key and records its usage and cost", async () => {
    app.fake!.reset();
    const body = chatBody("Tell me about enclaves");
    const response = await record(await admin.postJson("/api/chat", body));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const stream = await readUiStream(response);
    expect(stream.errors).toEqual([]);
    expect(stream.text).toContain("Tell me about enclaves");
    expect(stream.finished).toBe(true);

    const upstream = app.fake!.requests.find((r) => r.path === "/v1/chat/completions")!;
    expect(upstream.headers.authorization).toBe(`Bearer ${TEST_REDPILL_KEY}`);
    const sent = upstream.body as Record<string, unknown>;
    expect(sent.stream).toBe(true);
    expect(sent.stream_options).toEqual({ include_usage: true });
    expect(sent.max_tokens).toBeTypeOf("number");

    const chat = (await (await admin.fetch(`/api/chats/${body.id}`)).json()) as {
      chat: { title: string };
      messages: { role: string; parts: { text: string }[]; metadata?: { status: string } }[];
    };
    expect(chat.chat.title).toBe("Tell me about enclaves");
    expect(chat.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(chat.messages[1]!.parts[0]!.text).toBe(stream.text);
    expect(chat.messages[1]!.metadata?.status).toBe("ok");

    const [row] = await waitForUsage(1);
    const model = FAKE_REDPILL_MODELS.find((m) => m.id === "anthropic/claude-sonnet-4.5")!;
    expect(row).toMatchObject({
      modelId: model.id,
      status: "ok",
      errorCode: null,
      usageEstimated: false,
      userEmail: "ada@example.com",
      chatId: body.id,
    });
    expect(row!.promptTokens).toBeGreaterThan(0);
    expect(row!.completionTokens).toBe(upstream.chunksSent);
    const expectedCost =
      row!.promptTokens * Number(model.pricing.prompt) + row!.completionTokens * Number(model.pricing.completion);
    expect(Number(row!.costUsd)).toBeCloseTo(expectedCost, 10);
    expect(row!.ttftMs).toBeGreaterThanOrEqual(0);
  });

  it.skipIf(skip)("continues a chat with its history, which the server reads from the database", async () => {
    app.fake!.reset();
    const body = chatBody("first question");
    await readUiStream(await admin.postJson("/api/chat", body));
    await readUiStream(await admin.postJson("/api/chat", { ...chatBody("second question"), id: body.id }));
    const second = app.fake!.requests.filter((r) => r.path === "/v1/chat/completions")[1]!;
    const messages = (second.body as { messages: { role: string }[] }).messages;
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
  });

  it.skipIf(skip)("sends max_completion_tokens, not max_tokens, to OpenAI reasoning models", async () => {
    app.fake!.reset();
    const stream = await readUiStream(await admin.postJson("/api/chat", chatBody("reason about it", "openai/gpt-5")));
    expect(stream.errors).toEqual([]);
    const sent = app.fake!.requests.find((r) => r.path === "/v1/chat/completions")!.body as Record<string, unknown>;
    expect(sent.max_tokens).toBeUndefined();
    expect(sent.max_completion_tokens).toBeTypeOf("number");
  });

  it.skipIf(skip)("shows a clear message and records an error row when RedPill rate limits", async () => {
    app.fake!.reset();
    app.fake!.enqueue({ type: "error", status: 429, retryAfterSeconds: 7 });
    const before = (await usage()).length;
    const body = chatBody("rate limit me");
    const stream = await readUiStream(await record(await admin.postJson("/api/chat", body)));
    expect(stream.errors).toHaveLength(1);
    expect(stream.errors[0]).toMatch(/rate limiting.*7 s/);
    const rows = await waitForUsage(before + 1);
    expect(rows[0]).toMatchObject({ status: "error", errorCode: "upstream_rate_limited", promptTokens: 0, completionTokens: 0 });
    const chat = (await (await admin.fetch(`/api/chats/${body.id}`)).json()) as {
      messages: { role: string; metadata?: { status: string; errorMessage: string } }[];
    };
    expect(chat.messages.at(-1)!.metadata).toMatchObject({ status: "error", errorMessage: stream.errors[0] });

    // The failed reply stays in the chat for the user, but is not sent upstream as history.
    app.fake!.reset();
    await readUiStream(await admin.postJson("/api/chat", { ...chatBody("try again"), id: body.id }));
    const retry = app.fake!.requests.find((r) => r.path === "/v1/chat/completions")!.body as {
      messages: { role: string }[];
    };
    expect(retry.messages.map((m) => m.role)).toEqual(["user", "user"]);
  });

  it.skipIf(skip)("regenerates the last reply in place of a failed one", async () => {
    app.fake!.reset();
    app.fake!.enqueue({ type: "error", status: 500 });
    const before = (await usage()).length;
    const body = chatBody("answer me properly");
    const failed = await readUiStream(await admin.postJson("/api/chat", body));
    expect(failed.errors).toHaveLength(1);

    const again = await readUiStream(
      await record(await admin.postJson("/api/chat", { id: body.id, modelId: body.modelId, regenerate: true })),
    );
    expect(again.errors).toEqual([]);
    expect(again.text).toBe("Echo: answer me properly");
    const sent = app.fake!.requests.filter((r) => r.path === "/v1/chat/completions").at(-1)!.body as {
      messages: { role: string }[];
    };
    expect(sent.messages.map((m) => m.role)).toEqual(["user"]);

    const chat = (await (await admin.fetch(`/api/chats/${body.id}`)).json()) as {
      messages: { role: string; parts: { text: string }[]; metadata?: { status: string } }[];
    };
    expect(chat.messages.map((m) => [m.role, m.metadata?.status ?? null])).toEqual([
      ["user", null],
      ["assistant", "ok"],
    ]);
    const rows = await waitForUsage(before + 2);
    expect(rows.slice(0, 2).map((r) => r.status)).toEqual(["ok", "error"]);

    const missing = await record(
      await admin.postJson("/api/chat", { id: crypto.randomUUID(), modelId: body.modelId, regenerate: true }),
    );
    expect(missing.status).toBe(404);
  });

  it.skipIf(skip)("maps upstream 401 and 5xx to messages that never mention the key", async () => {
    for (const status of [401, 500] as const) {
      app.fake!.reset();
      app.fake!.enqueue({ type: "error", status });
      const stream = await readUiStream(await record(await admin.postJson("/api/chat", chatBody(`fail ${status}`))));
      expect(stream.errors).toHaveLength(1);
      expect(stream.errors[0]).toMatch(status === 401 ? /API key/ : /problem \(500\)/);
    }
  });

  it.skipIf(skip)("keeps the partial reply and records an interrupted call with estimated usage when the stream is cut", async () => {
    app.fake!.reset();
    app.fake!.enqueue({ type: "cut", afterChunks: 3 });
    const before = (await usage()).length;
    const body = chatBody("cut me off please, this is a long question");
    const stream = await readUiStream(await record(await admin.postJson("/api/chat", body)));
    expect(stream.text.length).toBeGreaterThan(0);
    expect(stream.errors[0]).toMatch(/connection to RedPill dropped/);
    const [row] = await waitForUsage(before + 1);
    expect(row).toMatchObject({ status: "interrupted", errorCode: "stream_interrupted", usageEstimated: true });
    expect(row!.completionTokens).toBeGreaterThan(0);
    expect(row!.promptTokens).toBeGreaterThan(0);
    const chat = (await (await admin.fetch(`/api/chats/${body.id}`)).json()) as {
      messages: { parts: { text: string }[]; metadata?: { status: string } }[];
    };
    expect(chat.messages.at(-1)!.parts[0]!.text).toBe(stream.text);
    expect(chat.messages.at(-1)!.metadata?.status).toBe("error");
  });

  it.skipIf(skip)("gives up on a silent upstream: clear message, upstream aborted, error recorded", async () => {
    app.fake!.reset();
    app.fake!.enqueue({ type: "hang" });
    const before = (await usage()).length;
    const stream = await readUiStream(await record(await admin.postJson("/api/chat", chatBody("anyone there?"))));
    expect(stream.errors).toEqual(["RedPill took too long to answer."]);
    const upstream = await app.fake!.waitFor((r) => r.path === "/v1/chat/completions" && r.clientClosed, 10_000);
    expect(upstream.completed).toBe(false);
    const [row] = await waitForUsage(before + 1);
    expect(row).toMatchObject({ status: "error", errorCode: "upstream_timeout" });
  });

  it.skipIf(skip)("aborts the upstream call when the client goes away and keeps what arrived", async () => {
    app.fake!.reset();
    app.fake!.enqueue({ type: "slow", chunkDelayMs: 150 });
    const before = (await usage()).length;
    const controller = new AbortController();
    const body = chatBody("stop me midway");
    const response = await admin.postJson("/api/chat", body, { signal: controller.signal });
    const reader = response.body!.getReader();
    let received = "";
    while (!received.includes("text-delta")) received += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const upstream = await app.fake!.waitFor((r) => r.path === "/v1/chat/completions" && r.clientClosed, 10_000);
    expect(upstream.completed).toBe(false);
    const [row] = await waitForUsage(before + 1);
    expect(row).toMatchObject({ status: "aborted", errorCode: "client_aborted", usageEstimated: true });
    const chat = (await (await admin.fetch(`/api/chats/${body.id}`)).json()) as {
      messages: { role: string; parts: { text: string }[]; metadata?: { status: string } }[];
    };
    expect(chat.messages.at(-1)).toMatchObject({ role: "assistant", metadata: { status: "aborted" } });
    expect(chat.messages.at(-1)!.parts[0]!.text.length).toBeGreaterThan(0);
  });

  it.skipIf(skip)("keeps members out of admin APIs and other people's chats", async () => {
    const created = await record(
      await admin.postJson("/api/admin/users", { email: "bob@example.com", name: "Bob", password: "bob-password-1" }),
    );
    expect(created.status).toBe(201);
    const member = new Session(app.url);
    expect(await member.signIn("bob@example.com", "bob-password-1")).toBe(true);

    expect((await record(await member.fetch("/api/admin/usage"))).status).toBe(403);
    expect((await record(await member.postJson("/api/admin/users", { email: "x@y.z", name: "x", password: "12345678" }))).status).toBe(403);

    const adminChat = (await (await admin.fetch("/api/chats")).json()) as { chats: { id: string }[] };
    const theirs = adminChat.chats[0]!.id;
    const hijack = await record(await member.postJson("/api/chat", { ...chatBody("let me in"), id: theirs }));
    expect(hijack.status).toBe(403);
    expect((await record(await member.fetch(`/api/chats/${theirs}`))).status).toBe(404);

    const page = await member.fetch("/admin/usage");
    expect(page.status).toBe(403);
  });

  it.skipIf(skip)("refuses a disabled user on the very next request", async () => {
    const created = (await (
      await admin.postJson("/api/admin/users", { email: "eve@example.com", name: "Eve", password: "eve-password-1" })
    ).json()) as { user: { id: string } };
    const eve = new Session(app.url);
    expect(await eve.signIn("eve@example.com", "eve-password-1")).toBe(true);
    expect((await eve.fetch("/api/chats")).status).toBe(200);

    const disabled = await admin.fetch(`/api/admin/users/${created.user.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ disabled: true }),
    });
    expect(disabled.status).toBe(200);
    expect((await eve.fetch("/api/chats")).status).toBe(401);
    expect((await eve.postJson("/api/chat", chatBody("still here?"))).status).toBe(401);
    expect(await new Session(app.url).signIn("eve@example.com", "eve-password-1")).toBe(false);
  });

  it.skipIf(skip)("lets an admin refresh the catalog and disable a model, which members then cannot use", async () => {
    const refreshed = await record(await admin.fetch("/api/admin/models/refresh", { method: "POST" }));
    expect(refreshed.status).toBe(200);
    expect(await refreshed.json()).toMatchObject({ count: FAKE_REDPILL_MODELS.length, added: [] });

    const listed = (await (await admin.fetch("/api/models")).json()) as { models: { id: string; isTee: boolean }[] };
    expect(listed.models.map((m) => m.id).sort()).toEqual(FAKE_REDPILL_MODELS.map((m) => m.id).sort());
    expect(listed.models.find((m) => m.id === "phala/deepseek-chat-v3-0324")?.isTee).toBe(true);

    const off = await admin.fetch("/api/admin/models/google/gemini-2.5-flash", {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ enabled: false }),
    });
    expect(off.status).toBe(200);
    const after = (await (await admin.fetch("/api/models")).json()) as { models: { id: string }[] };
    expect(after.models.map((m) => m.id)).not.toContain("google/gemini-2.5-flash");
    app.fake!.reset();
    const refused = await record(await admin.postJson("/api/chat", chatBody("hi", "google/gemini-2.5-flash")));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("forbidden:model");
    expect(app.fake!.requests.filter((r) => r.path.includes("chat"))).toHaveLength(0);

    const unknown = await admin.fetch("/api/admin/models/acme/nothing", {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ enabled: false }),
    });
    expect(unknown.status).toBe(404);

    // A catalog refresh keeps the admin's choice.
    await admin.fetch("/api/admin/models/refresh", { method: "POST" });
    const still = (await (await admin.fetch("/api/models")).json()) as { models: { id: string }[] };
    expect(still.models.map((m) => m.id)).not.toContain("google/gemini-2.5-flash");
  });

  it.skipIf(skip)("renames and deletes a chat; its usage rows stay in the ledger", async () => {
    const body = chatBody("a chat to manage");
    await readUiStream(await admin.postJson("/api/chat", body));
    const outsider = new Session(app.url);
    await admin.postJson("/api/admin/users", { email: "olga@example.com", name: "Olga", password: "olga-password" });
    expect(await outsider.signIn("olga@example.com", "olga-password")).toBe(true);

    const patch = (session: Session, title: unknown) =>
      session.fetch(`/api/chats/${body.id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ title }),
      });
    expect((await record(await patch(outsider, "mine now"))).status).toBe(404);
    expect((await record(await patch(admin, ""))).status).toBe(400);
    expect((await record(await patch(admin, "Renamed chat"))).status).toBe(200);
    const listed = (await (await admin.fetch("/api/chats")).json()) as { chats: { id: string; title: string }[] };
    expect(listed.chats.find((c) => c.id === body.id)?.title).toBe("Renamed chat");

    expect((await record(await outsider.fetch(`/api/chats/${body.id}`, { method: "DELETE" }))).status).toBe(404);
    expect((await record(await admin.fetch(`/api/chats/${body.id}`, { method: "DELETE" }))).status).toBe(204);
    expect((await admin.fetch(`/api/chats/${body.id}`)).status).toBe(404);
    const rows = await usage();
    expect(rows.filter((r) => r.chatId === body.id)).toHaveLength(1);
  });

  it.skipIf(skip)("answers unknown API paths with a JSON 404", async () => {
    const response = await record(await admin.fetch("/api/nope"));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found:api", message: expect.any(String) } });
  });

  it.skipIf(skip)("redirects anonymous page views to sign-in", async () => {
    const response = await fetch(`${app.url}/admin/usage`, { redirect: "manual" });
    expect([302, 303, 307]).toContain(response.status);
    expect(response.headers.get("location")).toContain("/signin");
  });
});
