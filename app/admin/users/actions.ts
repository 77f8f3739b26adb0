"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { auditActor } from "@/lib/audit/record";
import { createAccount, newAccountInput } from "@/lib/auth/accounts";
import { createInvite, newInviteInput, revokeInvite } from "@/lib/auth/invites";
import { publicOrigin } from "@/lib/auth/link-token";
import { createPasswordReset } from "@/lib/auth/password-resets";
import { requireAdminAction } from "@/lib/auth/session";
import { accountChangeInput, changeAccount, deleteAccount, deleteAccountQuery } from "@/lib/auth/user-admin";
import { isAppError } from "@/lib/errors";
import { perMinuteFormFields } from "@/lib/usage/rate-limits";

export interface ActionResult {
  ok: boolean;
  message: string;
  /** On failure, what was typed (never the password), so the form keeps it. */
  values?: { name: string; email: string };
  /** A one-time link (invite or password reset), shown once. */
  url?: string;
}

async function attempt(work: () => Promise<string | { message: string; url: string }>): Promise<ActionResult> {
  try {
    const done = await work();
    revalidatePath("/admin/users", "layout");
    return typeof done === "string" ? { ok: true, message: done } : { ok: true, ...done };
  } catch (error) {
    if (isAppError(error)) return { ok: false, message: error.message };
    if (error instanceof z.ZodError) return { ok: false, message: error.issues[0]?.message ?? "Check the form." };
    throw error;
  }
}

async function adminActor() {
  const admin = await requireAdminAction();
  return auditActor(admin, await headers());
}

export async function createUserAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const values = { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? "") };
  const result = await attempt(async () => {
    const actor = await adminActor();
    const input = newAccountInput.parse({
      email: form.get("email"),
      name: form.get("name"),
      password: form.get("password"),
      role: form.get("role") ?? "MEMBER",
    });
    const user = await createAccount(actor, input);
    return `Created ${user.email}. Share the password with them; they can sign in now.`;
  });
  return result.ok ? result : { ...result, values };
}

const changeTarget = z.object({ userId: z.uuid() });

export async function changeUserAction(input: {
  userId: string;
  disabled?: boolean;
  role?: "ADMIN" | "MEMBER";
  approved?: true;
}): Promise<ActionResult> {
  return attempt(async () => {
    const actor = await adminActor();
    const { userId } = changeTarget.parse(input);
    const change = accountChangeInput.parse({ disabled: input.disabled, role: input.role, approved: input.approved });
    const user = await changeAccount(actor, userId, change);
    return `${user.email} updated.`;
  });
}

const limitsInput = z.object({ userId: z.uuid(), ...perMinuteFormFields });

/** The user's own requests and tokens per minute; empty = what their most generous group allows. */
export async function setUserLimitsAction(input: { userId: string; rpm: string; tpm: string }): Promise<ActionResult> {
  return attempt(async () => {
    const actor = await adminActor();
    const { userId, rpm, tpm } = limitsInput.parse(input);
    const user = await changeAccount(actor, userId, { rpm, tpm });
    return `Limits for ${user.email} saved.`;
  });
}

export async function deleteUserAction(input: { userId: string; chats: "delete" | "keep" }): Promise<ActionResult> {
  return attempt(async () => {
    const actor = await adminActor();
    const { userId } = changeTarget.parse(input);
    await deleteAccount(actor, userId, deleteAccountQuery.parse({ chats: input.chats }));
    return input.chats === "delete" ? "User and their chats deleted." : "User deleted; their chats were kept.";
  });
}

export async function resetLinkAction(input: { userId: string }): Promise<ActionResult> {
  return attempt(async () => {
    const actor = await adminActor();
    const { userId } = changeTarget.parse(input);
    const reset = await createPasswordReset(actor, userId, publicOrigin(await headers()));
    return { message: "Reset link created. It works once, for 24 hours.", url: reset.url };
  });
}

export async function createInviteAction(input: {
  role: "ADMIN" | "MEMBER";
  groupIds: string[];
  email?: string;
  expiresInHours: number;
}): Promise<ActionResult> {
  return attempt(async () => {
    const actor = await adminActor();
    const invite = await createInvite(actor, newInviteInput.parse(input), publicOrigin(await headers()));
    return { message: "Invite link created. Copy it now: it is shown only once.", url: invite.url };
  });
}

export async function revokeInviteAction(input: { inviteId: string }): Promise<ActionResult> {
  return attempt(async () => {
    const actor = await adminActor();
    await revokeInvite(actor, z.uuid().parse(input.inviteId));
    return "Invite revoked.";
  });
}
