// The SSE scanner of the OpenAI-compatible API (lib/gateway/sse-usage.ts) on a real stream of the
// fake RedPill, cut into chunks at every byte: HTTP cannot be made to split events on demand.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SseUsageScanner } from "@/lib/gateway/sse-usage";
import { startFakeRedpill, type FakeRedpill } from "@/lib/fake-redpill";

const USAGE_EVENT = /data: \{[^\n]*"choices":\[\][^\n]*\n\n/;

function run(bytes: Buffer, cuts: number[], strip: boolean) {
  const scanner = new SseUsageScanner(strip);
  const out: Buffer[] = [];
  let from = 0;
  for (const at of [...cuts, bytes.length]) {
    const sent = scanner.push(new Uint8Array(bytes.subarray(from, at)));
    if (sent) out.push(Buffer.from(sent));
    from = at;
  }
  const rest = scanner.flush();
  if (rest) out.push(Buffer.from(rest));
  return { scanner, text: Buffer.concat(out).toString("utf8") };
}

describe("the gateway's SSE scanner", () => {
  let fake: FakeRedpill;
  let stream: Buffer;

  beforeAll(async () => {
    fake = await startFakeRedpill({ quiet: true });
    const response = await fetch(`${fake.url}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer test", "content-type": "application/json" },
      body: JSON.stringify({
        model: "anthropic/claude-sonnet-4.5",
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: "user", content: "[[fake:reply naïve café ✓ ok]]" }],
      }),
    });
    stream = Buffer.from(await response.arrayBuffer());
  });

  afterAll(async () => {
    await fake?.close();
  });

  it("passes every byte on, and reads the id, usage and end, however the stream is cut", () => {
    const text = stream.toString("utf8");
    const id = /"id":"(chatcmpl-[\w-]+)"/.exec(text)![1];
    for (let at = 1; at < stream.length; at++) {
      const { scanner, text: out } = run(stream, [at], false);
      expect(out).toBe(text);
      expect([scanner.id, scanner.done, scanner.usage?.completion_tokens]).toEqual([id, true, expect.any(Number)]);
    }
  });

  it("cuts out exactly the usage event when stripping, however the stream is cut", () => {
    const text = stream.toString("utf8");
    expect(text).toMatch(USAGE_EVENT);
    const expected = text.replace(USAGE_EVENT, "");
    for (let at = 1; at < stream.length; at++) {
      const { scanner, text: out } = run(stream, [at, Math.min(stream.length, at + 7)], true);
      expect(out).toBe(expected);
      expect(scanner.usage?.prompt_tokens).toBeGreaterThan(0);
    }
    // One byte at a time.
    const single = run(stream, Array.from({ length: stream.length - 1 }, (_, i) => i + 1), true);
    expect(single.text).toBe(expected);
  });

  it("keeps a usage object that comes with choices, as it must not re-serialise", () => {
    const event = 'data: {"id":"x","choices":[{"index":0,"delta":{}}],"usage":{"prompt_tokens":3,"completion_tokens":4}}\n\n';
    const { scanner, text } = run(Buffer.from(`${event}data: [DONE]\n\n`), [], true);
    expect(text).toBe(`${event}data: [DONE]\n\n`);
    expect(scanner.usage).toEqual({ prompt_tokens: 3, completion_tokens: 4 });
  });
});
