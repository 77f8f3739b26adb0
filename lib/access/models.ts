import "server-only";
import { z } from "zod";
import { withAudit, type AuditActor } from "@/lib/audit/record";
import { findModels, getModel, setModelsEnabled, updateModel, upsertCatalog, type CatalogChange } from "@/lib/db/models";
import type { Model } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { fetchCatalog } from "@/lib/redpill/catalog";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

export const modelIdSchema = z.string().min(1).max(200);

/** `displayName`: a trimmed name, or null / "" to show the catalog's name again. */
export const modelChangeInput = z
  .object({
    enabled: z.boolean(),
    displayName: z
      .string()
      .trim()
      .max(100)
      .nullable()
      .transform((name) => (name ? name : null)),
  })
  .partial()
  .strict()
  .refine((change) => Object.keys(change).length > 0, "Nothing to change: send enabled and/or displayName.");

export const bulkModelsInput = z.object({
  ids: z.array(modelIdSchema).min(1).max(1000),
  enabled: z.boolean(),
});

export type ModelChange = z.infer<typeof modelChangeInput>;
export type BulkModelsInput = z.infer<typeof bulkModelsInput>;

const adminFacts = (model: Pick<Model, "enabled" | "displayName">) => ({
  enabled: model.enabled,
  displayName: model.displayName,
});

/** Switch one model on or off for everyone and/or give it a display name (audited). */
export function changeModel(actor: AuditActor, id: string, change: ModelChange): Promise<Model> {
  return withAudit(actor, async (tx, audit) => {
    const before = await getModel({ id }, tx);
    if (!before) throw new AppError("not_found:model", `Unknown model "${id}".`);
    const after = await updateModel({ id, data: change }, tx);
    await audit({ action: "model.update", targetType: "model", targetId: id, before: adminFacts(before), after: adminFacts(after) });
    return after;
  });
}

/** Switch many models at once: one audit row naming them all. Unknown ids change nothing (404). */
export function setManyModelsEnabled(actor: AuditActor, { ids, enabled }: BulkModelsInput): Promise<{ updated: number }> {
  return withAudit(actor, async (tx, audit) => {
    const unique = [...new Set(ids)];
    const found = await findModels({ ids: unique }, tx);
    const missing = unique.filter((id) => !found.some((m) => m.id === id));
    if (missing.length) {
      throw new AppError("not_found:model", `Unknown model${missing.length > 1 ? "s" : ""}: ${missing.slice(0, 5).join(", ")}.`);
    }
    const { count } = await setModelsEnabled({ ids: unique, enabled }, tx);
    await audit({
      action: enabled ? "model.bulk_enable" : "model.bulk_disable",
      targetType: "model",
      targetId: null,
      before: { enabled: found.filter((m) => m.enabled).map((m) => m.id), disabled: found.filter((m) => !m.enabled).map((m) => m.id) },
      after: { ids: unique, enabled },
    });
    return { updated: count };
  });
}

/** An admin's "Refresh models": re-read RedPill's catalog, recorded with what it added. */
export async function refreshCatalog(actor: AuditActor): Promise<CatalogChange> {
  const entries = await fetchCatalog();
  const { autoEnableNewModels } = await getWorkspaceSettings();
  return withAudit(actor, async (tx, audit) => {
    const result = await upsertCatalog(tx, entries, { enableNew: autoEnableNewModels });
    await audit({
      action: "model.refresh",
      targetType: "catalog",
      targetId: null,
      before: null,
      after: { count: result.count, added: result.added, addedEnabled: result.addedEnabled, changed: result.changed },
    });
    return result;
  });
}
