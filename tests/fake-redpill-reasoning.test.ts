// The fake RedPill's reasoning model (issue 7 §3) and its answers to title requests, read through
// the same AI SDK provider Pillbox uses.
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, streamText } from "ai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAKE_REDPILL_MODELS, startFakeRedpill, type FakeRedpill } from "@/lib/fake-redpill";

const KEY = "sk-test-reasoning";
const R1 = "phala/deepseek-r1-70b";
let fake: FakeRedpill;

beforeAll(async () => {
  fake = await startFakeRedpill({ apiKey: KEY, quiet: true });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const provider = () => createOpenAICompatible({ name: "redpill", baseURL: fake.url, apiKey: KEY, includeUsage: true });

describe("fake RedPill: a reasoning model", () => {
  it("is in the curated catalog", () => {
    expect(FAKE_REDPILL_MODELS.map((m) => m.id)).toContain(R1);
  });

  it("streams reasoning_content before the answer and counts it as reasoning tokens", async () => {
    const result = streamText({ model: provider()(R1), prompt: "Why is the sky blue?" });
    const order: string[] = [];
    for await (const part of result.fullStream) {
      if ((part.type === "reasoning-delta" || part.type === "text-delta") && order.at(-1) !== part.type) order.push(part.type);
    }
    expect(order).toEqual(["reasoning-delta", "text-delta"]);
    expect(await result.reasoningText).toContain('The user wrote: "Why is the sky blue?"');
    expect(await result.text).toBe("Echo: Why is the sky blue?");
    const usage = await result.usage;
    expect(usage.outputTokenDetails.reasoningTokens).toBeGreaterThan(0);
    expect(usage.outputTokens).toBe(usage.outputTokenDetails.reasoningTokens! + usage.outputTokenDetails.textTokens!);
  });

  it("returns message.reasoning_content when not streaming", async () => {
    const result = await generateText({ model: provider()(R1), prompt: "Hello" });
    expect(result.reasoningText).toContain("The user wrote");
    expect(result.text).toBe("Echo: Hello");
  });

  it("keeps other models free of reasoning", async () => {
    const result = streamText({ model: provider()("anthropic/claude-sonnet-4.5"), prompt: "Hello" });
    expect(await result.reasoningText).toBeUndefined();
    expect(await result.text).toBe("Echo: Hello");
  });
});

describe("fake RedPill: titles", () => {
  it("answers a non-streamed title request with the first words of the conversation, in quotes", async () => {
    const result = await generateText({
      model: provider()("openai/gpt-5-mini"),
      messages: [
        { role: "system", content: "Write a short title for this conversation." },
        { role: "user", content: "how do enclaves prove what they run?" },
        { role: "assistant", content: "With attestation." },
        { role: "user", content: "Title:" },
      ],
    });
    expect(result.text).toBe('"How Do Enclaves Prove What"');
  });
});
