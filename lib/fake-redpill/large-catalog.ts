import { FAKE_REDPILL_MODELS, type FakeModel } from "./catalog";

/** Real-looking providers and model families for a catalog the size of RedPill's (200+ models). */
const PROVIDERS: { slug: string; label: string; tee?: boolean; families: string[] }[] = [
  { slug: "openai", label: "OpenAI", families: ["gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini", "gpt-5-nano", "gpt-5-chat", "gpt-oss-120b", "gpt-oss-20b", "o3", "o3-mini", "o3-pro", "o1", "gpt-4-turbo", "gpt-3.5-turbo", "codex-mini"] },
  { slug: "anthropic", label: "Anthropic", families: ["claude-opus-4.1", "claude-opus-4", "claude-sonnet-4", "claude-3.7-sonnet", "claude-3.5-sonnet", "claude-3.5-haiku", "claude-haiku-4.5", "claude-3-opus", "claude-3-haiku"] },
  { slug: "google", label: "Google", families: ["gemini-2.5-pro", "gemini-2.5-flash-lite", "gemini-2.0-flash", "gemini-2.0-flash-lite", "gemini-1.5-pro", "gemini-1.5-flash", "gemma-3-27b-it", "gemma-3-12b-it", "gemma-3-4b-it", "gemma-2-27b-it"] },
  { slug: "meta-llama", label: "Meta", families: ["llama-4-maverick", "llama-4-scout", "llama-3.1-405b-instruct", "llama-3.1-70b-instruct", "llama-3.1-8b-instruct", "llama-3.2-90b-vision-instruct", "llama-3.2-11b-vision-instruct", "llama-3.2-3b-instruct", "llama-3.2-1b-instruct", "llama-guard-4-12b"] },
  { slug: "mistralai", label: "Mistral", families: ["mistral-large", "mistral-medium-3.1", "mistral-small-3.2-24b-instruct", "mistral-nemo", "codestral", "devstral-medium", "devstral-small", "pixtral-large", "pixtral-12b", "magistral-medium", "magistral-small", "ministral-8b", "ministral-3b", "mixtral-8x22b-instruct", "mixtral-8x7b-instruct"] },
  { slug: "qwen", label: "Qwen", families: ["qwen3-235b-a22b", "qwen3-30b-a3b", "qwen3-32b", "qwen3-14b", "qwen3-8b", "qwen3-coder", "qwen3-coder-30b-a3b", "qwen2.5-72b-instruct", "qwen2.5-coder-32b-instruct", "qwen2.5-vl-32b-instruct", "qwen-max", "qwen-plus", "qwen-turbo", "qwq-32b", "qwen3-vl-235b-a22b"] },
  { slug: "deepseek", label: "DeepSeek", families: ["deepseek-chat-v3.1", "deepseek-r1", "deepseek-r1-0528", "deepseek-v3.2-exp", "deepseek-r1-distill-llama-70b", "deepseek-r1-distill-qwen-32b", "deepseek-prover-v2", "deepseek-coder-v2"] },
  { slug: "phala", label: "Phala", tee: true, families: ["gpt-oss-120b", "gpt-oss-20b", "qwen3-235b-a22b", "qwen3-coder", "qwen2.5-7b-instruct", "llama-3.3-70b-instruct", "deepseek-r1-0528", "gemma-3-27b-it", "glm-4.5", "kimi-k2", "mistral-small-3.1-24b", "qwen3-vl-30b-a3b"] },
  { slug: "x-ai", label: "xAI", families: ["grok-4", "grok-4-fast", "grok-3", "grok-3-mini", "grok-code-fast-1", "grok-2-vision"] },
  { slug: "cohere", label: "Cohere", families: ["command-a", "command-r-plus", "command-r", "command-r7b", "aya-expanse-32b", "aya-vision-32b"] },
  { slug: "moonshotai", label: "MoonshotAI", families: ["kimi-k2", "kimi-k2-0905", "kimi-vl-a3b-thinking", "kimi-dev-72b"] },
  { slug: "z-ai", label: "Z.AI", families: ["glm-4.6", "glm-4.5", "glm-4.5-air", "glm-4.5v", "glm-4-32b"] },
  { slug: "microsoft", label: "Microsoft", families: ["phi-4", "phi-4-reasoning-plus", "phi-4-multimodal-instruct", "phi-3.5-mini-128k-instruct", "wizardlm-2-8x22b"] },
  { slug: "nvidia", label: "NVIDIA", families: ["llama-3.1-nemotron-ultra-253b", "llama-3.3-nemotron-super-49b", "nemotron-nano-9b-v2", "nemotron-nano-12b-v2-vl"] },
  { slug: "amazon", label: "Amazon", families: ["nova-pro-v1", "nova-lite-v1", "nova-micro-v1", "nova-premier-v1"] },
  { slug: "perplexity", label: "Perplexity", families: ["sonar", "sonar-pro", "sonar-reasoning", "sonar-reasoning-pro", "sonar-deep-research"] },
];

/** Variants that multiply the families into a few hundred distinct ids, as real catalogs do. */
const VARIANTS = ["", "-preview", "-2025-06", ":free", "-latest", "-2024-11", ":thinking", "-exp"];

const CONTEXTS = [8192, 32768, 65536, 128000, 131072, 163840, 200000, 262144, 1000000, 1048576];
const PROMPT_PER_MILLION = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.8, 1, 1.25, 2, 2.5, 3, 5, 10, 15];
const COMPLETION_FACTOR = [1, 2, 3, 4, 5, 8];

/** Families whose name says they read images (or that are multimodal by design). */
const VISION = /vision|-vl|vl-|pixtral|gpt-4o|gpt-4\.1|gpt-5|o3|o1|claude|gemini|gemma-3-(27|12)|llama-4|grok-4|grok-2-vision|nova-(pro|lite|premier)|multimodal|glm-4\.5v|phi-4-multimodal/;

/** A small deterministic generator (mulberry32), so every run serves the same catalog. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

function pretty(slug: string): string {
  return slug
    .replace(/:free$/, " (free)")
    .replace(/:thinking$/, " (thinking)")
    .split(/[-_]/)
    .map((word) => (/^(gpt|glm|oss|vl|r1|v\d.*|\d+b|a\d+b|it)$/i.test(word) ? word.toUpperCase() : word[0]!.toUpperCase() + word.slice(1)))
    .join(" ");
}

/** USD per token as RedPill writes it: plain decimals ("0.0000008"), never exponents. */
const perToken = (perMillion: number): string => (perMillion / 1e6).toFixed(12).replace(/\.?0+$/, "") || "0";

function generated(): FakeModel[] {
  const random = seeded(250);
  const taken = new Set(FAKE_REDPILL_MODELS.map((m) => m.id));
  const out: FakeModel[] = [];
  // Round-robin: every provider's families first, then their variants, so any prefix is varied.
  for (const variant of VARIANTS) {
    const longest = Math.max(...PROVIDERS.map((p) => p.families.length));
    for (let index = 0; index < longest; index++) {
      for (const provider of PROVIDERS) {
        const family = provider.families[index];
        if (!family) continue;
        const id = `${provider.slug}/${family}${variant}`;
        if (taken.has(id)) continue;
        taken.add(id);
        const free = variant === ":free";
        const prompt = free ? 0 : pick(random, PROMPT_PER_MILLION);
        const tee = provider.tee === true;
        out.push({
          id,
          name: tee ? `${pretty(family + variant)} (TEE)` : `${provider.label}: ${pretty(family + variant)}`,
          created: 1700000000 + Math.floor(random() * 60_000_000),
          context_length: pick(random, CONTEXTS),
          input_modalities: VISION.test(family) ? ["text", "image"] : ["text"],
          output_modalities: ["text"],
          pricing: { prompt: perToken(prompt), completion: perToken(prompt * pick(random, COMPLETION_FACTOR)) },
          is_tee: tee,
          description: `${provider.label}'s ${pretty(family)}${tee ? ", served inside a GPU TEE with verifiable attestation" : ""}.`,
        });
      }
    }
  }
  return out;
}

let cache: FakeModel[] | null = null;
const all = (): FakeModel[] => (cache ??= [...FAKE_REDPILL_MODELS, ...generated()]);

/** How many models `fakeCatalog` can serve. */
export const fakeCatalogMax = (): number => all().length;

/**
 * A deterministic catalog of `size` models: the curated models first (their ids and behaviour
 * never change), then generated ones across real-looking providers. At most a few hundred.
 */
export function fakeCatalog(size: number): FakeModel[] {
  if (size > all().length) throw new Error(`The fake catalog has at most ${all().length} models.`);
  return all()
    .slice(0, Math.max(0, size))
    .map((model) => structuredClone(model));
}
