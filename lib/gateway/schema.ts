import { z } from "zod";

/**
 * POST /api/v1/chat/completions: the OpenAI chat completions request. The fields Pillbox reads or
 * that a bad value would only fail upstream are checked here (a bad request is a 400 that writes
 * nothing); every field, known or not, is sent upstream as it came.
 */
const part = z.looseObject({ type: z.string().min(1) });
const message = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.array(part), z.null()]).optional(),
});
const tool = z.looseObject({
  type: z.string().min(1),
  function: z.looseObject({ name: z.string().min(1).max(200) }).optional(),
});

export const completionRequest = z.looseObject({
  model: z.string().min(1).max(200),
  messages: z.array(message).min(1).max(100_000),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(16)]).nullish(),
  seed: z.number().int().nullish(),
  tools: z.array(tool).max(512).nullish(),
  tool_choice: z.union([z.string(), z.looseObject({ type: z.string() })]).nullish(),
  response_format: z.looseObject({ type: z.string().min(1) }).nullish(),
});
export type CompletionRequest = z.infer<typeof completionRequest>;

export const attestationQuery = z.looseObject({ model: z.string().min(1).max(200).optional() });
export const signatureParams = z.object({ id: z.string().min(1).max(200).regex(/^[\w.:-]+$/, "not a completion id") });
