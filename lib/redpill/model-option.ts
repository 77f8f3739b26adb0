import type { Model } from "@/lib/db/generated/client";
import { providerOf } from "@/lib/redpill/providers";

/** What the browser is told about a model: no internal fields, prices as strings (USD per token). */
export interface ModelOption {
  id: string;
  /** the name to show: the admin's display name, else the catalog's name */
  name: string;
  /** the catalog's own name */
  catalogName: string;
  displayName: string | null;
  provider: string;
  isTee: boolean;
  contextLength: number | null;
  vision: boolean;
  promptPrice: string;
  completionPrice: string;
}

export function toModelOption(model: Model): ModelOption {
  return {
    id: model.id,
    name: model.displayName ?? model.name,
    catalogName: model.name,
    displayName: model.displayName,
    provider: providerOf(model.id),
    isTee: model.isTee,
    contextLength: model.contextLength,
    vision: model.inputModalities.includes("image"),
    promptPrice: model.promptPrice.toString(),
    completionPrice: model.completionPrice.toString(),
  };
}
