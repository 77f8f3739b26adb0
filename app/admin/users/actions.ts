"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { accountChangeInput, changeAccount, createAccount, newAccountInput } from "@/lib/auth/accounts";
import { requireAdminAction } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";

export interface ActionResult {
  ok: boolean;
  message: string;
  /** On failure, what was typed (never the password), so the form keeps it. */
  values?: { name: string; email: string };
}

async function attempt(work: () => Promise<string>): Promise<ActionResult> {
  try {
    const message = await work();
    revalidatePath("/admin/users");
    return { ok: true, message };
  } catch (error) {
    if (isAppError(error)) return { ok: false, message: error.message };
    if (error instanceof z.ZodError) return { ok: false, message: error.issues[0]?.message ?? "Check the form." };
    throw error;
  }
}

export async function createUserAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const values = { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? "") };
  const result = await attempt(async () => {
    await requireAdminAction();
    const input = newAccountInput.parse({
      email: form.get("email"),
      name: form.get("name"),
      password: form.get("password"),
      role: form.get("role") ?? "MEMBER",
    });
    const user = await createAccount(input);
    return `Created ${user.email}. Share the password with them; they can sign in now.`;
  });
  return result.ok ? result : { ...result, values };
}

const changeTarget = z.object({ userId: z.uuid() });

export async function changeUserAction(input: { userId: string; disabled?: boolean; role?: "ADMIN" | "MEMBER" }) {
  return attempt(async () => {
    const admin = await requireAdminAction();
    const { userId } = changeTarget.parse(input);
    const change = accountChangeInput.parse({ disabled: input.disabled, role: input.role });
    const user = await changeAccount({ actorId: admin.id, userId, change });
    return `${user.email} updated.`;
  });
}
