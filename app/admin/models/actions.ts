"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { bulkModelsInput, changeModel, modelChangeInput, modelIdSchema, refreshCatalog, setManyModelsEnabled } from "@/lib/access/models";
import { auditActor } from "@/lib/audit/record";
import { requireAdminAction } from "@/lib/auth/session";
import { getModel } from "@/lib/db/models";
import { AppError, isAppError } from "@/lib/errors";
import { updateWorkspaceSettings } from "@/lib/workspace/settings";

export type ActionResult = { ok: boolean; message: string };

async function actor() {
  const admin = await requireAdminAction();
  return auditActor(admin, await headers());
}

/** Runs an admin change; an AppError (not an admin, unknown model, upstream down) becomes a message, not a crash. */
async function attempt(work: () => Promise<string>): Promise<ActionResult> {
  try {
    const message = await work();
    revalidatePath("/admin/models");
    return { ok: true, message };
  } catch (error) {
    if (isAppError(error)) return { ok: false, message: error.message };
    if (error instanceof z.ZodError) return { ok: false, message: error.issues[0]?.message ?? "Invalid input." };
    throw error;
  }
}

export async function refreshModelsAction(): Promise<ActionResult> {
  return attempt(async () => {
    const who = await actor();
    const { count, added, addedEnabled } = await refreshCatalog(who);
    const news = added.length ? ` ${added.length} new (${addedEnabled ? "enabled" : "disabled"}).` : "";
    return `Catalog refreshed: ${count} models.${news}`;
  });
}

const changeInput = z.object({ id: modelIdSchema, change: modelChangeInput });

export async function changeModelAction(input: z.input<typeof changeInput>): Promise<ActionResult> {
  return attempt(async () => {
    const who = await actor();
    const { id, change } = changeInput.parse(input);
    const model = await changeModel(who, id, change);
    return change.displayName !== undefined ? `Shown as "${model.displayName ?? model.name}".` : "Saved.";
  });
}

export async function bulkModelsAction(input: z.input<typeof bulkModelsInput>): Promise<ActionResult> {
  return attempt(async () => {
    const who = await actor();
    const { updated } = await setManyModelsEnabled(who, bulkModelsInput.parse(input));
    return `${updated} model${updated === 1 ? "" : "s"} ${input.enabled ? "enabled" : "disabled"}.`;
  });
}

const modelSettingsInput = z
  .object({ autoEnableNewModels: z.boolean(), defaultModelId: modelIdSchema.nullable() })
  .partial()
  .strict();

/** The two workspace settings the models page edits, through the same audited settings service. */
export async function modelSettingsAction(input: z.input<typeof modelSettingsInput>): Promise<ActionResult> {
  return attempt(async () => {
    const who = await actor();
    const change = modelSettingsInput.parse(input);
    if (change.defaultModelId && !(await getModel({ id: change.defaultModelId }))) {
      throw new AppError("bad_request:settings", `Unknown model "${change.defaultModelId}".`);
    }
    await updateWorkspaceSettings(who, change);
    return "Settings saved.";
  });
}
