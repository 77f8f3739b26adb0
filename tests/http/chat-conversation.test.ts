// Issue 7 §3: edit-and-resend (the chat is truncated at the edited message), and fitting a long
// conversation into the model's context (the oldest turns go, never the system prompt).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer, type DatabaseKind } from "../support/app-server";
import { chatBody, sendChat, setUpAdmin } from "../support/fixtures";
import { anyDatabase, postgresReachable } from "../support/postgres";
import type { Session } from "../support/session";

const pgSkip = await postgresReachable();
const SONNET = "anthropic/claude-sonnet-4.5";
/** 8,192 tokens of context in the fake catalog */
const SMALL = "meta-llama/llama-3-8b-instruct";

interface UpstreamBody {
  model: string;
  messages: { role: string; content: unknown }[];
  max_tokens?: number;
}
interface StoredMessage {
  id: string;
  role: string;
  parts: { type: string; text?: string }[];
  metadata?: Record<string, unknown>;
}

const textOf = (m: StoredMessage) => m.parts.map((p) => p.text ?? "").join("");
/** A message of about `tokens` tokens (4 characters each, as the fake counts), answered "ok". */
const long = (label: string, tokens: number) => `[[fake:reply ok]] ${label} ${"word ".repeat(Math.ceil((tokens * 4) / 5))}`;

describe.each<DatabaseKind>([anyDatabase(pgSkip)])("conversation on the %s database", (database) => {
  const skip = database === "postgres" && pgSkip !== null;
  let app: AppServer;
  let admin: Session;

  const upstreamCalls = () =>
    app.fake!.requests.filter((r) => r.path === "/v1/chat/completions").map((r) => r.body as UpstreamBody);

  const send = (body: object) => sendChat(admin, body);

  async function messagesOf(chatId: string): Promise<StoredMessage[]> {
    const response = await admin.fetch(`/api/chats/${chatId}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { messages: StoredMessage[] }).messages;
  }

  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer({ database });
    admin = await setUpAdmin(app);
  });

  afterAll(async () => {
    if (skip) return;
    await app.stop();
  });

  it.skipIf(skip)("edits an earlier message: it and everything after it are replaced, and only what is before it goes upstream", async () => {
    const first = chatBody("[[fake:reply Paris]] Capital of France?", SONNET);
    const firstReply = await send(first);
    // The stream tells the client the id its message was stored under, so it can edit it later.
    const stored = await messagesOf(first.id);
    expect(firstReply.metadata?.userMessageId).toBe(stored[0]!.id);
    await send(chatBody("[[fake:reply Berlin]] And of Germany?", SONNET, first.id));
    await send(chatBody("[[fake:reply Rome]] And of Italy?", SONNET, first.id));
    const before = await messagesOf(first.id);
    expect(before.map(textOf)).toEqual([
      "[[fake:reply Paris]] Capital of France?",
      "Paris",
      "[[fake:reply Berlin]] And of Germany?",
      "Berlin",
      "[[fake:reply Rome]] And of Italy?",
      "Rome",
    ]);

    // Edit the second question.
    const edited = { ...chatBody("[[fake:reply Madrid]] And of Spain?", SONNET, first.id), editMessageId: before[2]!.id };
    const reply = await send(edited);
    expect(reply.text).toBe("Madrid");
    expect(upstreamCalls().at(-1)!.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(JSON.stringify(upstreamCalls().at(-1)!.messages)).not.toContain("Germany");

    const after = await messagesOf(first.id);
    expect(after.map(textOf)).toEqual([
      "[[fake:reply Paris]] Capital of France?",
      "Paris",
      "[[fake:reply Madrid]] And of Spain?",
      "Madrid",
    ]);
    expect(after[2]!.id).toBe(reply.metadata?.userMessageId);
    expect(after.slice(0, 2).map((m) => m.id)).toEqual(before.slice(0, 2).map((m) => m.id));
  });

  it.skipIf(skip)("refuses an edit of a message that is not the chat's user message, with nothing sent or stored", async () => {
    const chat = chatBody("[[fake:reply one]] first", SONNET);
    await send(chat);
    const [question, answer] = await messagesOf(chat.id);
    const calls = upstreamCalls().length;
    for (const editMessageId of [answer!.id, "no-such-message"]) {
      const response = await admin.postJson("/api/chat", { ...chatBody("changed", SONNET, chat.id), editMessageId });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found:chat");
    }
    // A new chat has nothing to edit: the same 404, and the edited chat is untouched.
    const elsewhere = await admin.postJson("/api/chat", {
      ...chatBody("changed", SONNET),
      editMessageId: question!.id,
    });
    expect(elsewhere.status).toBe(404);
    expect(upstreamCalls().length).toBe(calls);
    expect((await messagesOf(chat.id)).map(textOf)).toEqual(["[[fake:reply one]] first", "one"]);
  });

  it.skipIf(skip)("drops the oldest turns to fit the model's context, keeps the system prompt, and says so", async () => {
    const system = "You answer in one word.";
    const first = { ...chatBody(long("first", 1800), SMALL), settings: { system } };
    const opening = await send(first);
    expect(opening.metadata?.droppedMessages).toBeUndefined();
    await send(chatBody(long("second", 1800), SMALL, first.id));
    // The third turn would not fit: about 7,300 tokens of history in an 8,192-token model, with room for a reply.
    const third = await send(chatBody(long("third", 1800), SMALL, first.id));
    expect(third.metadata?.droppedMessages).toBe(2);

    const sent = upstreamCalls().at(-1)!;
    expect(sent.model).toBe(SMALL);
    expect(sent.messages[0]).toEqual({ role: "system", content: system });
    expect(sent.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    const wire = JSON.stringify(sent.messages);
    expect(wire).not.toContain("first");
    expect(wire).toContain("second");
    expect(wire).toContain("third");
    // The reply's cap was lowered so the prompt and the reply fit together (the fake refuses otherwise).
    expect(sent.max_tokens).toBeGreaterThan(0);
    expect(sent.max_tokens).toBeLessThanOrEqual(4096);

    // The notice is kept with the reply; every message stays in the chat.
    const stored = await messagesOf(first.id);
    expect(stored).toHaveLength(6);
    expect(stored.at(-1)!.metadata).toMatchObject({ status: "ok", droppedMessages: 2 });
  });

  it.skipIf(skip)("refuses a message that alone is longer than the model's context, before anything is sent or stored", async () => {
    const chat = chatBody(long("huge", 9000), SMALL);
    const calls = upstreamCalls().length;
    const response = await admin.postJson("/api/chat", chat);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("bad_request:chat");
    expect(body.error.message).toMatch(/too long for the model/);
    expect(upstreamCalls().length).toBe(calls);
    expect((await admin.fetch(`/api/chats/${chat.id}`)).status).toBe(404);
  });

  it.skipIf(skip)("caps a message's total size across its parts", async () => {
    const chat = chatBody("x", SONNET);
    const tooBig = {
      ...chat,
      message: { ...chat.message, parts: [{ type: "text", text: "a".repeat(60_000) }, { type: "text", text: "b".repeat(60_000) }] },
    };
    const calls = upstreamCalls().length;
    const response = await admin.postJson("/api/chat", tooBig);
    expect(response.status).toBe(400);
    expect(upstreamCalls().length).toBe(calls);
    expect((await admin.fetch(`/api/chats/${chat.id}`)).status).toBe(404);
  });
});
