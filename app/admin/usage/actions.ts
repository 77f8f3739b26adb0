"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { auditActor } from "@/lib/audit/record";
import { requireAdminAction } from "@/lib/auth/session";
import { parseWith } from "@/lib/http/handler";
import { updateWorkspaceSettings, workspaceSettingsSchema } from "@/lib/workspace/settings";

const input = z.object({ timeZone: workspaceSettingsSchema.shape.timeZone.unwrap() });

/** Sets the workspace time zone that usage days, periods and budget resets follow. */
export async function setUsageTimeZoneAction(formData: FormData): Promise<void> {
  const admin = await requireAdminAction();
  const { timeZone } = parseWith(input, { timeZone: formData.get("timeZone") });
  await updateWorkspaceSettings(auditActor(admin, await headers()), { timeZone });
  revalidatePath("/admin/usage");
}
