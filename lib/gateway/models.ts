import "server-only";
import { mayUseModel } from "@/lib/access/policy";
import type { Model } from "@/lib/db/generated/client";
import { listEnabledModels } from "@/lib/db/models";
import type { KeyHolder } from "@/lib/gateway/auth";

/** One entry of GET /api/v1/models: OpenAI's model object with RedPill's extra fields. */
export interface ApiModel {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
  name: string;
  context_length: number | null;
  input_modalities: string[];
  output_modalities: string[];
  pricing: { prompt: string; completion: string };
  is_tee: boolean;
}

export function apiModel(model: Model): ApiModel {
  return {
    id: model.id,
    object: "model",
    created: Math.floor(model.createdAt.getTime() / 1000),
    owned_by: model.id.includes("/") ? model.id.split("/")[0]! : "redpill",
    name: model.displayName ?? model.name,
    context_length: model.contextLength,
    input_modalities: model.inputModalities,
    output_modalities: ["text"],
    // USD per token, as RedPill writes them
    pricing: { prompt: model.promptPrice.toFixed(), completion: model.completionPrice.toFixed() },
    is_tee: model.isTee,
  };
}

/** The models the key's user may use, in OpenAI's list format. */
export async function listApiModels(holder: KeyHolder): Promise<{ object: "list"; data: ApiModel[] }> {
  const models = await listEnabledModels();
  const usable = models.filter((model) => mayUseModel({ user: holder.user, model, rules: holder.rules }));
  return { object: "list", data: usable.map(apiModel) };
}
