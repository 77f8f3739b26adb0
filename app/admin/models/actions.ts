"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireAdminAction } from "@/lib/auth/session";
import { setModelEnabled } from "@/lib/db/models";
import { isAppError } from "@/lib/errors";
import { syncCatalog } from "@/lib/redpill/catalog";

export async function refreshModelsAction(): Promise<{ ok: boolean; message: string }> {
  await requireAdminAction();
  try {
    const { count } = await syncCatalog();
    revalidatePath("/admin/models");
    return { ok: true, message: `Catalog refreshed: ${count} models.` };
  } catch (error) {
    if (isAppError(error)) return { ok: false, message: error.message };
    throw error;
  }
}

const toggleInput = z.object({ id: z.string().min(1).max(200), enabled: z.boolean() });

export async function setModelEnabledAction(input: { id: string; enabled: boolean }): Promise<void> {
  await requireAdminAction();
  await setModelEnabled(toggleInput.parse(input));
  revalidatePath("/admin/models");
}
