export type FinishReason = "stop" | "length" | "tool_calls";

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

/** `completionTokens` includes the reasoning tokens, as OpenAI counts them. */
export function makeUsage(promptTokens: number, completionTokens: number, reasoningTokens = 0): Usage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reasoningTokens },
  };
}

/** Fields shared by every chunk of one streamed completion. */
export interface StreamIdentity {
  id: string;
  created: number;
  model: string;
  /** OpenAI sends `"usage": null` on every chunk when include_usage is on. */
  includeUsage: boolean;
}

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

interface Delta {
  role?: "assistant";
  content?: string | null;
  tool_calls?: (ToolCall & { index: number })[];
  /** A reasoning model's thinking, streamed before its answer (DeepSeek's field, which RedPill passes on). */
  reasoning_content?: string;
}

export interface CompletionChunk {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: { index: number; delta: Delta; finish_reason: FinishReason | null }[];
  usage?: Usage | null;
}

function chunk(s: StreamIdentity, choices: CompletionChunk["choices"], usage: Usage | null): CompletionChunk {
  const base: CompletionChunk = { id: s.id, object: "chat.completion.chunk", created: s.created, model: s.model, choices };
  return s.includeUsage ? { ...base, usage } : base;
}

export const roleChunk = (s: StreamIdentity, index = 0): CompletionChunk =>
  chunk(s, [{ index, delta: { role: "assistant", content: "" }, finish_reason: null }], null);

export const contentChunk = (s: StreamIdentity, content: string, index = 0): CompletionChunk =>
  chunk(s, [{ index, delta: { content }, finish_reason: null }], null);

export const reasoningChunk = (s: StreamIdentity, reasoning: string, index = 0): CompletionChunk =>
  chunk(s, [{ index, delta: { reasoning_content: reasoning }, finish_reason: null }], null);

/** A whole tool call in one chunk (OpenAI may split its arguments over several; one is valid too). */
export const toolCallChunk = (s: StreamIdentity, call: ToolCall, index = 0): CompletionChunk =>
  chunk(s, [{ index, delta: { tool_calls: [{ index: 0, ...call }] }, finish_reason: null }], null);

export const finishChunk = (s: StreamIdentity, reason: FinishReason, index = 0): CompletionChunk =>
  chunk(s, [{ index, delta: {}, finish_reason: reason }], null);

export const usageChunk = (s: StreamIdentity, usage: Usage): CompletionChunk => chunk(s, [], usage);

export function sseEvent(data: CompletionChunk | "[DONE]"): string {
  return `data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`;
}
