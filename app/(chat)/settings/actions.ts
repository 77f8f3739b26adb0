"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { signOut } from "@/lib/auth";
import { profileChangeInput, renameMe, signOutEverywhere } from "@/lib/auth/profile";
import { requireUserAction } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { clientIp } from "@/lib/http/handler";

export interface SettingsState {
  ok?: boolean;
  message?: string;
}

async function ip() {
  return clientIp(await headers());
}

function failure(error: unknown): SettingsState {
  if (isAppError(error)) return { ok: false, message: error.message };
  throw error;
}

export async function renameAction(_: SettingsState, form: FormData): Promise<SettingsState> {
  try {
    const user = await requireUserAction();
    const parsed = profileChangeInput.safeParse({ name: form.get("name") });
    if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? "Check the form." };
    await renameMe(user, parsed.data.name, await ip());
    revalidatePath("/", "layout");
    return { ok: true, message: "Name saved." };
  } catch (error) {
    return failure(error);
  }
}

export async function signOutEverywhereAction(): Promise<void> {
  const user = await requireUserAction();
  await signOutEverywhere(user, await ip());
  await signOut({ redirectTo: "/signin" });
}
