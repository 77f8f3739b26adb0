/** The provider part of a model id (`google/gemini-2.5-flash` → `google`). Safe in the browser. */
export const providerOf = (modelId: string): string => modelId.split("/")[0] ?? modelId;

const LABELS: Record<string, string> = {
  openai: "OpenAI",
  anthropic: "Anthropic",
  google: "Google",
  "meta-llama": "Meta",
  mistralai: "Mistral",
  qwen: "Qwen",
  deepseek: "DeepSeek",
  phala: "Phala (TEE)",
  "x-ai": "xAI",
  cohere: "Cohere",
  moonshotai: "Moonshot AI",
  "z-ai": "Z.AI",
  microsoft: "Microsoft",
  nvidia: "NVIDIA",
  amazon: "Amazon",
  perplexity: "Perplexity",
};

/** A readable name for a provider slug; unknown slugs are shown as they are. */
export const providerLabel = (provider: string): string => LABELS[provider] ?? provider;
