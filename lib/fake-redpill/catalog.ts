import { z } from "zod";

/** One entry of `GET /v1/models`, in RedPill's wire shape (prices are USD per token, as strings). */
export const fakeModelSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  created: z.number().int(),
  context_length: z.number().int().positive(),
  input_modalities: z.array(z.enum(["text", "image"])),
  output_modalities: z.array(z.literal("text")),
  pricing: z.object({ prompt: z.string(), completion: z.string() }),
  is_tee: z.boolean(),
  description: z.string(),
});
export type FakeModel = z.infer<typeof fakeModelSchema>;

export const FAKE_REDPILL_MODELS: readonly FakeModel[] = [
  {
    id: "openai/gpt-5",
    name: "OpenAI: GPT-5",
    created: 1754587413,
    context_length: 400000,
    input_modalities: ["text", "image"],
    output_modalities: ["text"],
    pricing: { prompt: "0.00000125", completion: "0.00001" },
    is_tee: false,
    description: "OpenAI's flagship reasoning model for coding, writing and agentic tasks.",
  },
  {
    id: "openai/gpt-5-mini",
    name: "OpenAI: GPT-5 Mini",
    created: 1754587407,
    context_length: 400000,
    input_modalities: ["text", "image"],
    output_modalities: ["text"],
    pricing: { prompt: "0.00000025", completion: "0.000002" },
    is_tee: false,
    description: "A faster, cheaper GPT-5 for well-defined tasks.",
  },
  {
    id: "openai/o4-mini",
    name: "OpenAI: o4 Mini",
    created: 1744820942,
    context_length: 200000,
    input_modalities: ["text", "image"],
    output_modalities: ["text"],
    pricing: { prompt: "0.0000011", completion: "0.0000044" },
    is_tee: false,
    description: "Compact reasoning model optimised for fast, cost-efficient math and code.",
  },
  {
    id: "anthropic/claude-sonnet-4.5",
    name: "Anthropic: Claude Sonnet 4.5",
    created: 1759161676,
    context_length: 1000000,
    input_modalities: ["text", "image"],
    output_modalities: ["text"],
    pricing: { prompt: "0.000003", completion: "0.000015" },
    is_tee: false,
    description: "Anthropic's most capable Sonnet, strong at coding and long-running agents.",
  },
  {
    id: "phala/deepseek-chat-v3-0324",
    name: "DeepSeek V3 0324 (TEE)",
    created: 1743100800,
    context_length: 163840,
    input_modalities: ["text"],
    output_modalities: ["text"],
    pricing: { prompt: "0.00000028", completion: "0.00000114" },
    is_tee: true,
    description: "DeepSeek V3 running inside a GPU trusted execution environment with verifiable attestation.",
  },
  {
    id: "phala/qwen2.5-vl-72b-instruct",
    name: "Qwen2.5 VL 72B Instruct (TEE)",
    created: 1738368000,
    context_length: 128000,
    input_modalities: ["text", "image"],
    output_modalities: ["text"],
    pricing: { prompt: "0.00000059", completion: "0.00000059" },
    is_tee: true,
    description: "Vision-language model served confidentially in a TEE; understands images and documents.",
  },
  {
    id: "meta-llama/llama-3.3-70b-instruct",
    name: "Meta: Llama 3.3 70B Instruct",
    created: 1733506137,
    context_length: 131072,
    input_modalities: ["text"],
    output_modalities: ["text"],
    pricing: { prompt: "0.00000013", completion: "0.0000004" },
    is_tee: false,
    description: "Multilingual open-weight instruction model, good general-purpose assistant.",
  },
  {
    id: "google/gemini-2.5-flash",
    name: "Google: Gemini 2.5 Flash",
    created: 1750172488,
    context_length: 1048576,
    input_modalities: ["text", "image"],
    output_modalities: ["text"],
    pricing: { prompt: "0.0000003", completion: "0.0000025" },
    is_tee: false,
    description: "Google's fast workhorse model with built-in thinking and a 1M token context.",
  },
  {
    id: "meta-llama/llama-3-8b-instruct",
    name: "Meta: Llama 3 8B Instruct",
    created: 1713398400,
    context_length: 8192,
    input_modalities: ["text"],
    output_modalities: ["text"],
    pricing: { prompt: "0.00000003", completion: "0.00000006" },
    is_tee: false,
    description: "Small, fast open-weight model with a short 8K context.",
  },
  {
    id: "phala/deepseek-r1-70b",
    name: "DeepSeek R1 Distill Llama 70B (TEE)",
    created: 1737763200,
    context_length: 131072,
    input_modalities: ["text"],
    output_modalities: ["text"],
    pricing: { prompt: "0.0000004", completion: "0.0000004" },
    is_tee: true,
    description: "DeepSeek R1 distilled into Llama 70B, served in a TEE; thinks out loud before it answers.",
  },
];

/**
 * Models that stream their thinking (`delta.reasoning_content`) before the answer, and return it as
 * `message.reasoning_content` when not streaming, as DeepSeek R1 does.
 */
export function streamsReasoning(modelId: string): boolean {
  return /deepseek-r1|qwq|:thinking/.test(modelId);
}

/** OpenAI reasoning models reject the legacy `max_tokens` parameter. */
export function requiresMaxCompletionTokens(modelId: string): boolean {
  return /^openai\/(gpt-5|o3|o4)/.test(modelId);
}
