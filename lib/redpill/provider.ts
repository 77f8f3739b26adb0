import "server-only";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { wrapLanguageModel, type LanguageModel } from "ai";
import { applyModelQuirks } from "@/lib/redpill/quirks";
import { streamErrorsAsParts } from "@/lib/redpill/stream-errors";
import { getUpstream } from "@/lib/redpill/upstream";

function createRedpill() {
  const { baseURL, apiKey } = getUpstream();
  return createOpenAICompatible({
    name: "redpill",
    baseURL,
    apiKey,
    includeUsage: true, // stream_options.include_usage: the usage chunk is what we bill from
    transformRequestBody: applyModelQuirks,
  });
}

type RedpillProvider = ReturnType<typeof createRedpill>;
const globalForProvider = globalThis as unknown as { redpillProvider?: RedpillProvider };

/** The one seam between Pillbox and RedPill's models: tests and demo mode point it at the fake. */
export function languageModel(modelId: string): LanguageModel {
  const provider = (globalForProvider.redpillProvider ??= createRedpill());
  return wrapLanguageModel({ model: provider.chatModel(modelId), middleware: streamErrorsAsParts });
}
