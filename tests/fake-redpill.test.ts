import { createHash, randomBytes } from "node:crypto";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { streamText } from "ai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { FAKE_REDPILL_MODELS, fakeModelSchema, fakeSigner, parseDirective, startFakeRedpill, type FakeRedpill } from "@/lib/fake-redpill";
import { checkAttestation } from "@/lib/tee/attestation-checks";
import { checkSignature } from "@/lib/tee/signature-checks";

const KEY = "sk-test-123";
let fake: FakeRedpill;

beforeAll(async () => {
  fake = await startFakeRedpill({ apiKey: KEY, quiet: true });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const usageSchema = z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() });
const chunkSchema = z.object({
  id: z.string(),
  object: z.literal("chat.completion.chunk"),
  created: z.number(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number(),
      delta: z.object({ role: z.literal("assistant").optional(), content: z.string().optional() }),
      finish_reason: z.string().nullable(),
    }),
  ),
  usage: usageSchema.nullish(),
});
type Chunk = z.infer<typeof chunkSchema>;
const errorSchema = z.object({
  error: z.object({ message: z.string(), type: z.string(), code: z.string().nullable(), param: z.string().nullable() }),
});

function chat(body: unknown, init: { key?: string | null; signal?: AbortSignal } = {}): Promise<Response> {
  const key = init.key === undefined ? KEY : init.key;
  return fetch(`${fake.url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: init.signal,
  });
}

const user = (content: string) => [{ role: "user", content }];

/** Reads an SSE body event by event; a transport error ends the read instead of throwing. */
async function readSse(res: Response): Promise<{ events: (Chunk | "[DONE]")[]; error: unknown }> {
  const events: (Chunk | "[DONE]")[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let sep: number;
      while ((sep = buffer.indexOf("\n\n")) >= 0) {
        const line = buffer.slice(0, sep);
        buffer = buffer.slice(sep + 2);
        const data = line.replace(/^data: /, "");
        events.push(data === "[DONE]" ? "[DONE]" : chunkSchema.parse(JSON.parse(data)));
      }
    }
  } catch (error) {
    return { events, error };
  }
  return { events, error: null };
}

const contentOf = (events: (Chunk | "[DONE]")[]): string[] =>
  events.flatMap((e) => (e !== "[DONE]" && e.choices[0]?.delta.content ? [e.choices[0].delta.content] : []));

describe("fake RedPill: models and auth", () => {
  it("lists the built-in catalog in RedPill's shape", async () => {
    const res = await fetch(`${fake.url}/models`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(200);
    const body = z.object({ object: z.literal("list"), data: z.array(fakeModelSchema) }).parse(await res.json());
    const ids = body.data.map((m) => m.id);
    for (const id of ["openai/gpt-5", "openai/gpt-5-mini", "openai/o4-mini", "anthropic/claude-sonnet-4.5"]) {
      expect(ids).toContain(id);
    }
    expect(body.data).toHaveLength(FAKE_REDPILL_MODELS.length);
    const tee = body.data.filter((m) => m.is_tee).map((m) => m.id);
    expect(tee).toEqual(["phala/deepseek-chat-v3-0324", "phala/qwen2.5-vl-72b-instruct", "phala/deepseek-r1-70b"]);
    expect(body.data.find((m) => m.id === "phala/qwen2.5-vl-72b-instruct")?.input_modalities).toContain("image");
    for (const m of body.data) expect(Number(m.pricing.prompt)).toBeGreaterThan(0);
  });

  it("rejects a missing or wrong key without echoing it", async () => {
    const missing = await fetch(`${fake.url}/models`);
    expect(missing.status).toBe(401);
    expect(errorSchema.parse(await missing.json()).error).toMatchObject({
      message: "Invalid API key",
      type: "authentication_error",
      code: "invalid_api_key",
    });
    const wrong = await chat({ model: "openai/gpt-5", messages: user("hi") }, { key: "sk-wrong-secret" });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain("sk-wrong-secret");
    // The in-process log keeps the header; the HTTP log redacts it.
    expect(fake.requests.at(-1)?.headers.authorization).toBe("Bearer sk-wrong-secret");
    const remote = await (await fetch(`${fake.url.replace(/\/v1$/, "")}/__fake/requests`)).text();
    expect(remote).not.toContain("sk-wrong-secret");
    expect(remote).not.toContain(KEY);
  });

  it("answers unknown routes with a JSON 404", async () => {
    const res = await fetch(`${fake.url}/embeddings`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(404);
    expect(errorSchema.parse(await res.json()).error.type).toBe("invalid_request_error");
  });
});

describe("fake RedPill: chat completions", () => {
  it("streams role, content, finish, usage and [DONE] in order", async () => {
    const res = await chat({
      model: "openai/gpt-5",
      messages: [{ role: "system", content: "Be brief." }, ...user("hello there world")],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const { events, error } = await readSse(res);
    expect(error).toBeNull();
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.filter((e): e is Chunk => e !== "[DONE]");
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks[0].id).toMatch(/^chatcmpl-/);
    expect(chunks.every((c) => c.model === "openai/gpt-5")).toBe(true);
    expect(chunks[0].choices[0].delta).toEqual({ role: "assistant", content: "" });

    const content = contentOf(events);
    expect(content.join("")).toBe("Echo: hello there world");
    expect(content.length).toBeGreaterThan(1);

    const [finish, usage] = chunks.slice(-2);
    expect(finish.choices[0].finish_reason).toBe("stop");
    expect(usage.choices).toEqual([]);
    const prompt = Math.ceil(("Be brief.".length + "hello there world".length) / 4) + 8;
    expect(usage.usage).toEqual(
      expect.objectContaining({ prompt_tokens: prompt, completion_tokens: content.length, total_tokens: prompt + content.length }),
    );

    const logged = await fake.waitFor((r) => r.path === "/v1/chat/completions" && r.completed);
    expect(logged).toMatchObject({ method: "POST", status: 200, chunksSent: content.length, clientClosed: false });
  });

  it("sends no usage chunk without stream_options.include_usage", async () => {
    const { events } = await readSse(await chat({ model: "openai/gpt-5-mini", messages: user("hi"), stream: true }));
    const chunks = events.filter((e): e is Chunk => e !== "[DONE]");
    expect(chunks.every((c) => c.choices.length === 1 && c.usage === undefined)).toBe(true);
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe("stop");
    expect(events.at(-1)).toBe("[DONE]");
  });

  it("returns a chat.completion when not streaming", async () => {
    const res = await chat({ model: "anthropic/claude-sonnet-4.5", messages: user("ping") });
    expect(res.status).toBe(200);
    const body = z
      .object({
        id: z.string().regex(/^chatcmpl-/),
        object: z.literal("chat.completion"),
        model: z.string(),
        choices: z.array(z.object({ message: z.object({ role: z.literal("assistant"), content: z.string() }), finish_reason: z.string() })),
        usage: usageSchema,
      })
      .parse(await res.json());
    expect(body.choices[0]).toMatchObject({ message: { content: "Echo: ping" }, finish_reason: "stop" });
    expect(body.usage).toEqual({ prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 });
  });

  it("rejects max_tokens for OpenAI reasoning models but accepts max_completion_tokens", async () => {
    const rejected = await chat({ model: "openai/gpt-5", messages: user("hi"), max_tokens: 100 });
    expect(rejected.status).toBe(400);
    expect(errorSchema.parse(await rejected.json()).error).toEqual({
      message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      type: "invalid_request_error",
      param: "max_tokens",
      code: "unsupported_parameter",
    });

    const accepted = await chat({ model: "openai/gpt-5", messages: user("one two three four five"), max_completion_tokens: 3 });
    expect(accepted.status).toBe(200);
    const body = z
      .object({ choices: z.array(z.object({ message: z.object({ content: z.string() }), finish_reason: z.string() })), usage: usageSchema })
      .parse(await accepted.json());
    expect(body.choices[0]).toMatchObject({ message: { content: "Echo: one two" }, finish_reason: "length" });
    expect(body.usage.completion_tokens).toBe(3);
  });

  it("accepts max_tokens for Claude and truncates the stream", async () => {
    const res = await chat({ model: "anthropic/claude-sonnet-4.5", messages: user("a b c d e f"), max_tokens: 2, stream: true });
    expect(res.status).toBe(200);
    const { events } = await readSse(res);
    expect(contentOf(events)).toEqual(["Echo:", " a"]);
    const finish = events.filter((e): e is Chunk => e !== "[DONE]").at(-1);
    expect(finish?.choices[0].finish_reason).toBe("length");
  });

  it("404s an unknown model", async () => {
    const res = await chat({ model: "acme/nope", messages: user("hi") });
    expect(res.status).toBe(404);
    expect(errorSchema.parse(await res.json()).error).toMatchObject({
      message: "The model `acme/nope` does not exist",
      type: "invalid_request_error",
      code: "model_not_found",
    });
  });

  it("400s a malformed body or invalid JSON", async () => {
    const noMessages = await chat({ model: "openai/gpt-5" });
    expect(noMessages.status).toBe(400);
    expect(errorSchema.parse(await noMessages.json()).error).toMatchObject({ type: "invalid_request_error", param: "messages" });

    const badRole = await chat({ model: "openai/gpt-5", messages: [{ role: "wizard", content: "hi" }] });
    expect(badRole.status).toBe(400);

    const notJson = await chat("{not json");
    expect(notJson.status).toBe(400);
    expect(errorSchema.parse(await notJson.json()).error.type).toBe("invalid_request_error");
  });

  it("accepts multimodal content for vision models only", async () => {
    const messages = [
      {
        role: "user",
        content: [
          { type: "text", text: "what is this?" },
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
        ],
      },
    ];
    const vision = await chat({ model: "phala/qwen2.5-vl-72b-instruct", messages });
    expect(vision.status).toBe(200);
    expect(JSON.stringify(await vision.json())).toContain("Echo: what is this?");
    expect((await chat({ model: "phala/deepseek-chat-v3-0324", messages })).status).toBe(400);
  });
});

describe("fake RedPill: behaviours", () => {
  it("serves a queued 429 with Retry-After, then recovers (FIFO)", async () => {
    fake.enqueue({ type: "error", status: 429, retryAfterSeconds: 7 });
    const limited = await chat({ model: "openai/gpt-5", messages: user("hi"), stream: true });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(errorSchema.parse(await limited.json()).error).toMatchObject({ type: "rate_limit_error", code: "rate_limit_exceeded" });

    const next = await chat({ model: "openai/gpt-5", messages: user("hi") });
    expect(next.status).toBe(200);
    await next.body?.cancel();
  });

  it("serves a queued 500 and a 403 out-of-credits", async () => {
    fake.enqueue({ type: "error", status: 500 });
    fake.enqueue({ type: "error", status: 403 });
    const first = await chat({ model: "openai/gpt-5", messages: user("hi") });
    expect(first.status).toBe(500);
    expect(errorSchema.parse(await first.json()).error.type).toBe("server_error");
    const second = await chat({ model: "openai/gpt-5", messages: user("hi") });
    expect(second.status).toBe(403);
    expect(errorSchema.parse(await second.json()).error.code).toBe("insufficient_quota");
  });

  it("cuts the stream after N chunks without [DONE] or usage", async () => {
    fake.enqueue({ type: "cut", afterChunks: 3 });
    const res = await chat({
      model: "openai/gpt-5",
      messages: user("this reply is long enough to be cut"),
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.status).toBe(200);
    const { events, error } = await readSse(res);
    expect(error).toBeInstanceOf(Error);
    expect(contentOf(events)).toHaveLength(3);
    expect(events).not.toContain("[DONE]");
    expect(events.some((e) => e !== "[DONE]" && e.usage)).toBe(false);
    const logged = await fake.waitFor((r) => r.behavior?.type === "cut" && r.status === 200);
    expect(logged).toMatchObject({ chunksSent: 3, completed: false, clientClosed: false });
  });

  it("follows directives in the last user message; the queue wins", async () => {
    const limited = await chat({ model: "openai/gpt-5", messages: user("please fail [[fake:error 429]]") });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBeTruthy();
    await limited.body?.cancel();

    const { events, error } = await readSse(
      await chat({ model: "openai/gpt-5", messages: user("cut me [[fake:cut 2]] off"), stream: true }),
    );
    expect(error).toBeInstanceOf(Error);
    expect(contentOf(events)).toEqual(["Echo:", " cut"]);

    // Directive removed from the echo; an earlier user message's directive is ignored.
    const ok = await chat({
      model: "openai/gpt-5",
      messages: [...user("[[fake:error 500]]"), { role: "assistant", content: "x" }, ...user("fine [[fake:slow 1]] now")],
    });
    expect(JSON.stringify(await ok.json())).toContain("Echo: fine now");

    fake.enqueue({ type: "reply", text: "Queued wins." });
    const queued = await chat({ model: "openai/gpt-5", messages: user("[[fake:error 500]]") });
    expect(queued.status).toBe(200);
    expect(JSON.stringify(await queued.json())).toContain("Queued wins.");
  });

  it("streams exactly N one-word chunks for [[fake:tokens N gap]]", async () => {
    const { events } = await readSse(
      await chat({ model: "openai/gpt-5", messages: user("bench [[fake:tokens 40]]"), stream: true }),
    );
    const pieces = contentOf(events);
    expect(pieces).toHaveLength(40);
    expect(pieces.slice(0, 3)).toEqual(["The", " quick", " brown"]);
    expect(events.at(-1)).toBe("[DONE]");
    expect(parseDirective("[[fake:tokens 40 200]]")).toEqual({ type: "tokens", count: 40, gapMs: 200 });
    expect(parseDirective("[[fake:tokens 0]]")).toBeNull();
  });

  // The gap is between chunks: with a one-minute gap the first chunk still comes at once (a wait
  // for it would run into this test's timeout, which is no timing claim, only a hang detector).
  it("sends the first [[fake:tokens]] chunk without waiting for the gap", { timeout: 20_000 }, async () => {
    const controller = new AbortController();
    const res = await chat(
      { model: "openai/gpt-5", messages: user("[[fake:tokens 3 60000]]"), stream: true },
      { signal: controller.signal },
    );
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = "";
    while (!received.includes('"content":"The"')) {
      const { value, done } = await reader.read();
      if (done) break;
      received += value;
    }
    controller.abort();
    expect(received).toContain('"content":"The"');
    expect(received).not.toContain('"content":" quick"');
  });

  it("detects the client aborting a slow stream", async () => {
    fake.enqueue({ type: "slow", chunkDelayMs: 100 });
    const controller = new AbortController();
    const res = await chat({ model: "openai/gpt-5", messages: user("a b c d e f g h i j k l"), stream: true }, { signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.read().catch(() => undefined);
    const logged = await fake.waitFor((r) => r.clientClosed, 3_000);
    expect(logged).toMatchObject({ completed: false, status: 200 });
    expect(logged.chunksSent).toBeLessThan(13);
  });

  it("close() resolves while a hanging stream is open", async () => {
    const other = await startFakeRedpill({ quiet: true });
    const res = await fetch(`${other.url}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer anything", "content-type": "application/json" },
      body: JSON.stringify({ model: "openai/gpt-5", messages: user("[[fake:hang]]"), stream: true }),
    });
    expect(res.status).toBe(200);
    const reading = readSse(res);
    await other.waitFor((r) => r.behavior?.type === "hang");
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    const { events, error } = await reading;
    expect(events).toHaveLength(1);
    expect(error).toBeInstanceOf(Error);
  });
});

describe("fake RedPill: HTTP control and extras", () => {
  it("can be driven over HTTP", async () => {
    const base = fake.url.replace(/\/v1$/, "");
    const bad = await fetch(`${base}/__fake/enqueue`, { method: "POST", body: JSON.stringify({ type: "error", status: 418 }) });
    expect(bad.status).toBe(400);
    const ok = await fetch(`${base}/__fake/enqueue`, { method: "POST", body: JSON.stringify({ type: "error", status: 503 }) });
    expect(ok.status).toBe(200);
    expect((await chat({ model: "openai/gpt-5", messages: user("hi") })).status).toBe(503);

    const log = z.array(z.object({ path: z.string(), status: z.number().nullable() })).parse(await (await fetch(`${base}/__fake/requests`)).json());
    expect(log).toEqual([expect.objectContaining({ path: "/v1/chat/completions", status: 503 })]);
    await fetch(`${base}/__fake/reset`, { method: "POST" });
    expect(fake.requests).toHaveLength(0);
  });

  it("serves attestation reports laid out as RedPill's, binding the model's signing address and the nonce", async () => {
    const headers = { authorization: `Bearer ${KEY}` };
    const model = "phala/deepseek-chat-v3-0324";
    const nonce = randomBytes(32).toString("hex");
    const report = await fetch(`${fake.url}/attestation/report?model=${model}&nonce=${nonce}&signing_algo=ecdsa`, { headers });
    expect(report.status).toBe(200);
    const body = (await report.json()) as { signing_address: string; intel_quote: string; all_attestations: unknown[] };
    expect(body.signing_address).toBe(fakeSigner(model).address);
    expect(body.all_attestations).toHaveLength(1);
    const quote = Buffer.from(body.intel_quote, "hex");
    expect(quote.readUInt16LE(0)).toBe(4);
    expect(quote.subarray(568, 588).toString("hex")).toBe(fakeSigner(model).address.slice(2).toLowerCase());
    expect(quote.subarray(600, 632).toString("hex")).toBe(nonce);
    const outcome = checkAttestation(body, nonce);
    expect(outcome.checks.filter((c) => !c.ok)).toEqual([]);
    expect(outcome.signingAddresses).toEqual([fakeSigner(model).address.toLowerCase()]);

    fake.setAttestationFault(model, "wrong-nonce");
    const bad = await (await fetch(`${fake.url}/attestation/report?model=${model}&nonce=${nonce}`, { headers })).json();
    expect(checkAttestation(bad, nonce).checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(["report_data_nonce"]);

    expect((await fetch(`${fake.url}/attestation/report?model=${model}&nonce=abc`, { headers })).status).toBe(400);
    expect((await fetch(`${fake.url}/attestation/report?model=openai/gpt-5&nonce=${nonce}`, { headers })).status).toBe(400);
  });

  it("signs a TEE completion's exact request and response bytes; red paths by prompt directive", async () => {
    const model = "phala/deepseek-chat-v3-0324";
    const attested = [fakeSigner(model).address.toLowerCase()];
    const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");
    async function signed(prompt: string) {
      const body = JSON.stringify({ model, stream: true, messages: user(prompt) });
      const response = await fetch(`${fake.url}/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
        body,
      });
      const bytes = new Uint8Array(await response.arrayBuffer());
      const id = /"id":"(chatcmpl-[^"]+)"/.exec(new TextDecoder().decode(bytes))![1]!;
      const signature = await fetch(`${fake.url}/signature/${id}?model=${model}&signing_algo=ecdsa`, { headers: { authorization: `Bearer ${KEY}` } });
      return { status: signature.status, body: (await signature.json()) as unknown, requestSha256: sha256(body), responseSha256: sha256(bytes) };
    }
    const failing = async (prompt: string) => {
      const s = await signed(prompt);
      const outcome = await checkSignature(s.body, { ...s, attestedAddresses: attested });
      return outcome.checks.filter((c) => c.ok !== true).map((c) => c.id);
    };

    const good = await signed("hello");
    expect(good.status).toBe(200);
    expect((good.body as { text: string }).text).toBe(`${model}:${good.requestSha256}:${good.responseSha256}`);
    expect(await failing("hello")).toEqual([]);
    expect(await failing("hello [[fake:tee other-key]]")).toEqual(["signer_attested"]);
    expect(await failing("hello [[fake:tee bad-hash]]")).toEqual(["response_hash"]);
    expect((await signed("hello [[fake:tee sig-404]]")).status).toBe(404);
    const headers = { authorization: `Bearer ${KEY}` };
    expect((await fetch(`${fake.url}/signature/chatcmpl-unknown?model=${model}`, { headers })).status).toBe(404);
  });

  it("gives a deterministic markdown demo reply", async () => {
    const demo = await startFakeRedpill({ quiet: true, replyStyle: "demo" });
    try {
      const ask = async () => {
        const res = await fetch(`${demo.url}/chat/completions`, {
          method: "POST",
          headers: { authorization: "Bearer x", "content-type": "application/json" },
          body: JSON.stringify({ model: "google/gemini-2.5-flash", messages: user("How do I bake bread?") }),
        });
        return z.object({ choices: z.array(z.object({ message: z.object({ content: z.string() }) })) }).parse(await res.json())
          .choices[0].message.content;
      };
      const text = await ask();
      expect(text).toContain("simulated demo reply");
      expect(text).toContain("google/gemini-2.5-flash");
      expect(text).toContain("> How do I bake bread?");
      expect(text).toMatch(/```\w+\n/);
      expect(await ask()).toBe(text);
    } finally {
      await demo.close();
    }
  });
});

describe("fake RedPill with the real AI SDK", () => {
  it("streams text and reports usage through @ai-sdk/openai-compatible", async () => {
    const redpill = createOpenAICompatible({ name: "redpill", baseURL: fake.url, apiKey: KEY, includeUsage: true });
    const prompt = "Tell me about Pillbox";
    const result = streamText({ model: redpill("openai/gpt-5-mini"), prompt });
    const text = await result.text;
    const usage = await result.usage;
    expect(text).toBe(`Echo: ${prompt}`);

    const logged = await fake.waitFor((r) => r.path === "/v1/chat/completions" && r.completed);
    expect(logged.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(usage.inputTokens).toBe(Math.ceil(prompt.length / 4) + 4);
    expect(usage.outputTokens).toBe(logged.chunksSent);
    expect(await result.finishReason).toBe("stop");
  });

  it("surfaces a queued 429 as an API error", async () => {
    fake.enqueue({ type: "error", status: 429, retryAfterSeconds: 0, message: "Slow down" });
    const redpill = createOpenAICompatible({ name: "redpill", baseURL: fake.url, apiKey: KEY, includeUsage: true });
    const errors: unknown[] = [];
    const result = streamText({
      model: redpill("openai/gpt-5-mini"),
      prompt: "hi",
      maxRetries: 0,
      onError: ({ error }) => {
        errors.push(error);
      },
    });
    await result.consumeStream();
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain("Slow down");
  });
});

describe("fake RedPill in-process (listen: false)", () => {
  let inProcess: FakeRedpill;
  beforeAll(async () => {
    inProcess = await startFakeRedpill({ apiKey: KEY, quiet: true, listen: false });
  });
  afterAll(async () => {
    await inProcess.close();
  });
  const auth = { authorization: `Bearer ${KEY}` };

  it("opens no port and answers through its fetch only", async () => {
    expect(inProcess.port).toBe(0);
    expect(new URL(inProcess.url).port).toBe("");
    const models = await inProcess.fetch(`${inProcess.url}/models`, { headers: auth });
    expect(models.status).toBe(200);
    expect(((await models.json()) as { data: unknown[] }).data).toHaveLength(FAKE_REDPILL_MODELS.length);
    expect((await inProcess.fetch(`${inProcess.url}/models`)).status).toBe(401);
    // Its name resolves nowhere, and its fetch refuses any other origin.
    await expect(fetch(`${inProcess.url}/models`, { headers: auth })).rejects.toThrow();
    await expect(inProcess.fetch(`${fake.url}/models`, { headers: auth })).rejects.toThrow(/not the in-process fake/);
  });

  it("streams to the real AI SDK, with usage", async () => {
    const redpill = createOpenAICompatible({ name: "redpill", baseURL: inProcess.url, apiKey: KEY, includeUsage: true, fetch: inProcess.fetch });
    const result = streamText({ model: redpill("openai/gpt-5-mini"), prompt: "in process" });
    expect(await result.text).toBe("Echo: in process");
    expect((await result.usage).outputTokens).toBeGreaterThan(0);
  });

  it("cuts a stream, and sees the client abort, as over TCP", async () => {
    inProcess.enqueue({ type: "cut", afterChunks: 2 });
    const body = JSON.stringify({ model: "openai/gpt-5", messages: user("a long enough reply to cut"), stream: true });
    const init = { method: "POST", headers: { ...auth, "content-type": "application/json" }, body };
    const cut = await inProcess.fetch(`${inProcess.url}/chat/completions`, init);
    expect(cut.status).toBe(200);
    await expect(cut.text()).rejects.toThrow();

    inProcess.enqueue({ type: "slow", chunkDelayMs: 100 });
    const controller = new AbortController();
    const slow = await inProcess.fetch(`${inProcess.url}/chat/completions`, { ...init, signal: controller.signal });
    const reader = slow.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.read().catch(() => undefined);
    const logged = await inProcess.waitFor((r) => r.clientClosed, 3_000);
    expect(logged).toMatchObject({ completed: false, status: 200 });
  });
});
