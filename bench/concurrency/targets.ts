import { TEST_REDPILL_KEY } from "../../tests/support/constants";
import { chatBody } from "../../tests/support/fixtures";
import type { Session } from "../../tests/support/session";
import type { Target } from "./client";

export const MODEL = "anthropic/claude-sonnet-4.5";

/** The request Pillbox's provider sends upstream, near enough: same model, streaming, usage on. */
const upstreamBody = (prompt: string) =>
  JSON.stringify({
    model: MODEL,
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: 4096,
    messages: [{ role: "user", content: prompt }],
  });

// OpenAI-style chunks: the role chunk has `"content":""`, content chunks a non-empty string.
const isUpstreamContent = (line: string) => line.startsWith("data: {") && /"content":"[^"]/.test(line);
const isUpstreamError = (line: string) => line.startsWith('data: {"error"');

/** Straight to the fake RedPill: what the model alone costs. */
export function directTarget(fakeUrl: string): Target {
  return {
    name: "direct",
    pid: null,
    url: new URL(`${fakeUrl}/chat/completions`),
    headers: { authorization: `Bearer ${TEST_REDPILL_KEY}` },
    body: upstreamBody,
    isContent: isUpstreamContent,
    isError: isUpstreamError,
  };
}

/** The bare Next forward: the same body, which it sends on with the key. */
export function bareTarget(url: string, pid: number): Target {
  return {
    name: "bare",
    pid,
    url: new URL(`${url}/api/chat`),
    headers: {},
    body: upstreamBody,
    isContent: isUpstreamContent,
    isError: isUpstreamError,
  };
}

/**
 * POST /api/v1/chat/completions with the admin's personal API key: the same body the bare forward
 * gets, less the usage options (Pillbox asks for usage itself and strips the chunk again).
 */
export function gatewayTarget(baseUrl: string, secret: string, pid: number): Target {
  return {
    name: "gateway",
    pid,
    url: new URL(`${baseUrl}/api/v1/chat/completions`),
    headers: { authorization: `Bearer ${secret}` },
    body: (prompt) => JSON.stringify({ model: MODEL, stream: true, messages: [{ role: "user", content: prompt }] }),
    isContent: isUpstreamContent,
    isError: isUpstreamError,
  };
}

/** POST /api/chat signed in as the admin, a new chat every time (chatBody's fresh id). */
export function pillboxTarget(session: Session, pid: number): Target {
  return {
    name: "pillbox",
    pid,
    url: new URL(`${session.baseUrl}/api/chat`),
    headers: { cookie: session.cookieHeader() },
    body: (prompt) => JSON.stringify(chatBody(prompt, MODEL)),
    isContent: (line) => line.includes('"type":"text-delta"'),
    isError: (line) => line.startsWith('data: {"type":"error"'),
  };
}
