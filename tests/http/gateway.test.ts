// The OpenAI-compatible API (/api/v1) and personal API keys, driven by the official `openai` SDK
// against a production server on each database, with the fake RedPill behind it.
import { createHash, randomBytes } from "node:crypto";
import OpenAI from "openai";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_REDPILL_MODELS, type ReceivedRequest } from "@/lib/fake-redpill";
import type { UsageRecordRow } from "@/lib/usage/records";
import { createApiKey, openaiFor, type CreatedKey } from "../support/api-keys";
import { startAppServer, type AppServer, type DatabaseKind } from "../support/app-server";
import { TEST_REDPILL_KEY } from "../support/constants";
import { setUpAdmin } from "../support/fixtures";
import { dataUrl, solidPng } from "../support/images";
import { json, patchJson } from "../support/personas";
import { postgresReachable } from "../support/postgres";
import { Session } from "../support/session";

const pgSkip = await postgresReachable();
const MODEL = "anthropic/claude-sonnet-4.5";
const TEE_MODEL = FAKE_REDPILL_MODELS.find((m) => m.is_tee)!.id;
const TEXT_ONLY_MODEL = FAKE_REDPILL_MODELS.find((m) => !m.input_modalities.includes("image"))!.id;
const EVERYONE = "00000000-0000-4000-8000-000000000001";
const CAP = 4096; // PILLBOX_MAX_OUTPUT_TOKENS's default

/** Resolves with what `promise` was rejected with, or fails when it was not. */
async function rejection(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OpenAI.APIError);
    return error as InstanceType<typeof OpenAI.APIError>;
  }
  throw new Error("expected the call to fail");
}

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
const normalize = (sse: string) => sse.replace(/chatcmpl-[\w-]+/g, "chatcmpl-ID").replace(/"created":\d+/g, '"created":0');

describe.each<DatabaseKind>(["embedded", "postgres"])("the OpenAI-compatible API on the %s database", (database) => {
  const skip = database === "postgres" && pgSkip !== null;
  let app: AppServer;
  let admin: Session;
  let adminId: string;
  let adminKey: CreatedKey;
  let client: OpenAI;
  /** Every secret this run made: none may reach the logs or the database. */
  const secrets: string[] = [];

  const completions = () => app.fake!.requests.filter((r) => r.path === "/v1/chat/completions");
  const lastSent = (): ReceivedRequest => completions().at(-1)!;
  const sentBody = () => lastSent().body as Record<string, unknown>;

  async function keyRows(keyId: string): Promise<UsageRecordRow[]> {
    const response = await admin.fetch(`/api/admin/usage/records?apiKeyId=${keyId}&limit=500`);
    expect(response.status).toBe(200);
    return (await json<{ records: UsageRecordRow[] }>(response)).records;
  }

  async function key(session: Session, name?: string, expiresInDays?: number): Promise<CreatedKey> {
    const created = await createApiKey(session, name, expiresInDays);
    secrets.push(created.secret);
    return created;
  }

  async function member(name: string): Promise<{ id: string; session: Session; key: CreatedKey; client: OpenAI }> {
    const email = `${name.toLowerCase()}-${randomBytes(4).toString("hex")}@example.com`;
    const created = await admin.postJson("/api/admin/users", { email, name, password: "member-password-1" });
    expect(created.status).toBe(201);
    const { user } = await json<{ user: { id: string } }>(created);
    const session = new Session(app.url);
    expect(await session.signIn(email, "member-password-1")).toBe(true);
    const memberKey = await key(session, `${name}'s key`);
    return { id: user.id, session, key: memberKey, client: openaiFor(app, memberKey.secret) };
  }

  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer({ database, env: { PILLBOX_UPSTREAM_IDLE_TIMEOUT_MS: "1500" } });
    admin = await setUpAdmin(app);
    adminId = (await json<{ user: { id: string } }>(await admin.fetch("/api/me"))).user.id;
    adminKey = await key(admin, "Ada's script");
    client = openaiFor(app, adminKey.secret);
  });

  afterAll(async () => {
    if (!skip) await app?.stop();
  });

  it.skipIf(skip)("creates, lists and revokes a member's own keys; the secret is shown once", async () => {
    expect((await admin.postJson("/api/keys", { name: "  " })).status).toBe(400);
    expect((await admin.postJson("/api/keys", { name: "x", expiresInDays: 0 })).status).toBe(400);

    const response = await admin.postJson("/api/keys", { name: "Laptop", expiresInDays: 30 });
    expect(response.status).toBe(201);
    const created = await json<{ key: Record<string, unknown>; secret: string }>(response);
    secrets.push(created.secret);
    expect(created.secret).toMatch(/^pb_[A-Za-z0-9_-]{43}$/);
    expect(Object.keys(created.key).sort()).toEqual(["createdAt", "expiresAt", "id", "lastUsedAt", "name", "prefix"]);
    expect(created.key).toMatchObject({ name: "Laptop", prefix: created.secret.slice(0, 11), lastUsedAt: null });
    const days = (Date.parse(String(created.key.expiresAt)) - Date.parse(String(created.key.createdAt))) / 86_400_000;
    expect(Math.round(days)).toBe(30);

    const listed = await json<{ keys: Record<string, unknown>[] }>(await admin.fetch("/api/keys"));
    expect(listed.keys.find((k) => k.id === created.key.id)).toEqual(created.key);
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    // Another member neither sees nor revokes it.
    const other = await member("Olga");
    expect((await json<{ keys: { id: string }[] }>(await other.session.fetch("/api/keys"))).keys.map((k) => k.id)).toEqual([other.key.id]);
    expect((await other.session.fetch(`/api/keys/${created.key.id}`, { method: "DELETE" })).status).toBe(404);

    expect((await admin.fetch(`/api/keys/${created.key.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await admin.fetch(`/api/keys/${created.key.id}`, { method: "DELETE" })).status).toBe(404);
    const after = await json<{ keys: { id: string }[] }>(await admin.fetch("/api/keys"));
    expect(after.keys.map((k) => k.id)).not.toContain(created.key.id);

    // Admins list everyone's keys (revoked ones too) and revoke any, with an audit row.
    const all = await json<{ keys: { id: string; status: string; user: { email: string } }[] }>(await admin.fetch("/api/admin/keys"));
    expect(all.keys.find((k) => k.id === created.key.id)?.status).toBe("revoked");
    expect(all.keys.find((k) => k.id === other.key.id)).toMatchObject({ status: "active", user: { email: expect.stringMatching(/^olga-/) } });
    const theirs = await json<{ keys: { id: string }[] }>(await admin.fetch(`/api/admin/keys?userId=${other.id}`));
    expect(theirs.keys.map((k) => k.id)).toEqual([other.key.id]);
    expect((await other.client.models.list()).data.length).toBeGreaterThan(0);
    expect((await admin.fetch(`/api/admin/keys/${other.key.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await rejection(other.client.models.list())).status).toBe(401);
    const audit = await json<{ entries: { targetId: string }[] }>(await admin.fetch("/api/admin/audit?action=key.revoke"));
    expect(audit.entries.map((e) => e.targetId)).toContain(other.key.id);
  });

  it.skipIf(skip)("lists exactly the models the key's user may use, with RedPill's fields", async () => {
    const list = await client.models.list();
    const usable = await json<{ models: { id: string }[] }>(await admin.fetch("/api/models"));
    expect(list.data.map((m) => m.id).sort()).toEqual(usable.models.map((m) => m.id).sort());
    const sonnet = FAKE_REDPILL_MODELS.find((m) => m.id === MODEL)!;
    expect(list.data.find((m) => m.id === MODEL)).toMatchObject({
      object: "model",
      owned_by: "anthropic",
      context_length: sonnet.context_length,
      pricing: sonnet.pricing,
      is_tee: false,
      input_modalities: sonnet.input_modalities,
    });
    expect(list.data.find((m) => m.id === TEE_MODEL)).toMatchObject({ is_tee: true });
    const cheap = FAKE_REDPILL_MODELS.find((m) => m.id === "openai/gpt-5-mini")!;
    expect(list.data.find((m) => m.id === cheap.id)).toMatchObject({ pricing: cheap.pricing });
  });

  it.skipIf(skip)("refuses models the user may not use (403) and unknown ones (404), sending nothing upstream", async () => {
    const m = await member("Grace");
    const group = await json<{ group: { id: string } }>(await admin.postJson("/api/admin/groups", { name: "Sonnet only", modelIds: [MODEL] }));
    expect((await admin.postJson(`/api/admin/groups/${group.group.id}/members`, { userId: m.id })).status).toBe(201);
    expect((await patchJson(admin, `/api/admin/groups/${EVERYONE}`, { modelIds: [] })).status).toBe(200);
    try {
      expect((await m.client.models.list()).data.map((x) => x.id)).toEqual([MODEL]);
      const before = completions().length;
      const denied = await rejection(m.client.chat.completions.create({ model: TEE_MODEL, messages: [{ role: "user", content: "hi" }] }));
      expect(denied).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect(denied.error).toMatchObject({ type: "permission_error", code: "model_not_allowed" });
      const unknown = await rejection(m.client.chat.completions.create({ model: "nobody/nothing", messages: [{ role: "user", content: "hi" }] }));
      expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
      expect(unknown.error).toMatchObject({ type: "invalid_request_error", code: "model_not_found" });
      expect(completions().length).toBe(before);
      expect(await keyRows(m.key.id)).toEqual([]);
      const attestation = await fetch(`${app.url}/api/v1/attestation/report?model=${TEE_MODEL}`, { headers: bearer(m.key.secret) });
      expect(attestation.status).toBe(403);
      expect((await m.client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "allowed" }] })).choices[0]!.message.content).toBe(
        "Echo: allowed",
      );
    } finally {
      expect((await patchJson(admin, `/api/admin/groups/${EVERYONE}`, { modelIds: null })).status).toBe(200);
    }
  });

  it.skipIf(skip)("passes every parameter of a non-streamed call through and records it under the key", async () => {
    const body = {
      model: MODEL,
      messages: [
        { role: "system" as const, content: "Be brief." },
        { role: "user" as const, content: "hello there" },
      ],
      temperature: 0.3,
      top_p: 0.9,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      stop: ["\n\n"],
      seed: 7,
      max_tokens: 64,
      response_format: { type: "text" as const },
    };
    const completion = await client.chat.completions.create(body);
    expect(completion.choices[0]!.message.content).toBe("Echo: hello there");
    const sent = lastSent();
    expect(sent.body).toEqual(body);
    expect(sent.headers.authorization).toBe(`Bearer ${TEST_REDPILL_KEY}`);
    expect(JSON.parse(sent.headers["x-redpill-metadata"]!)).toEqual({ user_id: adminId });

    const row = (await keyRows(adminKey.id)).find((r) => r.upstreamId === completion.id);
    expect(row).toMatchObject({
      status: "ok",
      apiKeyId: adminKey.id,
      userId: adminId,
      chatId: null,
      modelId: MODEL,
      promptTokens: completion.usage!.prompt_tokens,
      completionTokens: completion.usage!.completion_tokens,
      usageEstimated: false,
    });
    expect(Number(row!.costUsd)).toBeGreaterThan(0);
  });

  it.skipIf(skip)("streams, asking RedPill for usage and stripping the usage chunk when the client did not ask", async () => {
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "stream me please" }], stream: true });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("Echo: stream me please");
    expect(chunks.filter((c) => c.choices.length === 0 || c.usage)).toEqual([]);
    expect(sentBody().stream_options).toEqual({ include_usage: true });
    const contentChunks = chunks.filter((c) => c.choices[0]?.delta.content).length;
    const row = (await keyRows(adminKey.id)).find((r) => r.upstreamId === chunks[0]!.id);
    expect(row).toMatchObject({ status: "ok", usageEstimated: false, completionTokens: contentChunks });
    expect(row!.ttftMs).not.toBeNull();

    const withUsage = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "count me" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const last: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of withUsage) last.push(chunk);
    const usage = last.at(-1)!.usage!;
    expect(last.at(-1)!.choices).toEqual([]);
    const counted = (await keyRows(adminKey.id)).find((r) => r.upstreamId === last[0]!.id);
    expect(counted).toMatchObject({ promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, usageEstimated: false });
  });

  it.skipIf(skip)("sends the upstream's SSE bytes on unchanged", async () => {
    const body = {
      model: MODEL,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "[[fake:reply one two three four]]" }],
    };
    const post = (url: string, secret: string, payload: object) =>
      fetch(url, { method: "POST", headers: { ...bearer(secret), "content-type": "application/json" }, body: JSON.stringify(payload) });
    const direct = await (await post(`${app.fake!.url}/chat/completions`, TEST_REDPILL_KEY, { ...body, max_tokens: CAP })).text();
    const through = await post(`${app.url}/api/v1/chat/completions`, adminKey.secret, body);
    expect(through.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(normalize(await through.text())).toBe(normalize(direct));
    // Without include_usage: the same bytes, less the usage-only event.
    const { stream_options: _, ...plain } = body;
    const stripped = await (await post(`${app.url}/api/v1/chat/completions`, adminKey.secret, plain)).text();
    const usageEvent = /data: \{[^\n]*"choices":\[\][^\n]*"usage":\{[^\n]*\n\n/;
    expect(normalize(direct)).toMatch(usageEvent);
    expect(normalize(stripped)).toBe(normalize(direct).replace(usageEvent, ""));
  });

  it.skipIf(skip)("passes tools and tool_choice through and returns the model's tool call", async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "The weather in a city",
          parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        },
      },
    ];
    const completion = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools,
      tool_choice: "required",
    });
    expect(completion.choices[0]!.finish_reason).toBe("tool_calls");
    const call = completion.choices[0]!.message.tool_calls![0]!;
    expect(call.type === "function" && call.function.name).toBe("get_weather");
    expect(sentBody()).toMatchObject({ tools, tool_choice: "required" });

    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "Weather in Oslo?" }],
      tools,
      tool_choice: { type: "function", function: { name: "get_weather" } },
      stream: true,
    });
    const names: string[] = [];
    for await (const chunk of stream) for (const c of chunk.choices[0]?.delta.tool_calls ?? []) if (c.function?.name) names.push(c.function.name);
    expect(names).toEqual(["get_weather"]);
  });

  it.skipIf(skip)("sends image parts on as they are, and passes RedPill's refusal of them through", async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      {
        role: "user",
        content: [
          { type: "text", text: "What colour is this?" },
          { type: "image_url", image_url: { url: dataUrl("image/png", solidPng(2, 2, [200, 10, 10])), detail: "low" } },
        ],
      },
    ];
    const completion = await client.chat.completions.create({ model: MODEL, messages });
    expect(completion.choices[0]!.message.content).toBe("Echo: What colour is this?");
    expect(sentBody().messages).toEqual(messages);

    const refused = await rejection(client.chat.completions.create({ model: TEXT_ONLY_MODEL, messages }));
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect(refused.message).toMatch(/does not support image input/);
  });

  it.skipIf(skip)("asks for n choices and reserves for all of them", async () => {
    const completion = await client.chat.completions.create({ model: MODEL, n: 2, messages: [{ role: "user", content: "twice" }] });
    expect(completion.choices.map((c) => [c.index, c.message.content])).toEqual([
      [0, "Echo: twice"],
      [1, "Echo: twice"],
    ]);
    expect(sentBody().n).toBe(2);
    const row = (await keyRows(adminKey.id)).find((r) => r.upstreamId === completion.id)!;
    expect(row.completionTokens).toBe(completion.usage!.completion_tokens);
    expect(Number(row.reservedUsd)).toBeGreaterThan(0);
  });

  it.skipIf(skip)("maps max_tokens to max_completion_tokens for openai/gpt-5*, o3* and o4*, and caps the output as the chat does", async () => {
    for (const model of ["openai/gpt-5", "openai/o4-mini"]) {
      const completion = await client.chat.completions.create({ model, max_tokens: 50, messages: [{ role: "user", content: "mapped" }] });
      // The fake refuses max_tokens for these models (as OpenAI does): an answer proves the mapping.
      expect(completion.choices).toHaveLength(1);
      expect(sentBody().max_completion_tokens).toBe(50);
      expect(sentBody()).not.toHaveProperty("max_tokens");
    }
    await client.chat.completions.create({ model: MODEL, max_tokens: 50, messages: [{ role: "user", content: "kept" }] });
    expect(sentBody()).toMatchObject({ max_tokens: 50 });
    expect(sentBody()).not.toHaveProperty("max_completion_tokens");
    await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "no cap given" }] });
    expect(sentBody().max_tokens).toBe(CAP);
    await client.chat.completions.create({ model: MODEL, max_completion_tokens: CAP * 10, messages: [{ role: "user", content: "too much" }] });
    expect(sentBody().max_completion_tokens).toBe(CAP);
  });

  it.skipIf(skip)("answers bad input with 400 and writes nothing", async () => {
    const sentBefore = completions().length;
    const rowsBefore = (await keyRows(adminKey.id)).length;
    const empty = await rejection(client.chat.completions.create({ model: MODEL, messages: [] }));
    expect(empty).toBeInstanceOf(OpenAI.BadRequestError);
    expect(empty.error).toMatchObject({ type: "invalid_request_error" });
    const hot = await rejection(client.chat.completions.create({ model: MODEL, temperature: 9, messages: [{ role: "user", content: "x" }] }));
    expect(hot.status).toBe(400);
    const notJson = await fetch(`${app.url}/api/v1/chat/completions`, { method: "POST", headers: bearer(adminKey.secret), body: "{not json" });
    expect(notJson.status).toBe(400);
    expect(completions().length).toBe(sentBefore);
    expect((await keyRows(adminKey.id)).length).toBe(rowsBefore);
  });

  it.skipIf(skip)("answers RedPill's errors with their meaning and the status the SDK expects, never with the company key", async () => {
    const ask = (content: string, stream = false) =>
      rejection(
        stream
          ? (async () => {
              for await (const _ of await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content }], stream: true })) void _;
            })()
          : client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content }] }),
      );
    const cases: { content: string; status: number; code: string; ledger: string; klass?: unknown }[] = [
      { content: "[[fake:error 500]]", status: 502, code: "server_error", ledger: "upstream_server_error", klass: OpenAI.InternalServerError },
      { content: "[[fake:error 502]]", status: 502, code: "bad_gateway", ledger: "upstream_server_error" },
      { content: "[[fake:error 503]]", status: 503, code: "service_unavailable", ledger: "upstream_server_error" },
      { content: "[[fake:hang]]", status: 504, code: "upstream_timeout", ledger: "upstream_timeout" },
      { content: "[[fake:error 401]]", status: 502, code: "upstream_unauthorized", ledger: "upstream_unauthorized" },
      { content: "[[fake:error 403]]", status: 502, code: "upstream_out_of_credits", ledger: "upstream_out_of_credits" },
      { content: "[[fake:error 404]]", status: 404, code: "model_not_found", ledger: "upstream_model_not_found", klass: OpenAI.NotFoundError },
      { content: "[[fake:error 400]]", status: 400, code: "invalid_request", ledger: "upstream_bad_request", klass: OpenAI.BadRequestError },
      // Non-streamed, the fake drops the connection before any header: RedPill unreachable.
      { content: "[[fake:cut 1]] cut before the whole answer", status: 502, code: "upstream_unreachable", ledger: "upstream_unreachable" },
    ];
    for (const c of cases) {
      const error = await ask(c.content);
      expect([c.content, error.status, (error.error as { code?: string }).code]).toEqual([c.content, c.status, c.code]);
      if (c.klass) expect(error).toBeInstanceOf(c.klass);
      expect(JSON.stringify(error.error)).not.toContain(TEST_REDPILL_KEY);
    }
    const limited = await ask("[[fake:error 429 7]]");
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect(limited.headers?.get("retry-after")).toBe("7");

    app.fake!.enqueue({ type: "error", status: 400, message: `Invalid value, key ${TEST_REDPILL_KEY} has no such option` });
    const echoed = await ask("echo the key back");
    expect(echoed.status).toBe(400);
    expect(echoed.message).not.toContain(TEST_REDPILL_KEY);
    expect(echoed.message).toContain("[redacted]");

    // A stream RedPill cuts ends with an error event, which the SDK raises.
    const cut = await ask("[[fake:cut 2]] a question long enough to be cut into pieces", true);
    expect(cut.message).toMatch(/dropped/);

    const rows = await keyRows(adminKey.id);
    const codes = rows.map((r) => r.errorCode);
    for (const c of cases) expect(codes).toContain(c.ledger);
    expect(rows.find((r) => r.errorCode === "stream_interrupted")?.status).toBe("interrupted");
    expect(rows.every((r) => r.status !== "pending")).toBe(true);
  });

  it.skipIf(skip)("refuses a missing, unknown, revoked, expired or disabled user's key with 401, and a group without API access with 403", async () => {
    const missing = await fetch(`${app.url}/api/v1/models`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { type: "authentication_error", code: "invalid_api_key" } });
    const unknown = await rejection(openaiFor(app, `pb_${randomBytes(32).toString("base64url")}`).models.list());
    expect(unknown).toBeInstanceOf(OpenAI.AuthenticationError);

    const m = await member("Revo");
    const ask = (c: OpenAI) => c.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "still there?" }] });
    expect((await ask(m.client)).choices).toHaveLength(1);
    expect((await m.session.fetch(`/api/keys/${m.key.id}`, { method: "DELETE" })).status).toBe(204);
    const revoked = await rejection(ask(m.client));
    expect([revoked.status, (revoked.error as { message?: string }).message]).toEqual([401, "This API key was revoked."]);

    const second = await key(m.session, "second");
    const secondClient = openaiFor(app, second.secret);
    expect((await ask(secondClient)).choices).toHaveLength(1);

    const group = await json<{ group: { id: string } }>(await admin.postJson("/api/admin/groups", { name: `No API ${database}` }));
    expect((await admin.postJson(`/api/admin/groups/${group.group.id}/members`, { userId: m.id })).status).toBe(201);
    expect((await patchJson(admin, `/api/admin/groups/${group.group.id}`, { apiAccess: false })).status).toBe(200);
    const off = await rejection(ask(secondClient));
    expect(off).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(off.error).toMatchObject({ code: "api_access_disabled" });
    expect((await m.session.postJson("/api/keys", { name: "another" })).status).toBe(403);
    expect((await patchJson(admin, `/api/admin/groups/${group.group.id}`, { apiAccess: true })).status).toBe(200);
    expect((await ask(secondClient)).choices).toHaveLength(1);

    if (app.databaseUrl) {
      // Expiry is judged by the database's clock on every request.
      const expiring = await key(m.session, "expiring", 1);
      expect((await ask(openaiFor(app, expiring.secret))).choices).toHaveLength(1);
      const db = new pg.Client({ connectionString: app.databaseUrl });
      await db.connect();
      try {
        await db.query(`UPDATE "ApiKey" SET "expiresAt" = (now() AT TIME ZONE 'UTC') - interval '1 second' WHERE "id" = $1`, [expiring.id]);
      } finally {
        await db.end();
      }
      const expired = await rejection(ask(openaiFor(app, expiring.secret)));
      expect(expired.status).toBe(401);
      expect(expired.message).toMatch(/expired/);
    }

    // Last: disabling the account also ends its sessions.
    expect((await patchJson(admin, `/api/admin/users/${m.id}`, { disabled: true })).status).toBe(200);
    expect((await rejection(ask(secondClient))).status).toBe(401);
    expect((await patchJson(admin, `/api/admin/users/${m.id}`, { disabled: false })).status).toBe(200);
    expect((await ask(secondClient)).choices).toHaveLength(1);
  });

  it.skipIf(skip)("applies budgets and rate limits to API calls exactly as to chat", async () => {
    const spender = await member("Spender");
    const amount = 0.002;
    await admin.postJson("/api/admin/budgets", { scope: "user", targetId: spender.id, amountUsd: String(amount), period: "day" });
    const refusals: InstanceType<typeof OpenAI.APIError>[] = [];
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        spender.client.chat.completions
          .create({ model: MODEL, messages: [{ role: "user", content: `burst ${i} [[fake:reply a b c d e f g h]]` }] })
          .then(
            () => 200,
            (error: InstanceType<typeof OpenAI.APIError>) => (refusals.push(error), error.status ?? 0),
          ),
      ),
    );
    expect(statuses.filter((s) => s !== 200 && s !== 402)).toEqual([]);
    expect(statuses.filter((s) => s === 402).length).toBeGreaterThan(0);
    const rows = await keyRows(spender.key.id);
    expect(rows.length).toBe(statuses.filter((s) => s === 200).length);
    const spent = rows.reduce((sum, r) => sum + Number(r.costUsd), 0);
    const oneCall = Math.max(...rows.map((r) => Number(r.costUsd)));
    expect(spent).toBeLessThanOrEqual(amount + oneCall + 1e-12);
    expect(refusals[0]!.error).toMatchObject({ type: "insufficient_quota", code: "budget_exceeded", resetsAt: expect.any(String) });

    const limited = await member("Limited");
    const group = await json<{ group: { id: string } }>(await admin.postJson("/api/admin/groups", { name: `One a minute ${database}`, rpm: 1 }));
    await admin.postJson(`/api/admin/groups/${group.group.id}/members`, { userId: limited.id });
    await limited.client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "first" }] });
    const second = await rejection(limited.client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "second" }] }));
    expect(second).toBeInstanceOf(OpenAI.RateLimitError);
    expect(second.error).toMatchObject({ type: "rate_limit_error", code: "rate_limit_exceeded" });
    expect(Number(second.headers?.get("retry-after"))).toBeGreaterThan(0);
    // The chat shares the same window.
    expect((await limited.session.postJson("/api/chat", { id: crypto.randomUUID(), modelId: MODEL, message: { id: crypto.randomUUID(), role: "user", parts: [{ type: "text", text: "third" }] } })).status).toBe(429);
  });

  it.skipIf(skip)("serves TEE proof for the key's own completions only, and a key reaches nothing but /api/v1", async () => {
    const completion = await client.chat.completions.create({ model: TEE_MODEL, messages: [{ role: "user", content: "prove it" }] });
    const signature = await fetch(`${app.url}/api/v1/signature/${completion.id}`, { headers: bearer(adminKey.secret) });
    expect(signature.status).toBe(200);
    // Passed through: exactly what RedPill answers for it.
    const direct = await fetch(`${app.fake!.url}/signature/${completion.id}?model=${TEE_MODEL}`, { headers: bearer(TEST_REDPILL_KEY) });
    expect(await signature.json()).toEqual(await direct.json());
    const asked = app.fake!.requests.filter((r) => r.path.startsWith("/v1/signature/")).at(-1)!;
    expect([asked.path, asked.query.model, asked.headers.authorization]).toEqual([`/v1/signature/${completion.id}`, TEE_MODEL, `Bearer ${TEST_REDPILL_KEY}`]);

    const nonce = randomBytes(32).toString("hex");
    const report = await fetch(`${app.url}/api/v1/attestation/report?model=${TEE_MODEL}&nonce=${nonce}`, { headers: bearer(adminKey.secret) });
    expect(report.status).toBe(200);
    const reportText = await report.text();
    expect(reportText).toContain(nonce);
    const directReport = await fetch(`${app.fake!.url}/attestation/report?model=${TEE_MODEL}&nonce=${nonce}`, { headers: bearer(TEST_REDPILL_KEY) });
    // The same report RedPill gives, but for the quotes' own signatures (fresh each time).
    const withoutQuotes = (text: string) => JSON.parse(text, (key, value: unknown) => (key === "intel_quote" ? undefined : value)) as unknown;
    expect(withoutQuotes(reportText)).toEqual(withoutQuotes(await directReport.text()));

    const stranger = await member("Stranger");
    const other = await fetch(`${app.url}/api/v1/signature/${completion.id}`, { headers: bearer(stranger.key.secret) });
    expect(other.status).toBe(404);
    const sameUserOtherKey = await key(admin, "another of Ada's");
    expect((await fetch(`${app.url}/api/v1/signature/${completion.id}`, { headers: bearer(sameUserOtherKey.secret) })).status).toBe(404);

    // A key is no session: the rest of the API (chats, usage, admin) refuses it.
    for (const path of ["/api/chats", "/api/me", "/api/usage/me", "/api/admin/usage", "/api/keys"]) {
      expect([path, (await fetch(`${app.url}${path}`, { headers: bearer(stranger.key.secret) })).status]).toEqual([path, 401]);
    }
  });

  it.skipIf(skip)("stamps the key's last use", async () => {
    const listed = await json<{ keys: { id: string; lastUsedAt: string | null }[] }>(await admin.fetch("/api/keys"));
    const used = listed.keys.find((k) => k.id === adminKey.id)!;
    expect(used.lastUsedAt).not.toBeNull();
    expect(Date.now() - Date.parse(used.lastUsedAt!)).toBeLessThan(10 * 60_000);
  });

  it.skipIf(skip || database !== "postgres")("refuses a key revoked on another instance at once", async () => {
    const other = await startAppServer({ database: "postgres", sharedDatabaseUrl: app.databaseUrl, authSecret: null });
    try {
      const m = await member("Twin");
      const there = openaiFor(other, m.key.secret);
      expect((await there.models.list()).data.length).toBeGreaterThan(0);
      expect((await m.session.fetch(`/api/keys/${m.key.id}`, { method: "DELETE" })).status).toBe(204);
      expect((await rejection(there.models.list())).status).toBe(401);
    } finally {
      await other.stop();
    }
  });

  // Last: it stops the server to read the embedded database.
  it.skipIf(skip)("never writes a key's secret to the logs or the database", async () => {
    expect(secrets.length).toBeGreaterThan(5);
    const output = app.output();
    for (const secret of secrets) expect(output).not.toContain(secret);
    await app.stopServer();
    const dump = await app.dumpDatabase();
    for (const secret of secrets) expect(dump).not.toContain(secret);
    // What is stored instead: the display prefix and the SHA-256.
    expect(dump).toContain(adminKey.prefix);
    expect(dump).toContain(createHash("sha256").update(adminKey.secret).digest("hex"));
  });
});
