import { z } from "zod";

export const FAKE_ERROR_STATUSES = [400, 401, 403, 404, 429, 500, 502, 503] as const;
export type FakeErrorStatus = (typeof FAKE_ERROR_STATUSES)[number];

export const fakeBehaviorSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ok") }),
  z.object({
    type: z.literal("error"),
    status: z.literal(FAKE_ERROR_STATUSES),
    retryAfterSeconds: z.number().int().min(0).optional(),
    message: z.string().optional(),
  }),
  /** Send N content chunks, then destroy the socket: no finish chunk, no usage, no [DONE]. */
  z.object({ type: z.literal("cut"), afterChunks: z.number().int().min(0) }),
  /** Send N content chunks, then end the response cleanly: no finish chunk, no usage, no [DONE]. */
  z.object({ type: z.literal("eof"), afterChunks: z.number().int().min(0) }),
  z.object({ type: z.literal("slow"), chunkDelayMs: z.number().int().min(0).max(60_000) }),
  /** Send headers (and the role chunk when streaming), then nothing until the client goes away. */
  z.object({ type: z.literal("hang") }),
  z.object({ type: z.literal("reply"), text: z.string() }),
  /** Exactly `count` content chunks (one word each), the first at once, then `gapMs` apart: a model's steady stream. */
  z.object({
    type: z.literal("tokens"),
    count: z.number().int().min(1).max(100_000),
    gapMs: z.number().int().min(0).max(60_000).default(0),
  }),
]);
export type FakeBehavior = z.infer<typeof fakeBehaviorSchema>;

const DIRECTIVE = /\[\[fake:([a-z]+)(?:[ \t]+([^\]]*))?\]\]/gi;

/**
 * Finds the first valid directive in a prompt:
 * `[[fake:ok]]`, `[[fake:error 429]]`, `[[fake:error 429 5]]` (Retry-After 5s), `[[fake:cut 3]]`,
 * `[[fake:eof 3]]` (ends cleanly after 3 chunks, without a finish reason or usage),
 * `[[fake:slow 200]]`, `[[fake:hang]]`, `[[fake:reply Some exact text]]`,
 * `[[fake:tokens 40 200]]` (exactly 40 content chunks, the first at once, then 200 ms apart).
 * Malformed directives are ignored.
 */
export function parseDirective(text: string): FakeBehavior | null {
  for (const match of text.matchAll(DIRECTIVE)) {
    const candidate = directiveToObject(match[1].toLowerCase(), (match[2] ?? "").trim());
    const parsed = fakeBehaviorSchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
  }
  return null;
}

function directiveToObject(kind: string, arg: string): unknown {
  const nums = arg === "" ? [] : arg.split(/\s+/).map(Number);
  switch (kind) {
    case "ok":
    case "hang":
      return { type: kind };
    case "error":
      return { type: "error", status: nums[0], retryAfterSeconds: nums[1] };
    case "cut":
    case "eof":
      return { type: kind, afterChunks: nums[0] };
    case "slow":
      return { type: "slow", chunkDelayMs: nums[0] };
    case "reply":
      return arg === "" ? null : { type: "reply", text: arg };
    case "tokens":
      return { type: "tokens", count: nums[0], gapMs: nums[1] };
    default:
      return null;
  }
}

export function stripDirectives(text: string): string {
  return text.replace(/[ \t]*\[\[fake:[^\]]*\]\][ \t]*/gi, " ").trim();
}
