// Per-chat model settings (issue 7 §1): stored with the chat, over the workspace's defaults, and on
// the wire with RedPill's names.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer, type DatabaseKind } from "../support/app-server";
import { chatBody, sendChat, setUpAdmin } from "../support/fixtures";
import { patchJson } from "../support/personas";
import { anyDatabase, postgresReachable } from "../support/postgres";
import type { Session } from "../support/session";

const pgSkip = await postgresReachable();
const SONNET = "anthropic/claude-sonnet-4.5";
const GPT5 = "openai/gpt-5";

interface UpstreamBody {
  model: string;
  messages: { role: string; content: unknown }[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
}

describe.each<DatabaseKind>([anyDatabase(pgSkip)])("chat settings on the %s database", (database) => {
  const skip = database === "postgres" && pgSkip !== null;
  let app: AppServer;
  let admin: Session;

  const upstreamCalls = () =>
    app.fake!.requests.filter((r) => r.path === "/v1/chat/completions").map((r) => r.body as UpstreamBody);
  const lastUpstream = () => upstreamCalls().at(-1)!;

  const send = (body: object) => sendChat(admin, body);

  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer({ database });
    admin = await setUpAdmin(app);
  });

  afterAll(async () => {
    if (skip) return;
    await app.stop();
  });

  it.skipIf(skip)("sends the system prompt and every setting upstream, stores them with the chat, and keeps them", async () => {
    const settings = { system: "You are terse.", temperature: 0.3, topP: 0.9, maxOutputTokens: 123, presencePenalty: 0.5, frequencyPenalty: -0.5 };
    const first = { ...chatBody("First question", SONNET), settings };
    await send(first);
    const sent = lastUpstream();
    expect(sent.messages[0]).toEqual({ role: "system", content: "You are terse." });
    expect(sent.messages.at(-1)).toMatchObject({ role: "user" });
    expect(sent).toMatchObject({ temperature: 0.3, top_p: 0.9, max_tokens: 123, presence_penalty: 0.5, frequency_penalty: -0.5 });
    expect(sent.max_completion_tokens).toBeUndefined();

    const stored = (await (await admin.fetch(`/api/chats/${first.id}`)).json()) as { chat: { settings: unknown } };
    expect(stored.chat.settings).toEqual(settings);

    // The next turn, without settings, uses the stored ones; switching the model keeps the history.
    await send({ ...chatBody("Second question", GPT5, first.id) });
    const second = lastUpstream();
    expect(second.model).toBe(GPT5);
    expect(second.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(second).toMatchObject({ temperature: 0.3, top_p: 0.9, max_completion_tokens: 123 });
    expect(second.max_tokens).toBeUndefined();

    // PATCH replaces them: no system prompt any more, a new temperature.
    const patched = await patchJson(admin, `/api/chats/${first.id}`, { settings: { temperature: 1.5 } });
    expect(patched.status).toBe(200);
    await send({ ...chatBody("Third question", SONNET, first.id) });
    const third = lastUpstream();
    expect(third.messages[0]!.role).toBe("user");
    expect(third.temperature).toBe(1.5);
    expect(third.top_p).toBeUndefined();
  });

  it.skipIf(skip)("refuses settings out of range with 400, sending and storing nothing", async () => {
    const before = upstreamCalls().length;
    for (const settings of [{ temperature: 3 }, { presencePenalty: -2.5 }, { frequencyPenalty: 2.01 }, { topP: 1.5 }, { maxOutputTokens: 0 }, { seed: 1 }]) {
      const body = { ...chatBody("Out of range"), settings };
      const response = await admin.postJson("/api/chat", body);
      expect(response.status, JSON.stringify(settings)).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toMatch(/^bad_request/);
      expect((await admin.fetch(`/api/chats/${body.id}`)).status).toBe(404);
    }
    expect(upstreamCalls()).toHaveLength(before);

    const chat = chatBody("A chat to patch");
    await send(chat);
    expect((await patchJson(admin, `/api/chats/${chat.id}`, { settings: { temperature: -0.1 } })).status).toBe(400);
    const stored = (await (await admin.fetch(`/api/chats/${chat.id}`)).json()) as { chat: { settings: unknown } };
    expect(stored.chat.settings).toBeNull();
  });

  it.skipIf(skip)("starts every chat from the workspace defaults the admin sets", async () => {
    const set = await patchJson(admin, "/api/admin/settings", { chatDefaults: { system: "Answer in English.", temperature: 0.7 } });
    expect(set.status, await set.clone().text()).toBe(200);
    try {
      await send(chatBody("Bonjour"));
      expect(lastUpstream().messages[0]).toEqual({ role: "system", content: "Answer in English." });
      expect(lastUpstream().temperature).toBe(0.7);
      // A chat's own setting wins over the default.
      await send({ ...chatBody("Hola"), settings: { temperature: 0.1 } });
      expect(lastUpstream()).toMatchObject({ temperature: 0.1, messages: [{ role: "system", content: "Answer in English." }, { role: "user" }] });
    } finally {
      await patchJson(admin, "/api/admin/settings", { chatDefaults: {} });
    }
  });
});
