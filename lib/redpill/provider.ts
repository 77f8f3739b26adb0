import "server-only";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { wrapLanguageModel } from "ai";
import { applyModelQuirks } from "@/lib/redpill/quirks";
import { upstreamGuard } from "@/lib/redpill/upstream-guard";
import { getUpstream, upstreamFetch } from "@/lib/redpill/upstream";
import { env } from "@/lib/env";
import { hashingFetch } from "@/lib/tee/capture";

/** A RedPill chat model as the AI SDK's provider interface sees it (`doStream` and friends). */
export type UpstreamModel = ReturnType<typeof wrapLanguageModel>;
/** What `doStream` takes: the prompt in the provider's own message format, settings, headers, signal. */
export type UpstreamCall = Parameters<UpstreamModel["doStream"]>[0];
/** One part of the model's stream: text and reasoning deltas, response metadata, finish, error. */
export type UpstreamPart =
  Awaited<ReturnType<UpstreamModel["doStream"]>>["stream"] extends ReadableStream<infer P> ? P : never;

/** TEE models get a fetch that hashes the exact bytes exchanged (lib/tee/capture.ts); the others the plain one. */
function createRedpill({ tee }: { tee: boolean }) {
  const { baseURL, apiKey } = getUpstream();
  return createOpenAICompatible({
    name: "redpill",
    baseURL,
    apiKey,
    includeUsage: true, // stream_options.include_usage: the usage chunk is what we bill from
    transformRequestBody: applyModelQuirks,
    fetch: tee ? hashingFetch(upstreamFetch) : upstreamFetch,
  });
}

type RedpillProvider = ReturnType<typeof createRedpill>;
const globalForProvider = globalThis as unknown as {
  redpillProvider?: RedpillProvider;
  redpillTeeProvider?: RedpillProvider;
  redpillModels?: Map<string, UpstreamModel>;
};

/**
 * The one seam between Pillbox and RedPill's models: tests and demo mode point it at the fake.
 * A model object is stateless between calls, so each is built once: building one compiles the
 * provider's chunk schemas, a cost every request would otherwise pay. (At most one per catalog model.)
 */
export function languageModel(modelId: string, { tee = false }: { tee?: boolean } = {}): UpstreamModel {
  const models = (globalForProvider.redpillModels ??= new Map());
  const key = tee ? `tee:${modelId}` : modelId;
  let model = models.get(key);
  if (!model) {
    const provider = tee
      ? (globalForProvider.redpillTeeProvider ??= createRedpill({ tee }))
      : (globalForProvider.redpillProvider ??= createRedpill({ tee }));
    model = wrapLanguageModel({
      model: provider.chatModel(modelId),
      middleware: upstreamGuard({ idleMs: env.PILLBOX_UPSTREAM_IDLE_TIMEOUT_MS }),
    });
    models.set(key, model);
  }
  return model;
}
