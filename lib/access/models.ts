import "server-only";
import type { CurrentUser } from "@/lib/auth/session";
import type { Model } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";

/**
 * The model a user may chat with, or a 4xx. Today every signed-in user may use every enabled
 * model; per-group access plugs in here.
 */
export function assertUsableModel({ model, modelId }: { user: CurrentUser; model: Model | null; modelId: string }): Model {
  if (!model) throw new AppError("not_found:model", `Unknown model "${modelId}".`);
  if (!model.enabled) throw new AppError("forbidden:model", `The model "${modelId}" is disabled by an admin.`);
  return model;
}
