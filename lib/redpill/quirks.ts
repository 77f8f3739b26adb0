/**
 * Upstream quirks of RedPill's models, applied to the request body just before it is sent.
 * OpenAI reasoning models reject `max_tokens` and want `max_completion_tokens`.
 */
const reasoningModel = /^openai\/(gpt-5|o3|o4)/;

export function usesMaxCompletionTokens(modelId: string): boolean {
  return reasoningModel.test(modelId);
}

export function applyModelQuirks(body: Record<string, unknown>): Record<string, unknown> {
  const model = typeof body.model === "string" ? body.model : "";
  if (!usesMaxCompletionTokens(model) || body.max_tokens === undefined) return body;
  const { max_tokens: maxTokens, ...rest } = body;
  return { ...rest, max_completion_tokens: maxTokens };
}
