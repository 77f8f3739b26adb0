import type { Model } from "@/lib/db/generated/client";

/** What the browser is told about a model: no internal fields, prices as strings. */
export interface ModelOption {
  id: string;
  name: string;
  isTee: boolean;
  contextLength: number | null;
  vision: boolean;
  promptPrice: string;
  completionPrice: string;
}

export function toModelOption(model: Model): ModelOption {
  return {
    id: model.id,
    name: model.name,
    isTee: model.isTee,
    contextLength: model.contextLength,
    vision: model.inputModalities.includes("image"),
    promptPrice: model.promptPrice.toString(),
    completionPrice: model.completionPrice.toString(),
  };
}
