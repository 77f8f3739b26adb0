import { randomBytes } from "node:crypto";
import { parseTeeDirective, type FakeTee } from "./attestation";
import { parseDirective, stripDirectives, type FakeBehavior } from "./behaviors";
import { requiresMaxCompletionTokens, streamsReasoning, type FakeModel } from "./catalog";
import { contextLengthExceeded, errorForStatus, invalidRequest, modelNotFound, unsupportedMaxTokens } from "./errors";
import type { Exchange } from "./exchange";
import { chatRequestSchema, countPromptTokens, formatZodIssue, hasImageInput, lastUserText, messageText, type ChatMessage, type ChatRequest } from "./request";
import { countedPieces, demoReply, echoReply, reasoningFor, splitIntoPieces, titleReply, type ReplyStyle } from "./replies";
import {
  contentChunk,
  finishChunk,
  makeUsage,
  reasoningChunk,
  roleChunk,
  toolCallChunk,
  usageChunk,
  type FinishReason,
  type StreamIdentity,
  type ToolCall,
  type Usage,
} from "./sse";

export interface ChatSettings {
  models: readonly FakeModel[];
  replyStyle: ReplyStyle;
  chunkDelayMs: number;
  /** Keeps what a TEE model's completion is signed over. */
  tee: FakeTee;
  /** Takes the next queued behaviour, if any. */
  dequeue: () => FakeBehavior | undefined;
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false };

interface Plan {
  stream: StreamIdentity;
  /** a reasoning model's thinking, sent before the answer */
  reasoning: string[];
  pieces: string[];
  finishReason: FinishReason;
  promptTokens: number;
  delayMs: number;
  behavior: FakeBehavior;
  /** how many choices (`n`), each the same reply */
  choices: number;
  /** the call a forced tool choice (`required` or a named function) makes instead of text */
  toolCall: ToolCall | null;
}

export async function handleChatCompletions(x: Exchange, body: ParsedBody, settings: ChatSettings): Promise<void> {
  // A queued behaviour is consumed by the next request whatever it contains, like an outage would be.
  const queued = settings.dequeue();
  if (queued?.type === "error") {
    x.entry.behavior = queued;
    return sendError(x, queued, requestedModel(body));
  }
  if (!body.ok) {
    return x.json(400, invalidRequest("We could not parse the JSON body of your request. Expected a JSON object."));
  }
  const parsed = chatRequestSchema.safeParse(body.value);
  if (!parsed.success) {
    const { message, param } = formatZodIssue(parsed.error);
    return x.json(400, invalidRequest(message, param));
  }
  const req = parsed.data;
  const model = settings.models.find((m) => m.id === req.model);
  if (!model) return x.json(404, modelNotFound(req.model));
  if (req.max_tokens != null && requiresMaxCompletionTokens(model.id)) return x.json(400, unsupportedMaxTokens());
  if (hasImageInput(req.messages) && !model.input_modalities.includes("image")) {
    return x.json(400, invalidRequest(`Model \`${model.id}\` does not support image input.`, "messages"));
  }
  const promptTokens = countPromptTokens(req.messages);
  const outputTokens = req.max_completion_tokens ?? req.max_tokens ?? 0;
  if (promptTokens + outputTokens > model.context_length) {
    return x.json(400, contextLengthExceeded(model.context_length, promptTokens, outputTokens));
  }

  const userText = lastUserText(req.messages);
  const behavior = queued ?? parseDirective(userText) ?? { type: "ok" };
  x.entry.behavior = behavior;
  if (behavior.type === "error") return sendError(x, behavior, model.id);

  const titling = !req.stream && isTitleRequest(req.messages);
  const text =
    behavior.type === "reply"
      ? behavior.text
      : titling
        ? titleReply(stripDirectives(firstUserText(req.messages)))
        : settings.replyStyle === "demo"
          ? demoReply(model.id, stripDirectives(userText))
          : echoReply(stripDirectives(userText));
  const limit = req.max_completion_tokens ?? req.max_tokens ?? Infinity;
  // `tokens` streams exactly its count of content chunks, so it never thinks first.
  const allReasoning =
    streamsReasoning(model.id) && behavior.type !== "tokens" && !titling ? splitIntoPieces(reasoningFor(stripDirectives(userText))) : [];
  const reasoning = allReasoning.slice(0, limit);
  const contentLimit = limit - reasoning.length;
  const allPieces = behavior.type === "tokens" ? countedPieces(behavior.count) : splitIntoPieces(text);
  const id = `chatcmpl-${randomBytes(12).toString("base64url")}`;
  x.entry.completionId = id;
  if (model.is_tee) {
    settings.tee.recordCompletion(id, {
      model: model.id,
      fault: parseTeeDirective(userText),
      requestSha256: x.requestSha256,
      responseSha256: () => x.responseSha256,
    });
  }
  const plan: Plan = {
    stream: {
      id,
      created: Math.floor(Date.now() / 1000),
      model: req.model,
      includeUsage: req.stream_options?.include_usage === true,
    },
    reasoning,
    pieces: allPieces.slice(0, contentLimit),
    finishReason: allReasoning.length + allPieces.length > limit ? "length" : "stop",
    promptTokens,
    delayMs: behavior.type === "slow" ? behavior.chunkDelayMs : behavior.type === "tokens" ? behavior.gapMs : settings.chunkDelayMs,
    behavior,
    choices: req.n ?? 1,
    toolCall: forcedToolCall(req, id),
  };
  if (plan.toolCall) {
    plan.reasoning = [];
    plan.pieces = [];
    plan.finishReason = "tool_calls";
  }
  return req.stream ? streamCompletion(x, plan) : sendCompletion(x, plan);
}

/**
 * `tool_choice: "required"` (the first tool) or a named function: the reply is a call to it, with
 * the last user message as its `input` argument. `auto` and `none` get text, as a model may choose.
 */
function forcedToolCall(req: ChatRequest, id: string): ToolCall | null {
  const tools = req.tools ?? [];
  const choice = req.tool_choice;
  const name = choice === "required" ? tools[0]?.function.name : typeof choice === "object" && choice ? choice.function.name : undefined;
  if (typeof name !== "string" || !tools.some((tool) => tool.function.name === name)) return null;
  return { id: `call_${id.slice(-12)}`, type: "function", function: { name, arguments: JSON.stringify({ input: lastUserText(req.messages) }) } };
}

/** A request for a conversation's title: not streamed, with a system message asking for a title. */
function isTitleRequest(messages: readonly ChatMessage[]): boolean {
  return messages.some((m) => (m.role === "system" || m.role === "developer") && /\btitle\b/i.test(messageText(m)));
}

function firstUserText(messages: readonly ChatMessage[]): string {
  const first = messages.find((m) => m.role === "user");
  return first ? messageText(first) : "";
}

function requestedModel(body: ParsedBody): string {
  if (body.ok && typeof body.value === "object" && body.value !== null && "model" in body.value) {
    const { model } = body.value;
    if (typeof model === "string") return model;
  }
  return "unknown";
}

function sendError(x: Exchange, b: Extract<FakeBehavior, { type: "error" }>, model: string): void {
  const retryAfter = b.retryAfterSeconds ?? (b.status === 429 ? 1 : undefined);
  x.json(b.status, errorForStatus(b.status, model, b.message), retryAfter === undefined ? {} : { "retry-after": String(retryAfter) });
}

async function streamCompletion(x: Exchange, plan: Plan): Promise<void> {
  const s = plan.stream;
  const choices = [...Array(plan.choices).keys()];
  x.startStream();
  for (const index of choices) if (!(await x.send(roleChunk(s, index)))) return;
  if (plan.behavior.type === "hang") return x.untilGone();

  const b = plan.behavior;
  const cutAt = b.type === "cut" || b.type === "eof" ? b.afterChunks : Infinity;
  // `tokens` sends its first chunk at once: the delay is the gap between chunks, not a wait for the first.
  const firstDelayMs = b.type === "tokens" ? 0 : plan.delayMs;
  // A reasoning model's thinking comes first; a cut counts its chunks too.
  const chunks = [...plan.reasoning.map((piece) => reasoningChunk(s, piece)), ...plan.pieces.map((piece) => contentChunk(s, piece))];
  for (const [i, next] of chunks.entries()) {
    if (i >= cutAt) break;
    if (!(await x.sleep(i === 0 ? firstDelayMs : plan.delayMs))) return;
    if (!(await x.send(next, true))) return;
    // The other choices' copies of this chunk (n > 1).
    for (const index of choices.slice(1)) {
      const copy = { ...next, choices: next.choices.map((choice) => ({ ...choice, index })) };
      if (!(await x.send(copy))) return;
    }
  }
  if (plan.toolCall) for (const index of choices) if (!(await x.send(toolCallChunk(s, plan.toolCall, index)))) return;
  if (plan.behavior.type === "cut") return x.cut(Math.max(plan.delayMs, 20));
  if (plan.behavior.type === "eof") return x.end();

  for (const index of choices) if (!(await x.send(finishChunk(s, plan.finishReason, index)))) return;
  if (s.includeUsage && !(await x.send(usageChunk(s, usageOf(plan))))) return;
  if (!(await x.send("[DONE]"))) return;
  x.end();
}

async function sendCompletion(x: Exchange, plan: Plan): Promise<void> {
  if (plan.behavior.type === "hang") return x.untilGone();
  if (plan.behavior.type === "cut" || plan.behavior.type === "eof") return x.cut();
  // Take as long as the equivalent stream would.
  if (!(await x.sleep(plan.delayMs * (plan.reasoning.length + plan.pieces.length)))) return;
  const s = plan.stream;
  x.json(200, {
    id: s.id,
    object: "chat.completion",
    created: s.created,
    model: s.model,
    choices: [...Array(plan.choices).keys()].map((index) => ({
      index,
      message: {
        role: "assistant",
        content: plan.toolCall ? null : plan.pieces.join(""),
        ...(plan.reasoning.length ? { reasoning_content: plan.reasoning.join("") } : {}),
        ...(plan.toolCall ? { tool_calls: [plan.toolCall] } : {}),
        refusal: null,
      },
      logprobs: null,
      finish_reason: plan.finishReason,
    })),
    usage: usageOf(plan),
  });
}

function usageOf(plan: Plan): Usage {
  const perChoice = plan.reasoning.length + plan.pieces.length + (plan.toolCall ? 8 : 0);
  return makeUsage(plan.promptTokens, perChoice * plan.choices, plan.reasoning.length * plan.choices);
}
