"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { auditActor } from "@/lib/audit/record";
import { requireAdminAction } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { updateWorkspaceSettings, workspaceSettingsChange } from "@/lib/workspace/settings";

export interface SettingsResult {
  ok: boolean;
  message: string;
}

/** The sign-in and sign-up part of the workspace settings, from the admin settings form. */
export async function saveSignInSettingsAction(_: SettingsResult | null, form: FormData): Promise<SettingsResult> {
  try {
    const admin = await requireAdminAction();
    const domains = String(form.get("signupDomains") ?? "")
      .split(/[\s,]+/)
      .map((d) => d.replace(/^@/, ""))
      .filter(Boolean);
    const parsed = workspaceSettingsChange.safeParse({
      signupMode: form.get("signupMode"),
      signupDomains: domains,
      signupRequiresApproval: form.get("signupRequiresApproval") === "on",
      passwordLogin: form.get("passwordLogin") === "on",
    });
    if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? "Check the form." };
    await updateWorkspaceSettings(auditActor(admin, await headers()), parsed.data);
    revalidatePath("/admin/settings");
    return { ok: true, message: "Settings saved." };
  } catch (error) {
    if (isAppError(error)) return { ok: false, message: error.message };
    throw error;
  }
}

/** The model settings every chat starts from (`chatDefaults`); the client sends what its form read. */
export async function saveChatDefaultsAction(input: unknown): Promise<SettingsResult> {
  try {
    const admin = await requireAdminAction();
    const parsed = workspaceSettingsChange.safeParse({ chatDefaults: input });
    if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? "Check the form." };
    await updateWorkspaceSettings(auditActor(admin, await headers()), parsed.data);
    revalidatePath("/admin/settings");
    return { ok: true, message: "Chat defaults saved." };
  } catch (error) {
    if (isAppError(error)) return { ok: false, message: error.message };
    throw error;
  }
}

/** The model that names chats after their first exchange (`titleModelId`); null keeps the first words. */
export async function saveTitleModelAction(modelId: unknown): Promise<SettingsResult> {
  try {
    const admin = await requireAdminAction();
    const parsed = workspaceSettingsChange.safeParse({ titleModelId: modelId });
    if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? "Choose a model." };
    await updateWorkspaceSettings(auditActor(admin, await headers()), parsed.data);
    revalidatePath("/admin/settings");
    return { ok: true, message: parsed.data.titleModelId ? "Title model saved." : "Chats keep their first words as titles." };
  } catch (error) {
    if (isAppError(error)) return { ok: false, message: error.message };
    throw error;
  }
}
