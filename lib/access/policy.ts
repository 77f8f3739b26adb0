import "server-only";
import type { CurrentUser } from "@/lib/auth/session";
import { listAccessRulesForUser } from "@/lib/db/groups";
import type { Model } from "@/lib/db/generated/client";
import { listEnabledModels } from "@/lib/db/models";
import { AppError } from "@/lib/errors";

/** What one group allows: every enabled model or a list, optionally narrowed to TEE models. */
export interface GroupRule {
  allModels: boolean;
  teeOnly: boolean;
  models: { modelId: string }[];
}

type ModelFacts = Pick<Model, "id" | "enabled" | "isTee">;

export function groupAllows(rule: GroupRule, model: Pick<Model, "id" | "isTee">): boolean {
  if (rule.teeOnly && !model.isTee) return false;
  return rule.allModels || rule.models.some((m) => m.modelId === model.id);
}

/**
 * THE rule, and the only place it is decided: a user may use a model iff the model is enabled
 * AND (the user is an admin OR at least one of the user's groups allows it).
 */
export function mayUseModel({
  user,
  model,
  rules,
}: {
  user: Pick<CurrentUser, "role">;
  model: ModelFacts;
  rules: GroupRule[];
}): boolean {
  if (!model.enabled) return false;
  return user.role === "ADMIN" || rules.some((rule) => groupAllows(rule, model));
}

/** The rules that apply to a user, read fresh (a change applies to their very next request). */
export const accessRulesFor = (user: Pick<CurrentUser, "id">) => listAccessRulesForUser({ userId: user.id });

/** The models a user may pick, for the model picker and GET /api/models. */
export async function listUsableModels(user: Pick<CurrentUser, "id" | "role">): Promise<Model[]> {
  const [models, rules] = await Promise.all([listEnabledModels(), accessRulesFor(user)]);
  return models.filter((model) => mayUseModel({ user, model, rules }));
}

/** The model a user may chat with, or 404 (unknown) / 403 (disabled or not allowed), naming it. */
export function assertUsableModel({
  user,
  model,
  modelId,
  rules,
}: {
  user: Pick<CurrentUser, "role">;
  model: Model | null;
  modelId: string;
  rules: GroupRule[];
}): Model {
  if (!model) throw new AppError("not_found:model", `Unknown model "${modelId}".`);
  if (!model.enabled) throw new AppError("forbidden:model", `The model "${modelId}" is turned off by an admin.`);
  if (!mayUseModel({ user, model, rules })) {
    throw new AppError("forbidden:model", `You are not allowed to use the model "${modelId}". Ask an admin for access.`);
  }
  return model;
}
